// Expectations on a registry's request log: filters over endpoint, method, status, client and
// repository, or a shorthand mapping from a request kind ("manifest_get") to a count.
#include <algorithm>
#include <array>
#include <limits>

#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"

namespace pullsim::scenario::internal {
namespace {

constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();

constexpr std::array<std::string_view, 6> kMethods = {"get", "head",  "post",
                                                      "put", "patch", "delete"};

// Shorthand keys: an endpoint ("manifest") or an endpoint and a method ("manifest_get").
bool ParseRequestKind(std::string_view key, RequestExpectation& request) {
  if (auto endpoint = ParseEndpoint(key)) {
    request.endpoint = endpoint;
    return true;
  }
  std::size_t underscore = key.rfind('_');
  if (underscore == std::string_view::npos) return false;
  std::string_view method = key.substr(underscore + 1);
  auto endpoint = ParseEndpoint(key.substr(0, underscore));
  if (!endpoint || std::find(kMethods.begin(), kMethods.end(), method) == kMethods.end()) {
    return false;
  }
  request.endpoint = endpoint;
  for (char c : method) request.method += static_cast<char>(c - 'a' + 'A');
  return true;
}

std::vector<std::string> RequestKindWords() {
  std::vector<std::string> words;
  for (std::string_view endpoint : EndpointNames()) {
    words.emplace_back(endpoint);
    for (std::string_view method : kMethods) {
      words.push_back(std::string(endpoint) + "_" + std::string(method));
    }
  }
  return words;
}

std::optional<RequestExpectation> ReadRequestFilter(LoadState& state, const Field& field,
                                                    const Registry* registry) {
  Context& context = state.context;
  auto map = context.Map(field, {"endpoint", "method", "status", "client", "repositories", "count",
                                 "atLeast", "atMost"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  RequestExpectation request;
  request.location = context.Location(field);
  request.count.location = request.location;
  if (auto f = map->Get("endpoint")) {
    if (auto name = context.NonEmptyString(*f)) {
      request.endpoint = ParseEndpoint(*name);
      if (!request.endpoint) context.UnknownWord(*f, *name, EndpointNames(), "endpoint");
    }
  }
  if (auto f = map->Get("method")) {
    if (auto method = context.NonEmptyString(*f)) {
      static constexpr std::array<std::string_view, 6> kUpper = {"GET", "HEAD",  "POST",
                                                                 "PUT", "PATCH", "DELETE"};
      if (std::find(kUpper.begin(), kUpper.end(), *method) == kUpper.end()) {
        context.UnknownWord(*f, *method, kUpper, "HTTP method");
      }
      request.method = *method;
    }
  }
  if (auto f = map->Get("status")) {
    if (auto status = context.Integer(*f, 100, 599)) request.status = static_cast<int>(*status);
  }
  if (auto f = map->Get("client")) {
    if (auto client = context.NonEmptyString(*f)) {
      if (registry != nullptr && *client != "anonymous") {
        std::vector<std::string_view> names = {"anonymous"};
        bool known = false;
        for (const registry::User& user : registry->config.options.auth.users) {
          known = known || user.name == *client;
          names.push_back(user.name);
        }
        if (!known) context.UnknownWord(*f, *client, names, "client of " + registry->host);
      }
      request.client = *client;
    }
  }
  if (auto f = map->Get("repositories")) {
    request.repositories = ReadRepositoryGlob(context, *f).value_or("");
  }
  auto count = map->Get("count");
  auto at_least = map->Get("atLeast");
  auto at_most = map->Get("atMost");
  if (count && (at_least || at_most)) {
    context.Error(count->key.Mark(), count->path, "give count, or atLeast/atMost, not both");
  } else if (count) {
    if (auto n = context.Integer(*count, 0, kMaxCount)) {
      request.count.equal = static_cast<std::uint64_t>(*n);
    }
  } else if (at_least || at_most) {
    if (at_least) {
      if (auto n = context.Integer(*at_least, 0, kMaxCount)) {
        request.count.at_least = static_cast<std::uint64_t>(*n);
      }
    }
    if (at_most) {
      if (auto n = context.Integer(*at_most, 0, kMaxCount)) {
        request.count.at_most = static_cast<std::uint64_t>(*n);
      }
    }
  } else {
    context.Error(map->self().value.Mark(), field.path,
                  "missing the expected number: count, atLeast or atMost");
  }
  if (context.errors() != before) return std::nullopt;
  return request;
}

}  // namespace

void ReadRegistryChecks(LoadState& state, const MapView& map, RegistryChecks& checks) {
  Context& context = state.context;
  Field subject = *map.Get("registry");
  auto host = context.NonEmptyString(subject);
  if (!host) return;
  const Registry* registry = state.FindRegistry(*host);
  if (registry == nullptr) {
    std::vector<std::string_view> hosts;
    for (const Registry& known : state.scenario.registries) hosts.push_back(known.host);
    context.UnknownWord(subject, *host, hosts, "registry");
  }
  checks.host = *host;
  auto f = map.Get("requests");
  if (!f) return;
  if (f->value.IsMap()) {
    // Shorthand: {manifest_get: 1, blob: 2} counts requests by endpoint (and method).
    auto kinds = context.FreeMap(*f);
    std::vector<std::string> words = RequestKindWords();
    std::vector<std::string_view> views(words.begin(), words.end());
    for (const Field& entry : kinds ? kinds->entries() : std::vector<Field>{}) {
      RequestExpectation request;
      request.location = context.Location(entry.key.Mark());
      bool known = ParseRequestKind(entry.key.Scalar(), request);
      if (!known) {
        context.Error(entry.key.Mark(), entry.path,
                      "unknown request kind \"" + entry.key.Scalar() + "\"" +
                          Context::Hint(entry.key.Scalar(), views) +
                          (Context::Hint(entry.key.Scalar(), views).starts_with(";")
                               ? ""
                               : " (an endpoint such as manifest or blob, optionally with _get, "
                                 "_head, ...)"));
      }
      auto count = ReadCount(context, entry);
      if (!known || !count) continue;
      request.count = *count;
      checks.requests.push_back(std::move(request));
    }
    return;
  }
  auto items = context.List(*f);
  for (const Field& item : items.value_or(std::vector<Field>{})) {
    if (auto request = ReadRequestFilter(state, item, registry)) {
      checks.requests.push_back(std::move(*request));
    }
  }
}

}  // namespace pullsim::scenario::internal
