#include "sim/report/json_results.h"

#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/report/internal/json_writer.h"
#include "sim/report/internal/results_json.h"

namespace pullsim::report {

using scenario::RunResults;
using scenario::ScenarioResult;

namespace internal {
namespace {

// Writes one object on a single line, as each record of a long list is written; `fields` writes
// its members.
template <typename Fields>
void WriteInlineObject(JsonWriter& json, Fields fields) {
  json.BeginObject();
  const int saved = json.SetIndent(0);
  fields();
  json.EndObject();
  json.SetIndent(saved);
}

// "key": milliseconds, exact to the nanosecond.
void MillisecondsField(JsonWriter& json, std::string_view key, Duration value) {
  json.Key(key);
  json.Milliseconds(value);
}

void WritePairs(JsonWriter& json, std::string_view key,
                const std::vector<std::pair<std::string, std::string>>& pairs) {
  json.Key(key);
  WriteInlineObject(json, [&] {
    for (const auto& [name, value] : pairs) json.Field(name, value);
  });
}

void WriteWorld(JsonWriter& json, const scenario::WorldSummary& world) {
  json.Key("world");
  json.BeginObject();
  json.Field("clusterVersion", world.cluster_version);
  json.StringArray("admissionPlugins", world.admission_plugins);
  WritePairs(json, "featureGates", world.feature_gates);
  json.Key("registries");
  json.BeginArray();
  for (const scenario::RegistrySummary& registry : world.registries) {
    json.BeginObject();
    json.Field("host", registry.host);
    json.Field("auth", registry.auth);
    json.StringArray("users", registry.users);
    json.Key("images");
    json.BeginArray();
    for (const scenario::ImageSummary& image : registry.images) {
      WriteInlineObject(json, [&] {
        json.Field("reference", image.reference);
        json.Field("digest", image.digest);
        json.StringArray("platforms", image.platforms);
      });
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.Key("nodes");
  json.BeginArray();
  for (const scenario::NodeSummary& node : world.nodes) {
    json.BeginObject();
    json.Field("name", node.name);
    json.Field("platform", node.platform);
    WritePairs(json, "kubelet", node.kubelet);
    json.StringArray("files", node.files);
    json.StringArray("images", node.images);
    json.EndObject();
  }
  json.EndArray();
  json.Key("objects");
  json.BeginArray();
  for (const scenario::ObjectSummary& object : world.objects) {
    WriteInlineObject(json, [&] {
      json.Field("kind", object.kind);
      json.Field("namespace", object.namespace_name);
      json.Field("name", object.name);
      json.Field("detail", object.detail);
    });
  }
  json.EndArray();
  json.EndObject();
}

void WritePod(JsonWriter& json, const scenario::PodResult& pod) {
  json.BeginObject();
  json.Field("namespace", pod.namespace_name);
  json.Field("name", pod.name);
  json.Field("node", pod.node);
  json.Key("containers");
  json.BeginArray();
  for (const scenario::ContainerResult& container : pod.containers) {
    json.BeginObject();
    json.Field("name", container.name);
    json.Field("image", container.image);
    json.Field("pullPolicy", container.pull_policy);
    json.Field("state", container.state);
    json.Field("reason", container.reason);
    json.Field("message", container.message);
    json.Field("platform", container.platform);
    json.Field("digest", container.digest);
    json.Key("startedAtMs");
    if (container.started_at) {
      json.Milliseconds(*container.started_at);
    } else {
      json.Null();
    }
    json.Key("credentials");
    json.BeginArray();
    for (const scenario::CredentialAttempt& attempt : container.credentials) {
      WriteInlineObject(json, [&] {
        json.Field("registry", attempt.registry_key);
        json.Field("username", attempt.username);
        json.Field("source", attempt.source);
        json.Field("outcome", attempt.outcome);
      });
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.Key("timeline");
  json.BeginArray();
  for (const scenario::TimelineInterval& interval : pod.timeline) {
    WriteInlineObject(json, [&] {
      json.Field("container", interval.container);
      json.Field("kind", scenario::PhaseName(interval.kind));
      MillisecondsField(json, "startMs", interval.start);
      MillisecondsField(json, "endMs", interval.end);
      json.Field("label", interval.label);
    });
  }
  json.EndArray();
  json.Key("events");
  json.BeginArray();
  for (const scenario::EventRecord& event : pod.events) {
    WriteInlineObject(json, [&] {
      MillisecondsField(json, "atMs", event.time);
      json.Field("type", event.type);
      json.Field("reason", event.reason);
      json.Field("message", event.message);
      json.Field("fieldPath", event.field_path);
    });
  }
  json.EndArray();
  json.EndObject();
}

void WriteDetailFields(JsonWriter& json, const ScenarioResult& scenario) {
  MillisecondsField(json, "virtualTimeMs", scenario.virtual_time);
  WriteWorld(json, scenario.world);
  json.Key("pods");
  json.BeginArray();
  for (const scenario::PodResult& pod : scenario.pods) WritePod(json, pod);
  json.EndArray();
  json.Key("requests");
  json.BeginArray();
  for (const scenario::RequestRecord& request : scenario.requests) {
    WriteInlineObject(json, [&] {
      MillisecondsField(json, "atMs", request.time);
      json.Field("registry", request.registry);
      json.Field("client", request.client);
      json.Field("identity", request.identity);
      json.Field("method", request.method);
      json.Field("path", request.path);
      json.Field("status", request.status);
      json.Field("bytes", request.bytes);
    });
  }
  json.EndArray();
  json.Field("requestsOmitted", static_cast<std::uint64_t>(scenario.requests_omitted));
}

}  // namespace

void WriteScenarioDetails(JsonWriter& json, const ScenarioResult& scenario) {
  json.BeginObject();
  WriteDetailFields(json, scenario);
  json.EndObject();
}

void WriteScenario(JsonWriter& json, const ScenarioResult& scenario) {
  json.BeginObject();
  json.Field("file", scenario.file);
  json.Field("name", scenario.name);
  json.Field("description", scenario.description);
  json.Field("area", scenario.area);
  json.StringArray("rules", scenario.rules);
  json.Field("xfail", scenario.xfail);
  json.Field("seed", scenario.seed);
  json.Field("status", scenario::StatusName(scenario.status));
  json.Key("diagnostics");
  json.BeginArray();
  for (const scenario::Diagnostic& diagnostic : scenario.diagnostics) {
    WriteInlineObject(json, [&] {
      json.Field("file", diagnostic.location.file);
      json.Field("line", diagnostic.location.line);
      json.Field("column", diagnostic.location.column);
      json.Field("field", diagnostic.field);
      json.Field("message", diagnostic.message);
      json.Field("code", ErrorCodeName(diagnostic.code));
    });
  }
  json.EndArray();
  json.Field("diagnosticsOmitted", static_cast<std::uint64_t>(scenario.diagnostics_omitted));
  json.Key("failures");
  json.BeginArray();
  for (const scenario::FailedExpectation& failure : scenario.failures) {
    json.BeginObject();
    json.Field("file", failure.location.file);
    json.Field("line", failure.location.line);
    json.Field("column", failure.location.column);
    json.Field("subject", failure.subject);
    json.Field("check", failure.check);
    json.Field("expected", failure.expected);
    json.Field("actual", failure.actual);
    json.EndObject();
  }
  json.EndArray();
  json.Field("error", scenario.error);
  MillisecondsField(json, "wallTimeMs", scenario.wall_time);
  WriteDetailFields(json, scenario);
  json.EndObject();
}

}  // namespace internal

void WriteJsonResults(const RunResults& results, const RuleCatalogue& catalogue,
                      std::ostream& out) {
  std::string buffer;
  internal::JsonWriter json(buffer, /*html_safe=*/false, /*indent=*/2);
  auto flush = [&](bool force) {
    if (force || buffer.size() > (1u << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  };
  std::vector<scenario::RuleResult> rules = scenario::SummarizeRules(results, catalogue);
  scenario::StatusCounts counts = scenario::CountStatuses(results.scenarios);
  scenario::RuleCounts rule_counts = scenario::CountRules(rules);

  json.BeginObject();
  json.Field("schema", kResultsSchema);
  json.Field("pullsimVersion", results.pullsim_version);
  json.Field("seed", results.seed);
  json.Field("started", FormatTimestamp(results.started));
  internal::MillisecondsField(json, "durationMs", results.duration);
  json.Key("summary");
  internal::WriteInlineObject(json, [&] {
    json.Field("scenarios", static_cast<std::uint64_t>(counts.total()));
    json.Field("pass", static_cast<std::uint64_t>(counts.pass));
    json.Field("fail", static_cast<std::uint64_t>(counts.fail));
    json.Field("xfail", static_cast<std::uint64_t>(counts.xfail));
    json.Field("xpass", static_cast<std::uint64_t>(counts.xpass));
    json.Field("invalid", static_cast<std::uint64_t>(counts.invalid));
    json.Field("tests", static_cast<std::uint64_t>(results.tests.size()));
    json.Field("rulesCovered", static_cast<std::uint64_t>(rule_counts.covered));
    json.Field("rulesUncovered", static_cast<std::uint64_t>(rule_counts.uncovered));
    json.Field("rulesNotSimulated", static_cast<std::uint64_t>(rule_counts.not_simulated));
  });
  json.Key("scenarios");
  json.BeginArray();
  for (const ScenarioResult& scenario : results.scenarios) {
    internal::WriteScenario(json, scenario);
    flush(false);
  }
  json.EndArray();
  json.Key("tests");
  json.BeginArray();
  for (const scenario::TestResult& test : results.tests) {
    json.BeginObject();
    json.Field("name", test.name);
    json.Field("file", test.file);
    json.Field("line", test.line);
    json.StringArray("rules", test.rules);
    json.Field("status", scenario::StatusName(test.status));
    json.Field("failure", test.failure);
    json.EndObject();
  }
  json.EndArray();
  json.Key("rules");
  json.BeginArray();
  for (const scenario::RuleResult& rule : rules) {
    internal::WriteInlineObject(json, [&] {
      json.Field("id", rule.id);
      json.Field("status", scenario::StatusName(rule.status));
      json.Field("notSimulated", rule.not_simulated);
      json.Field("inCatalogue", rule.in_catalogue);
      json.Key("scenarios");
      json.BeginArray();
      for (std::size_t index : rule.scenarios) json.Uint(index);
      json.EndArray();
      json.Key("tests");
      json.BeginArray();
      for (std::size_t index : rule.tests) json.Uint(index);
      json.EndArray();
    });
  }
  json.EndArray();
  json.EndObject();
  buffer += '\n';
  flush(true);
}

// ---- reading ----------------------------------------------------------------------------------

namespace {

using Json = nlohmann::ordered_json;

// Thrown inside this file only; ParseJsonResults turns it into an Error.
struct DecodeError {
  std::string path;
  std::string message;
};

class Decoder {
 public:
  [[noreturn]] static void Fail(const std::string& path, std::string message) {
    throw DecodeError{path, std::move(message)};
  }

  static std::string_view TypeName(const Json& value) {
    if (value.is_string()) return "a string";
    if (value.is_number()) return "a number";
    if (value.is_boolean()) return "a boolean";
    if (value.is_object()) return "an object";
    if (value.is_array()) return "an array";
    return "null";
  }

  // Json::is_string, Json::is_object, ...
  using IsType = bool (Json::*)() const noexcept;

  // Fails unless `value` is of the type `is_type` checks, `what` naming it ("a string").
  static void ExpectType(const Json& value, const std::string& path, IsType is_type,
                         std::string_view what) {
    if (!(value.*is_type)()) {
      Fail(path, "expected " + std::string(what) + ", got " + std::string(TypeName(value)));
    }
  }

  static const Json& Object(const Json& value, const std::string& path) {
    ExpectType(value, path, &Json::is_object, "an object");
    return value;
  }

  // The member `key` of object `value`, or nullptr when absent (all members but a few are
  // optional: absent means the default).
  static const Json* Member(const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  static const Json& Required(const Json& object, const char* key, const std::string& path) {
    const Json* member = Member(object, key);
    if (member == nullptr) Fail(path, std::string("missing required member \"") + key + "\"");
    return *member;
  }

  // The member `key` of `object` after checking its type, or nullptr when absent.
  static const Json* TypedMember(const Json& object, const char* key, const std::string& path,
                                 IsType is_type, std::string_view what) {
    const Json* member = Member(object, key);
    if (member != nullptr) ExpectType(*member, path + "." + key, is_type, what);
    return member;
  }

  static void String(const Json& object, const char* key, const std::string& path,
                     std::string& out) {
    if (const Json* member = TypedMember(object, key, path, &Json::is_string, "a string")) {
      out = member->get<std::string>();
    }
  }

  template <typename Int>
  static void Integer(const Json& object, const char* key, const std::string& path, Int& out) {
    const Json* member = Member(object, key);
    if (member == nullptr) return;
    bool fits = false;
    if (member->is_number_unsigned()) {
      fits = member->get<std::uint64_t>() <=
             static_cast<std::uint64_t>(std::numeric_limits<Int>::max());
      if (fits) out = static_cast<Int>(member->get<std::uint64_t>());
    } else if (member->is_number_integer()) {
      std::int64_t value = member->get<std::int64_t>();
      fits = std::numeric_limits<Int>::is_signed
                 ? value >= static_cast<std::int64_t>(std::numeric_limits<Int>::min()) &&
                       value <= static_cast<std::int64_t>(std::numeric_limits<Int>::max())
                 : value >= 0;
      if (fits) out = static_cast<Int>(value);
    } else {
      Fail(path + "." + key, "expected an integer, got " + std::string(TypeName(*member)));
    }
    if (!fits) Fail(path + "." + key, "integer out of range: " + member->dump());
  }

  static Duration ToDuration(const Json& value, const std::string& path) {
    ExpectType(value, path, &Json::is_number, "a number of milliseconds");
    double ms = value.get<double>();
    // 2^62 ns is about 146 years: far past any scenario, and safely inside int64.
    if (!std::isfinite(ms) || std::fabs(ms) > 4.6e12) Fail(path, "milliseconds out of range");
    return Duration{static_cast<std::int64_t>(std::llround(ms * 1e6))};
  }

  static void Milliseconds(const Json& object, const char* key, const std::string& path,
                           Duration& out) {
    const Json* member = Member(object, key);
    if (member != nullptr) out = ToDuration(*member, path + "." + key);
  }

  static void Bool(const Json& object, const char* key, const std::string& path, bool& out) {
    if (const Json* member = TypedMember(object, key, path, &Json::is_boolean, "a boolean")) {
      out = member->get<bool>();
    }
  }

  // Calls `each(element, element_path)` for each element of the array member `key`.
  template <typename Each>
  static void Array(const Json& object, const char* key, const std::string& path, Each each) {
    const Json* member = TypedMember(object, key, path, &Json::is_array, "an array");
    if (member == nullptr) return;
    const std::string member_path = path + "." + key;
    for (std::size_t i = 0; i < member->size(); ++i) {
      each((*member)[i], member_path + "[" + std::to_string(i) + "]");
    }
  }

  static void Strings(const Json& object, const char* key, const std::string& path,
                      std::vector<std::string>& out) {
    Array(object, key, path, [&](const Json& element, const std::string& element_path) {
      ExpectType(element, element_path, &Json::is_string, "a string");
      out.push_back(element.get<std::string>());
    });
  }

  static void Pairs(const Json& object, const char* key, const std::string& path,
                    std::vector<std::pair<std::string, std::string>>& out) {
    const Json* member = TypedMember(object, key, path, &Json::is_object, "an object");
    if (member == nullptr) return;
    const std::string member_path = path + "." + key;
    for (auto it = member->begin(); it != member->end(); ++it) {
      ExpectType(it.value(), member_path + "." + it.key(), &Json::is_string, "a string");
      out.emplace_back(it.key(), it.value().get<std::string>());
    }
  }

  template <typename Enum>
  static Enum Enumerated(const Json& object, const char* key, const std::string& path,
                         std::optional<Enum> (*parse)(std::string_view), std::string_view choices,
                         Enum fallback) {
    const Json* member = Member(object, key);
    if (member == nullptr) return fallback;
    if (member->is_string()) {
      if (std::optional<Enum> value = parse(member->get<std::string>())) return *value;
    }
    Fail(path + "." + key, "expected one of " + std::string(choices) + ", got " + member->dump());
  }
};

// "2026-01-01T00:00:05.250Z" (FormatTimestamp's form; any number of fraction digits, UTC).
std::optional<Timestamp> ParseTimestamp(std::string_view text) {
  auto digits = [&](std::size_t at, std::size_t count, int& out) {
    if (at + count > text.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(0, 4, year) || text.size() < 20 || text[4] != '-' || !digits(5, 2, month) ||
      text[7] != '-' || !digits(8, 2, day) || text[10] != 'T' || !digits(11, 2, hour) ||
      text[13] != ':' || !digits(14, 2, minute) || text[16] != ':' || !digits(17, 2, second)) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year{year},
                                  std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::size_t i = 19;
  std::int64_t fraction_ns = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::int64_t scale = 100'000'000;
    std::size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      fraction_ns += (text[i] - '0') * scale;
      scale /= 10;
    }
    if (i == start) return std::nullopt;
  }
  if (i + 1 != text.size() || text[i] != 'Z') return std::nullopt;
  return Timestamp{std::chrono::sys_days{ymd}} + std::chrono::hours{hour} +
         std::chrono::minutes{minute} + std::chrono::seconds{second} + Duration{fraction_ns};
}

ErrorCode ParseErrorCode(const Json& object, const std::string& path) {
  const Json* member = Decoder::Member(object, "code");
  if (member == nullptr) return ErrorCode::kInvalidArgument;
  constexpr std::array kCodes = {ErrorCode::kInvalidArgument,    ErrorCode::kNotFound,
                                 ErrorCode::kUnauthenticated,    ErrorCode::kPermissionDenied,
                                 ErrorCode::kFailedPrecondition, ErrorCode::kResourceExhausted,
                                 ErrorCode::kUnavailable,        ErrorCode::kInternal};
  if (member->is_string()) {
    for (ErrorCode code : kCodes) {
      if (ErrorCodeName(code) == member->get<std::string>()) return code;
    }
  }
  Decoder::Fail(path + ".code",
                "expected an error code such as \"invalid_argument\", got " + member->dump());
}

void ReadWorld(const Json& value, const std::string& path, scenario::WorldSummary& world) {
  using D = Decoder;
  D::Object(value, path);
  D::String(value, "clusterVersion", path, world.cluster_version);
  D::Strings(value, "admissionPlugins", path, world.admission_plugins);
  D::Pairs(value, "featureGates", path, world.feature_gates);
  D::Array(value, "registries", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::RegistrySummary registry;
    D::String(item, "host", item_path, registry.host);
    D::String(item, "auth", item_path, registry.auth);
    D::Strings(item, "users", item_path, registry.users);
    D::Array(item, "images", item_path, [&](const Json& image, const std::string& image_path) {
      D::Object(image, image_path);
      scenario::ImageSummary summary;
      D::String(image, "reference", image_path, summary.reference);
      D::String(image, "digest", image_path, summary.digest);
      D::Strings(image, "platforms", image_path, summary.platforms);
      registry.images.push_back(std::move(summary));
    });
    world.registries.push_back(std::move(registry));
  });
  D::Array(value, "nodes", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::NodeSummary node;
    D::String(item, "name", item_path, node.name);
    D::String(item, "platform", item_path, node.platform);
    D::Pairs(item, "kubelet", item_path, node.kubelet);
    D::Strings(item, "files", item_path, node.files);
    D::Strings(item, "images", item_path, node.images);
    world.nodes.push_back(std::move(node));
  });
  D::Array(value, "objects", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::ObjectSummary object;
    D::String(item, "kind", item_path, object.kind);
    D::String(item, "namespace", item_path, object.namespace_name);
    D::String(item, "name", item_path, object.name);
    D::String(item, "detail", item_path, object.detail);
    world.objects.push_back(std::move(object));
  });
}

scenario::PodResult ReadPod(const Json& value, const std::string& path) {
  using D = Decoder;
  D::Object(value, path);
  scenario::PodResult pod;
  D::String(value, "namespace", path, pod.namespace_name);
  D::String(value, "name", path, pod.name);
  D::String(value, "node", path, pod.node);
  D::Array(value, "containers", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::ContainerResult container;
    D::String(item, "name", item_path, container.name);
    D::String(item, "image", item_path, container.image);
    D::String(item, "pullPolicy", item_path, container.pull_policy);
    D::String(item, "state", item_path, container.state);
    D::String(item, "reason", item_path, container.reason);
    D::String(item, "message", item_path, container.message);
    D::String(item, "platform", item_path, container.platform);
    D::String(item, "digest", item_path, container.digest);
    if (const Json* started = D::Member(item, "startedAtMs");
        started != nullptr && !started->is_null()) {
      container.started_at = D::ToDuration(*started, item_path + ".startedAtMs");
    }
    D::Array(item, "credentials", item_path, [&](const Json& cred, const std::string& cred_path) {
      D::Object(cred, cred_path);
      scenario::CredentialAttempt attempt;
      D::String(cred, "registry", cred_path, attempt.registry_key);
      D::String(cred, "username", cred_path, attempt.username);
      D::String(cred, "source", cred_path, attempt.source);
      D::String(cred, "outcome", cred_path, attempt.outcome);
      container.credentials.push_back(std::move(attempt));
    });
    pod.containers.push_back(std::move(container));
  });
  D::Array(value, "timeline", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::TimelineInterval interval;
    D::String(item, "container", item_path, interval.container);
    interval.kind =
        D::Enumerated(item, "kind", item_path, &scenario::ParsePhaseKind,
                      "queued, pulling, backoff, running, failed", scenario::PhaseKind::kPulling);
    D::Milliseconds(item, "startMs", item_path, interval.start);
    D::Milliseconds(item, "endMs", item_path, interval.end);
    D::String(item, "label", item_path, interval.label);
    if (interval.end < interval.start) D::Fail(item_path + ".endMs", "ends before it starts");
    pod.timeline.push_back(std::move(interval));
  });
  D::Array(value, "events", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::EventRecord event;
    D::Milliseconds(item, "atMs", item_path, event.time);
    D::String(item, "type", item_path, event.type);
    D::String(item, "reason", item_path, event.reason);
    D::String(item, "message", item_path, event.message);
    D::String(item, "fieldPath", item_path, event.field_path);
    pod.events.push_back(std::move(event));
  });
  return pod;
}

ScenarioResult ReadScenario(const Json& value, const std::string& path) {
  using D = Decoder;
  D::Object(value, path);
  ScenarioResult scenario;
  D::Required(value, "file", path);
  D::Required(value, "name", path);
  D::Required(value, "status", path);
  D::String(value, "file", path, scenario.file);
  D::String(value, "name", path, scenario.name);
  D::String(value, "description", path, scenario.description);
  D::String(value, "area", path, scenario.area);
  D::Strings(value, "rules", path, scenario.rules);
  D::String(value, "xfail", path, scenario.xfail);
  D::Integer(value, "seed", path, scenario.seed);
  scenario.status =
      D::Enumerated(value, "status", path, &scenario::ParseScenarioStatus,
                    "PASS, FAIL, XFAIL, XPASS, INVALID", scenario::ScenarioStatus::kPass);
  D::Array(value, "diagnostics", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::Diagnostic diagnostic;
    D::String(item, "file", item_path, diagnostic.location.file);
    D::Integer(item, "line", item_path, diagnostic.location.line);
    D::Integer(item, "column", item_path, diagnostic.location.column);
    D::String(item, "field", item_path, diagnostic.field);
    D::String(item, "message", item_path, diagnostic.message);
    diagnostic.code = ParseErrorCode(item, item_path);
    scenario.diagnostics.push_back(std::move(diagnostic));
  });
  D::Integer(value, "diagnosticsOmitted", path, scenario.diagnostics_omitted);
  D::Array(value, "failures", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::FailedExpectation failure;
    D::String(item, "file", item_path, failure.location.file);
    D::Integer(item, "line", item_path, failure.location.line);
    D::Integer(item, "column", item_path, failure.location.column);
    D::String(item, "subject", item_path, failure.subject);
    D::String(item, "check", item_path, failure.check);
    D::String(item, "expected", item_path, failure.expected);
    D::String(item, "actual", item_path, failure.actual);
    scenario.failures.push_back(std::move(failure));
  });
  D::String(value, "error", path, scenario.error);
  D::Milliseconds(value, "wallTimeMs", path, scenario.wall_time);
  D::Milliseconds(value, "virtualTimeMs", path, scenario.virtual_time);
  if (const Json* world = D::Member(value, "world"))
    ReadWorld(*world, path + ".world", scenario.world);
  D::Array(value, "pods", path, [&](const Json& item, const std::string& item_path) {
    scenario.pods.push_back(ReadPod(item, item_path));
  });
  D::Array(value, "requests", path, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::RequestRecord request;
    D::Milliseconds(item, "atMs", item_path, request.time);
    D::String(item, "registry", item_path, request.registry);
    D::String(item, "client", item_path, request.client);
    D::String(item, "identity", item_path, request.identity);
    D::String(item, "method", item_path, request.method);
    D::String(item, "path", item_path, request.path);
    D::Integer(item, "status", item_path, request.status);
    D::Integer(item, "bytes", item_path, request.bytes);
    scenario.requests.push_back(std::move(request));
  });
  D::Integer(value, "requestsOmitted", path, scenario.requests_omitted);
  return scenario;
}

RunResults ReadRun(const Json& document) {
  using D = Decoder;
  const std::string root = "$";
  D::Object(document, root);
  const Json& schema = D::Required(document, "schema", root);
  if (!schema.is_string() || schema.get<std::string>() != kResultsSchema) {
    D::Fail(root + ".schema", "expected \"" + std::string(kResultsSchema) + "\", got " +
                                  schema.dump() + " (a results file of another version)");
  }
  RunResults results;
  D::String(document, "pullsimVersion", root, results.pullsim_version);
  D::Integer(document, "seed", root, results.seed);
  if (const Json* started = D::Member(document, "started")) {
    if (!started->is_string()) D::Fail(root + ".started", "expected an RFC 3339 time string");
    std::optional<Timestamp> parsed = ParseTimestamp(started->get<std::string>());
    if (!parsed) {
      D::Fail(
          root + ".started",
          "expected an RFC 3339 UTC time such as \"2026-01-01T00:00:00Z\", got " + started->dump());
    }
    results.started = *parsed;
  }
  D::Milliseconds(document, "durationMs", root, results.duration);
  D::Array(document, "scenarios", root, [&](const Json& item, const std::string& item_path) {
    results.scenarios.push_back(ReadScenario(item, item_path));
  });
  D::Array(document, "tests", root, [&](const Json& item, const std::string& item_path) {
    D::Object(item, item_path);
    scenario::TestResult test;
    D::Required(item, "name", item_path);
    D::String(item, "name", item_path, test.name);
    D::String(item, "file", item_path, test.file);
    D::Integer(item, "line", item_path, test.line);
    D::Strings(item, "rules", item_path, test.rules);
    test.status = D::Enumerated(item, "status", item_path, &scenario::ParseTestStatus,
                                "PASS, FAIL, SKIPPED", scenario::TestStatus::kPass);
    D::String(item, "failure", item_path, test.failure);
    results.tests.push_back(std::move(test));
  });
  return results;
}

}  // namespace

Result<RunResults> ParseJsonResults(std::string_view text, std::string_view file_name) {
  Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return Fail(ErrorCode::kInvalidArgument,
                "not valid JSON (expected a " + std::string(kResultsSchema) + " document)",
                std::string(file_name));
  }
  try {
    return ReadRun(document);
  } catch (const DecodeError& error) {
    return Fail(ErrorCode::kInvalidArgument, error.message,
                std::string(file_name) + ": " + error.path);
  }
}

Result<RunResults> ReadJsonResults(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound, "cannot open results file", path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Fail(ErrorCode::kUnavailable, "cannot read results file", path.string());
  return ParseJsonResults(text.str(), path.string());
}

}  // namespace pullsim::report
