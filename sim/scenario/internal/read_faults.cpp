// Registry traffic shaping: faults (with what they match) and rate limits, in REGISTRY.yaml's
// words, read into the registry module's types.
#include <array>
#include <limits>

#include "sim/registry/request_log.h"
#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"

namespace pullsim::scenario::internal {
namespace {

constexpr std::int64_t kMaxUint32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::array<oci::RegistryEndpoint, 9> kEndpoints = {
    oci::RegistryEndpoint::kPing,          oci::RegistryEndpoint::kManifest,
    oci::RegistryEndpoint::kBlob,          oci::RegistryEndpoint::kUploadStart,
    oci::RegistryEndpoint::kUploadSession, oci::RegistryEndpoint::kTags,
    oci::RegistryEndpoint::kReferrers,     oci::RegistryEndpoint::kCatalog,
    oci::RegistryEndpoint::kToken};
constexpr std::array<std::string_view, 6> kMethods = {"GET", "HEAD",  "POST",
                                                      "PUT", "PATCH", "DELETE"};

std::optional<oci::RegistryEndpoint> ReadEndpoint(Context& context, const Field& field) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  if (auto endpoint = ParseEndpoint(*text)) return endpoint;
  context.UnknownWord(field, *text, EndpointNames(), "endpoint");
  return std::nullopt;
}

std::optional<std::string> ReadMethod(Context& context, const Field& field) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  if (std::find(kMethods.begin(), kMethods.end(), *text) != kMethods.end()) return text;
  context.UnknownWord(field, *text, kMethods, "HTTP method");
  return std::nullopt;
}

void ReadFaultMatch(Context& context, const Field& field, registry::FaultMatch& match) {
  auto map =
      context.Map(field, {"repositories", "endpoints", "methods", "reference", "path", "client"});
  if (!map) return;
  if (auto f = map->Get("repositories")) match.repositories = ReadGlob(context, *f);
  auto each = [&](const Field& f, auto read) {
    if (f.value.IsScalar()) {
      read(f);
      return;
    }
    for (const Field& item : context.List(f).value_or(std::vector<Field>{})) read(item);
  };
  if (auto f = map->Get("endpoints")) {
    each(*f, [&](const Field& item) {
      if (auto endpoint = ReadEndpoint(context, item)) match.endpoints.push_back(*endpoint);
    });
  }
  if (auto f = map->Get("methods")) {
    each(*f, [&](const Field& item) {
      if (auto method = ReadMethod(context, item)) match.methods.push_back(*method);
    });
  }
  if (auto f = map->Get("reference")) match.reference = context.NonEmptyString(*f).value_or("");
  if (auto f = map->Get("path")) match.path = context.NonEmptyString(*f).value_or("");
  if (auto f = map->Get("client")) match.client = context.NonEmptyString(*f).value_or("");
}

}  // namespace

std::optional<registry::RepositoryGlob> ReadGlob(Context& context, const Field& field) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  auto glob = registry::RepositoryGlob::Parse(*text);
  if (!glob) {
    context.Error(field, "invalid repository pattern \"" + *text + "\": " + glob.error().message);
    return std::nullopt;
  }
  return *glob;
}

std::optional<registry::Fault> ReadFault(Context& context, const Field& field) {
  auto map = context.Map(field, {"name", "match", "latency", "status", "code", "message", "drop",
                                 "drop_after_bytes", "bandwidth", "after", "times"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  registry::Fault fault;
  if (auto f = map->Get("name")) fault.name = context.NonEmptyString(*f).value_or("");
  if (auto f = map->Get("match")) ReadFaultMatch(context, *f, fault.match);
  if (auto f = map->Get("latency")) fault.latency = context.DurationValue(*f).value_or(Duration{0});
  if (auto f = map->Get("status")) {
    fault.status = static_cast<int>(context.Integer(*f, 400, 599).value_or(0));
  }
  if (auto f = map->Get("code")) {
    fault.code = context.NonEmptyString(*f).value_or("");
    if (!map->Has("status")) context.Error(f->key.Mark(), f->path, "\"code\" needs a \"status\"");
  }
  if (auto f = map->Get("message")) fault.message = context.NonEmptyString(*f).value_or("");
  if (auto f = map->Get("drop")) fault.drop = context.Bool(*f).value_or(false);
  if (auto f = map->Get("drop_after_bytes")) {
    if (auto size = ReadSize(context, *f)) {
      fault.drop = true;
      fault.drop_after_bytes = *size;
    }
  }
  if (auto f = map->Get("bandwidth")) {
    Field rate = *f;
    std::string text = f->value.IsScalar() ? f->value.Scalar() : "";
    if (text.ends_with("/s")) rate.value = YAML::Node(text.substr(0, text.size() - 2));
    if (auto size = ReadSize(context, rate)) {
      if (*size == 0) context.Error(*f, "a bandwidth must be more than 0 bytes per second");
      fault.bandwidth = *size;
    }
  }
  if (auto f = map->Get("after")) {
    fault.after = static_cast<std::uint32_t>(context.Integer(*f, 0, kMaxUint32).value_or(0));
  }
  if (auto f = map->Get("times")) {
    fault.times = static_cast<std::uint32_t>(context.Integer(*f, 1, kMaxUint32).value_or(1));
  }
  if (context.errors() == before && fault.status == 0 && fault.latency.count() == 0 &&
      !fault.drop && fault.bandwidth == 0) {
    context.Error(map->self().value.Mark(), field.path,
                  "the fault does nothing: give a status, a latency, a bandwidth or drop: true");
  }
  if (context.errors() != before) return std::nullopt;
  return fault;
}

std::optional<registry::RateLimitRule> ReadRateLimit(Context& context, const Field& field) {
  auto map = context.Map(field, {"repositories", "limit", "window"}, {"limit"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  registry::RateLimitRule rule;
  rule.repositories = *registry::RepositoryGlob::Parse("**");
  if (auto f = map->Get("repositories")) {
    if (auto glob = ReadGlob(context, *f)) rule.repositories = *glob;
  }
  if (auto f = map->Get("limit")) {
    rule.limit = static_cast<std::uint32_t>(context.Integer(*f, 0, kMaxUint32).value_or(0));
  }
  if (auto f = map->Get("window")) {
    if (auto window = context.DurationValue(*f)) {
      if (window->count() == 0) context.Error(*f, "a window must be longer than 0s");
      rule.window = *window;
    }
  }
  if (context.errors() != before) return std::nullopt;
  return rule;
}

std::span<const std::string_view> EndpointNames() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (oci::RegistryEndpoint endpoint : kEndpoints) {
      names.push_back(registry::EndpointName(endpoint));
    }
    return names;
  }();
  return kNames;
}

std::optional<oci::RegistryEndpoint> ParseEndpoint(std::string_view name) {
  for (oci::RegistryEndpoint endpoint : kEndpoints) {
    if (registry::EndpointName(endpoint) == name) return endpoint;
  }
  return std::nullopt;
}

}  // namespace pullsim::scenario::internal
