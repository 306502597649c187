// Expectations: checks on a pod and its container, a node, and a registry's request log.
#include <algorithm>
#include <array>
#include <limits>

#include "sim/reference/pull_policy.h"
#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"

namespace pullsim::scenario::internal {
namespace {

constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();

constexpr std::array<std::string_view, 16> kPodChecks = {
    "container",          "state",      "reason",           "message",
    "messageContains",    "events",     "eventsInclude",    "startedAt",
    "platform",           "digest",     "imagePullPolicy",  "imagePullSecrets",
    "serviceAccountName", "credential", "credentialsTried", "pod"};
constexpr std::array<std::string_view, 5> kNodeChecks = {"pulls", "pullsBySource", "cached",
                                                         "notCached", "node"};

template <typename T>
Located<T> At(Context& context, const Field& field, T value) {
  return Located<T>{std::move(value), context.Location(field)};
}

std::optional<CredentialSource> ReadCredentialSource(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  const std::string problem =
      "expected \"anonymous\", \"secret:NAME\", \"node:/path/to/config.json\" or "
      "\"provider:NAME\", got \"" +
      *text + "\"";
  if (*text == "anonymous") return CredentialSource{CredentialSourceKind::kAnonymous, ""};
  std::size_t colon = text->find(':');
  if (colon == std::string::npos || colon + 1 == text->size()) {
    context.Error(field, problem);
    return std::nullopt;
  }
  std::string kind = text->substr(0, colon);
  std::string detail = text->substr(colon + 1);
  if (kind == "secret" && IsObjectName(detail)) {
    return CredentialSource{CredentialSourceKind::kSecret, detail};
  }
  if (kind == "node" && detail.starts_with("/")) {
    return CredentialSource{CredentialSourceKind::kNode, detail};
  }
  if (kind == "provider") {
    const auto& providers = state.scenario.cluster.credential_providers;
    bool known = std::any_of(providers.begin(), providers.end(),
                             [&](const CredentialProvider& p) { return p.name == detail; });
    if (!known) {
      std::vector<std::string_view> names;
      for (const CredentialProvider& p : providers) names.push_back(p.name);
      context.UnknownWord(field, detail, names, "credential provider");
      return std::nullopt;
    }
    return CredentialSource{CredentialSourceKind::kProvider, detail};
  }
  context.Error(field, problem);
  return std::nullopt;
}

std::optional<std::vector<EventExpectation>> ReadEvents(Context& context, const Field& field) {
  auto items = context.List(field);
  if (!items) return std::nullopt;
  std::size_t before = context.errors();
  std::vector<EventExpectation> events;
  for (const Field& item : *items) {
    EventExpectation event;
    event.location = context.Location(item);
    if (item.value.IsScalar()) {
      event.reason = context.NonEmptyString(item).value_or("");
    } else {
      auto map = context.Map(item, {"reason", "type", "message", "messageContains"}, {"reason"});
      if (!map) continue;
      if (auto f = map->Get("reason")) event.reason = context.NonEmptyString(*f).value_or("");
      if (auto f = map->Get("type")) {
        auto type = context.String(*f);
        if (type && *type != "Normal" && *type != "Warning") {
          context.Error(*f, "an event type is \"Normal\" or \"Warning\", got \"" + *type + "\"");
        }
        event.type = type;
      }
      if (auto f = map->Get("message")) event.message = context.String(*f);
      if (auto f = map->Get("messageContains")) event.message_contains = context.NonEmptyString(*f);
    }
    events.push_back(std::move(event));
  }
  if (context.errors() != before) return std::nullopt;
  return events;
}

void ReadPodChecks(LoadState& state, const MapView& map, PodChecks& pod) {
  Context& context = state.context;
  Field subject = *map.Get("pod");
  auto text = context.NonEmptyString(subject);
  if (!text) return;
  std::size_t slash = text->find('/');
  pod.namespace_name = slash == std::string::npos ? "default" : text->substr(0, slash);
  pod.name = slash == std::string::npos ? *text : text->substr(slash + 1);
  if (!IsObjectName(pod.namespace_name) || !IsObjectName(pod.name)) {
    context.Error(subject,
                  "expected a pod as \"name\" or \"namespace/name\", got \"" + *text + "\"");
    return;
  }
  std::string key = pod.namespace_name + "/" + pod.name;
  auto applied = state.pods.find(key);
  if (applied == state.pods.end()) {
    std::vector<std::string> known;
    for (const auto& [name, containers] : state.pods) known.push_back(name);
    std::vector<std::string_view> views(known.begin(), known.end());
    context.Error(
        subject, "pod \"" + key + "\" is not applied before this step" + Context::Hint(key, views));
  }
  if (auto f = map.Get("container")) {
    if (auto name = context.NonEmptyString(*f)) {
      if (applied == state.pods.end()) {
        // The pod is unknown, so its containers are too; the pod's error says why.
      } else if (!applied->second.contains(*name)) {
        std::vector<std::string_view> names(applied->second.begin(), applied->second.end());
        context.UnknownWord(*f, *name, names, "container of pod " + key);
      } else {
        pod.container = At(context, *f, *name);
      }
    }
  } else if (applied != state.pods.end() && applied->second.size() > 1 &&
             std::any_of(map.entries().begin(), map.entries().end(), [](const Field& e) {
               std::string_view k = e.key.Scalar();
               return k != "pod" && k != "events" && k != "eventsInclude" && k != "startedAt" &&
                      k != "imagePullSecrets" && k != "serviceAccountName" && k != "within" &&
                      k != "never";
             })) {
    context.Error(subject, "pod " + key + " has " + std::to_string(applied->second.size()) +
                               " containers; say which one with container:");
  }
  if (auto f = map.Get("state")) {
    if (auto state_value = context.Word(*f, ContainerStateNames(), "container state")) {
      pod.state = At(context, *f, *state_value);
    }
  }
  auto read_text = [&](std::string_view name, std::optional<Located<std::string>>& out,
                       bool non_empty) {
    auto f = map.Get(name);
    if (!f) return;
    auto value = non_empty ? context.NonEmptyString(*f) : context.String(*f);
    if (value) out = At(context, *f, *value);
  };
  read_text("reason", pod.reason, true);
  read_text("message", pod.message, false);
  read_text("messageContains", pod.message_contains, true);
  read_text("serviceAccountName", pod.service_account_name, true);
  if (auto f = map.Get("events")) {
    if (auto events = ReadEvents(context, *f)) pod.events = At(context, *f, std::move(*events));
  }
  if (auto f = map.Get("eventsInclude")) {
    if (auto events = ReadEvents(context, *f)) {
      if (events->empty()) context.Error(*f, "list at least one event");
      pod.events_include = At(context, *f, std::move(*events));
    }
  }
  if (auto f = map.Get("startedAt")) {
    if (auto at = context.DurationValue(*f)) pod.started_at = At(context, *f, *at);
  }
  if (auto f = map.Get("platform")) {
    if (auto platform = ReadPlatform(context, *f)) pod.platform = At(context, *f, *platform);
  }
  if (auto f = map.Get("digest")) {
    if (auto digest = ReadDigest(context, *f)) pod.digest = At(context, *f, *digest);
  }
  if (auto f = map.Get("imagePullPolicy")) {
    if (auto text_value = context.String(*f)) {
      if (auto policy = reference::ParsePullPolicy(*text_value)) {
        pod.image_pull_policy = At(context, *f, *policy);
      } else {
        static constexpr std::array<std::string_view, 3> kPolicies = {"Always", "IfNotPresent",
                                                                      "Never"};
        context.UnknownWord(*f, *text_value, kPolicies, "imagePullPolicy");
      }
    }
  }
  if (auto f = map.Get("imagePullSecrets")) {
    if (f->value.IsSequence() && f->value.size() == 0) {
      pod.image_pull_secrets = At(context, *f, std::vector<std::string>{});
    } else if (auto names = context.StringList(*f)) {
      pod.image_pull_secrets = At(context, *f, std::move(*names));
    }
  }
  if (auto f = map.Get("credential")) {
    if (auto source = ReadCredentialSource(state, *f)) pod.credential = At(context, *f, *source);
  }
  if (auto f = map.Get("credentialsTried")) {
    if (auto items = context.List(*f)) {
      std::vector<CredentialSource> sources;
      bool ok = true;
      for (const Field& item : *items) {
        auto source = ReadCredentialSource(state, item);
        ok = ok && source.has_value();
        if (source) sources.push_back(*source);
      }
      if (ok) pod.credentials_tried = At(context, *f, std::move(sources));
    }
  }
}

void ReadNodeChecks(LoadState& state, const MapView& map, NodeChecks& node) {
  Context& context = state.context;
  Field subject = *map.Get("node");
  auto name = context.NonEmptyString(subject);
  if (!name) return;
  if (!state.HasNode(*name)) {
    std::vector<std::string_view> names;
    for (const Node& known : state.scenario.nodes) names.push_back(known.name);
    context.UnknownWord(subject, *name, names, "node");
  }
  node.name = *name;
  if (auto f = map.Get("pulls")) node.pulls = ReadCount(context, *f);
  if (auto f = map.Get("pullsBySource")) {
    auto sources = context.FreeMap(*f);
    for (const Field& entry : sources ? sources->entries() : std::vector<Field>{}) {
      Field key_field{entry.key, entry.key, entry.path};
      auto kind = context.Word(key_field, CredentialSourceKindNames(), "credential source");
      auto count = ReadCount(context, entry);
      if (kind && count) node.pulls_by_source.emplace_back(*kind, *count);
    }
  }
  auto read_refs = [&](std::string_view key, std::vector<Located<std::string>>& out) {
    auto f = map.Get(key);
    if (!f) return;
    auto items = context.List(*f);
    for (const Field& item : items.value_or(std::vector<Field>{})) {
      if (ReadReference(context, item, true)) out.push_back(At(context, item, item.value.Scalar()));
    }
  };
  read_refs("cached", node.cached);
  read_refs("notCached", node.not_cached);
}

}  // namespace

std::optional<CountExpectation> ReadCount(Context& context, const Field& field) {
  CountExpectation count;
  count.location = context.Location(field);
  if (field.value.IsMap()) {
    auto map = context.Map(field, {"atLeast", "atMost"});
    if (!map) return std::nullopt;
    if (auto f = map->Get("atLeast")) {
      if (auto n = context.Integer(*f, 0, kMaxCount))
        count.at_least = static_cast<std::uint64_t>(*n);
    }
    if (auto f = map->Get("atMost")) {
      if (auto n = context.Integer(*f, 0, kMaxCount))
        count.at_most = static_cast<std::uint64_t>(*n);
    }
    if (!count.at_least && !count.at_most) {
      if (map->entries().empty()) context.Error(field, "give atLeast, atMost or both");
      return std::nullopt;
    }
    if (count.at_least && count.at_most && *count.at_least > *count.at_most) {
      context.Error(field, "atLeast is larger than atMost");
      return std::nullopt;
    }
    return count;
  }
  if (!field.value.IsScalar()) {
    context.Error(field, "expected a count (an integer) or {atLeast, atMost}, got " +
                             Context::Describe(field.value));
    return std::nullopt;
  }
  auto n = context.Integer(field, 0, kMaxCount);
  if (!n) return std::nullopt;
  count.equal = static_cast<std::uint64_t>(*n);
  return count;
}

std::optional<Expectation> ReadExpectation(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto map = context.Map(field, {"pod",
                                 "container",
                                 "state",
                                 "reason",
                                 "message",
                                 "messageContains",
                                 "events",
                                 "eventsInclude",
                                 "startedAt",
                                 "platform",
                                 "digest",
                                 "imagePullPolicy",
                                 "imagePullSecrets",
                                 "serviceAccountName",
                                 "credential",
                                 "credentialsTried",
                                 "node",
                                 "pulls",
                                 "pullsBySource",
                                 "cached",
                                 "notCached",
                                 "registry",
                                 "requests",
                                 "within",
                                 "never"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  Expectation expectation;
  bool has_pod = map->Has("pod");
  bool has_node = map->Has("node");
  bool has_registry = map->Has("registry");
  bool any_check = false;
  for (const Field& entry : map->entries()) {
    std::string_view key = entry.key.Scalar();
    bool pod_check = std::find(kPodChecks.begin(), kPodChecks.end(), key) != kPodChecks.end();
    bool node_check = std::find(kNodeChecks.begin(), kNodeChecks.end(), key) != kNodeChecks.end();
    if (key == "pod" || key == "node" || key == "registry" || key == "within" || key == "never") {
      continue;
    }
    any_check = true;
    if (pod_check && !has_pod) {
      context.Error(entry.key.Mark(), entry.path,
                    "\"" + std::string(key) + "\" checks a pod: add pod: NAME or NAMESPACE/NAME");
    } else if (node_check && !has_node) {
      context.Error(entry.key.Mark(), entry.path,
                    "\"" + std::string(key) + "\" checks a node: add node: NAME");
    } else if (key == "requests" && !has_registry) {
      context.Error(entry.key.Mark(), entry.path,
                    "\"requests\" checks a registry's request log: add registry: HOST");
    }
  }
  if (!has_pod && !has_node && !has_registry) {
    context.Error(field, "an expectation names what it checks: pod, node or registry");
    return std::nullopt;
  }
  if (!any_check) {
    context.Error(field, "nothing to check: add e.g. state, events, pulls or requests");
    return std::nullopt;
  }
  if (context.errors() != before) return std::nullopt;
  if (has_pod) ReadPodChecks(state, *map, expectation.pod.emplace());
  if (has_node) ReadNodeChecks(state, *map, expectation.node.emplace());
  if (has_registry) ReadRegistryChecks(state, *map, expectation.registry.emplace());
  if (auto f = map->Get("within")) {
    if (auto within = context.DurationValue(*f)) {
      if (within->count() == 0) {
        context.Error(*f, "within 0s is the same as now; drop it");
      } else {
        expectation.within = *within;
      }
    }
  }
  if (auto f = map->Get("never")) expectation.never = context.Bool(*f).value_or(false);
  if (context.errors() != before) return std::nullopt;
  return expectation;
}

}  // namespace pullsim::scenario::internal
