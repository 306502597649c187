#include "sim/scenario/expectations.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "sim/oci/platform.h"
#include "sim/registry/names.h"
#include "sim/registry/request_log.h"
#include "sim/scenario/names.h"

namespace pullsim::scenario {
namespace {

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string Or(std::string text, std::string_view empty) {
  return text.empty() ? std::string(empty) : text;
}

// Collects failures for one subject.
class Failures {
 public:
  Failures(std::vector<FailedExpectation>& out, std::string subject, const SourceLocation& step)
      : out_(out), subject_(std::move(subject)), step_(step) {}

  void Add(const SourceLocation& where, std::string check, std::string expected,
           std::string actual) {
    out_.push_back(FailedExpectation{where.line == 0 ? step_ : where, subject_, std::move(check),
                                     std::move(expected), std::move(actual)});
  }
  template <typename T>
  void Add(const Located<T>& located, std::string check, std::string expected, std::string actual) {
    Add(located.location, std::move(check), std::move(expected), std::move(actual));
  }

 private:
  std::vector<FailedExpectation>& out_;
  std::string subject_;
  const SourceLocation& step_;
};

// ---- pods -------------------------------------------------------------------------------------

std::string DescribeEvent(const node::Event& event) {
  std::string text = event.type + " " + event.reason + ": " + event.message;
  if (!event.object.field_path.empty()) text += "  (" + event.object.field_path + ")";
  return text;
}

std::string DescribeEvents(const std::vector<node::Event>& events) {
  if (events.empty()) return "no events";
  std::string text;
  for (const node::Event& event : events) {
    if (!text.empty()) text += "\n";
    text += DescribeEvent(event);
  }
  return text;
}

std::string DescribeExpected(const EventExpectation& expected) {
  std::string text = expected.type.value_or("*") + " " + expected.reason;
  if (expected.message) text += ": " + *expected.message;
  if (expected.message_contains) text += ": ..." + *expected.message_contains + "...";
  return text;
}

std::string DescribeExpected(const std::vector<EventExpectation>& events) {
  if (events.empty()) return "no events";
  std::string text;
  for (const EventExpectation& event : events) {
    if (!text.empty()) text += "\n";
    text += DescribeExpected(event);
  }
  return text;
}

bool EventMatches(const EventExpectation& expected, const node::Event& event) {
  if (expected.reason != event.reason) return false;
  if (expected.type && *expected.type != event.type) return false;
  if (expected.message && *expected.message != event.message) return false;
  if (expected.message_contains &&
      event.message.find(*expected.message_contains) == std::string::npos) {
    return false;
  }
  return true;
}

// eventsInclude: `expected` appears in `events` in order, others may come between.
bool IsSubsequence(const std::vector<EventExpectation>& expected,
                   const std::vector<node::Event>& events) {
  std::size_t next = 0;
  for (const node::Event& event : events) {
    if (next < expected.size() && EventMatches(expected[next], event)) ++next;
  }
  return next == expected.size();
}

bool AllMatch(const std::vector<EventExpectation>& expected,
              const std::vector<node::Event>& events) {
  if (expected.size() != events.size()) return false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!EventMatches(expected[i], events[i])) return false;
  }
  return true;
}

std::string DescribeState(const ContainerStatus& status) {
  std::string text(ContainerStateName(status.state));
  if (!status.reason.empty()) text += " (" + status.reason + ")";
  return text;
}

std::string NormalisedPlatform(std::string_view text) {
  Result<oci::Platform> platform = oci::SplitPlatform(text);
  if (!platform) return std::string(text);
  return oci::FormatPlatform(oci::NormalizePlatform(*platform));
}

std::string JoinSources(const std::vector<CredentialSource>& sources) {
  if (sources.empty()) return "none";
  std::string text;
  for (const CredentialSource& source : sources) {
    if (!text.empty()) text += ", ";
    text += source.ToString();
  }
  return "[" + text + "]";
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return "[" + text + "]";
}

const cluster::Container* StoredContainer(const cluster::Pod& pod, std::string_view name) {
  for (const auto* list :
       {&pod.spec.init_containers, &pod.spec.containers, &pod.spec.ephemeral_containers}) {
    for (const cluster::Container& container : *list) {
      if (container.name == name) return &container;
    }
  }
  return nullptr;
}

void CheckPod(const PodChecks& checks, const Simulation& world, Failures& failures) {
  const cluster::Pod* stored = world.cluster().FindPod(checks.namespace_name, checks.name);
  const Simulation::PodOnNode found = world.FindPod(checks.namespace_name, checks.name);
  if (stored == nullptr || found.pod == nullptr) {
    failures.Add(SourceLocation{}, "pod", "a pod " + checks.namespace_name + "/" + checks.name,
                 stored == nullptr ? "the API server has no such pod" : "no node runs it");
    return;
  }
  const PodState& pod = *found.pod;
  const ContainerStatus* status = nullptr;
  if (checks.container) {
    status = pod.FindContainer(checks.container->value);
  } else if (!pod.containers.empty()) {
    // The only container; with several the loader asked for `container:` unless every check is
    // about the pod as a whole.
    status = &pod.containers.back();
  }
  if (status == nullptr) {
    failures.Add(checks.container ? checks.container->location : SourceLocation{}, "container",
                 checks.container ? "a container " + Quote(checks.container->value) : "a container",
                 "the pod has none of that name");
    return;
  }

  if (checks.state && checks.state->value != status->state) {
    failures.Add(*checks.state, "state", std::string(ContainerStateName(checks.state->value)),
                 DescribeState(*status) + (status->message.empty() ? "" : ": " + status->message));
  }
  if (checks.reason && checks.reason->value != status->reason) {
    failures.Add(*checks.reason, "reason", checks.reason->value,
                 Or(status->reason, "no reason") + " (" +
                     std::string(ContainerStateName(status->state)) + ")");
  }
  if (checks.message && checks.message->value != status->message) {
    failures.Add(*checks.message, "message", Quote(checks.message->value), Quote(status->message));
  }
  if (checks.message_contains &&
      status->message.find(checks.message_contains->value) == std::string::npos) {
    failures.Add(*checks.message_contains, "messageContains",
                 "a message containing " + Quote(checks.message_contains->value),
                 Quote(status->message));
  }
  if (checks.events || checks.events_include) {
    const std::vector<node::Event> events = found.node->EventsOf(pod);
    if (checks.events && !AllMatch(checks.events->value, events)) {
      failures.Add(*checks.events, "events", DescribeExpected(checks.events->value),
                   DescribeEvents(events));
    }
    if (checks.events_include && !IsSubsequence(checks.events_include->value, events)) {
      failures.Add(
          *checks.events_include, "eventsInclude",
          "in this order, among others:\n" + DescribeExpected(checks.events_include->value),
          DescribeEvents(events));
    }
  }
  if (checks.started_at) {
    const std::string expected = FormatDuration(checks.started_at->value);
    if (!status->started_at) {
      failures.Add(*checks.started_at, "startedAt", expected, "not started");
    } else if (*status->started_at - world.start() != checks.started_at->value) {
      failures.Add(*checks.started_at, "startedAt", expected,
                   FormatDuration(*status->started_at - world.start()));
    }
  }
  if (checks.platform || checks.digest) {
    std::optional<ChosenManifest> chosen;
    if (!status->image_ref.empty()) chosen = found.node->ChosenFor(status->image_ref);
    const std::string none = "no manifest chosen yet (" + DescribeState(*status) + ")";
    if (checks.platform) {
      if (!chosen) {
        failures.Add(*checks.platform, "platform", checks.platform->value, none);
      } else if (NormalisedPlatform(checks.platform->value) !=
                 NormalisedPlatform(chosen->platform)) {
        failures.Add(*checks.platform, "platform", checks.platform->value,
                     Or(chosen->platform, "a single-platform manifest (no index)"));
      }
    }
    if (checks.digest) {
      if (!chosen) {
        failures.Add(*checks.digest, "digest", checks.digest->value, none);
      } else if (checks.digest->value != chosen->digest) {
        failures.Add(*checks.digest, "digest", checks.digest->value, chosen->digest);
      }
    }
  }
  if (checks.image_pull_policy) {
    const cluster::Container* container = StoredContainer(*stored, status->name);
    const std::string actual = container == nullptr ? "" : container->image_pull_policy;
    const std::string expected(reference::PullPolicyName(checks.image_pull_policy->value));
    if (actual != expected) {
      failures.Add(*checks.image_pull_policy, "imagePullPolicy", expected, Or(actual, "unset"));
    }
  }
  if (checks.image_pull_secrets) {
    std::vector<std::string> names;
    for (const cluster::LocalObjectReference& secret : stored->spec.image_pull_secrets) {
      names.push_back(secret.name);
    }
    if (names != checks.image_pull_secrets->value) {
      failures.Add(*checks.image_pull_secrets, "imagePullSecrets",
                   JoinNames(checks.image_pull_secrets->value), JoinNames(names));
    }
  }
  if (checks.service_account_name &&
      checks.service_account_name->value != stored->spec.service_account_name) {
    failures.Add(*checks.service_account_name, "serviceAccountName",
                 checks.service_account_name->value,
                 Or(stored->spec.service_account_name, "unset"));
  }
  if (checks.credential) {
    const std::string expected = checks.credential->value.ToString();
    if (!status->credential) {
      failures.Add(*checks.credential, "credential", expected,
                   "no successful pull (" + DescribeState(*status) + ")");
    } else if (!(*status->credential == checks.credential->value)) {
      failures.Add(*checks.credential, "credential", expected, status->credential->ToString());
    }
  }
  if (checks.credentials_tried && checks.credentials_tried->value != status->credentials_tried) {
    failures.Add(*checks.credentials_tried, "credentialsTried",
                 JoinSources(checks.credentials_tried->value),
                 JoinSources(status->credentials_tried));
  }
}

// ---- nodes and registries ---------------------------------------------------------------------

void CheckNode(const NodeChecks& checks, const Simulation& world, Failures& failures) {
  const NodeAgent* agent = world.FindNode(checks.name);
  if (agent == nullptr) {
    failures.Add(SourceLocation{}, "node", "a node " + checks.name, "no such node");
    return;
  }
  if (checks.pulls && !checks.pulls->Matches(agent->pulls())) {
    failures.Add(checks.pulls->location, "pulls", checks.pulls->Describe() + " pulls",
                 std::to_string(agent->pulls()) + " pulls");
  }
  for (const auto& [kind, count] : checks.pulls_by_source) {
    const std::uint64_t actual = agent->AttemptsBy(kind);
    if (!count.Matches(actual)) {
      const std::string source(NameIn(CredentialSourceKindNames(), kind));
      failures.Add(count.location, "pullsBySource." + source,
                   count.Describe() + " attempts with " + source + " credentials",
                   std::to_string(actual));
    }
  }
  for (const Located<std::string>& image : checks.cached) {
    if (!agent->HasImage(image.value)) {
      failures.Add(image, "cached", image.value + " in the image store", "absent");
    }
  }
  for (const Located<std::string>& image : checks.not_cached) {
    if (agent->HasImage(image.value)) {
      failures.Add(image, "notCached", image.value + " absent from the image store", "present");
    }
  }
}

bool SameMethod(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

std::string DescribeFilter(const RequestExpectation& filter) {
  std::string text;
  auto add = [&](std::string part) {
    if (!text.empty()) text += " ";
    text += std::move(part);
  };
  if (!filter.method.empty()) add(filter.method);
  if (filter.endpoint) add(std::string(registry::EndpointName(*filter.endpoint)));
  if (!filter.repositories.empty()) add("in " + filter.repositories);
  if (!filter.client.empty()) add("by " + filter.client);
  if (filter.status) add("answered " + std::to_string(*filter.status));
  return text.empty() ? "requests" : "requests (" + text + ")";
}

void CheckRegistry(const RegistryChecks& checks, const Simulation& world, Failures& failures) {
  std::optional<std::vector<registry::RequestLogEntry>> logged =
      world.registries().RequestsOf(checks.host);
  if (!logged) {
    failures.Add(SourceLocation{}, "registry", "a registry " + checks.host, "no such registry");
    return;
  }
  const std::vector<registry::RequestLogEntry>& entries = *logged;
  for (const RequestExpectation& filter : checks.requests) {
    std::uint64_t count = 0;
    std::string seen;
    for (const registry::RequestLogEntry& entry : entries) {
      if (filter.endpoint && entry.endpoint != filter.endpoint) continue;
      if (!filter.method.empty() && !SameMethod(filter.method, entry.method)) continue;
      if (filter.status && entry.status != *filter.status) continue;
      const std::string identity = entry.identity.empty() ? "anonymous" : entry.identity;
      if (!filter.client.empty() && filter.client != identity) continue;
      if (!filter.repositories.empty() &&
          !registry::GlobMatches(filter.repositories, entry.repository)) {
        continue;
      }
      ++count;
      if (count <= 5) {
        seen += "\n  " + entry.method + " " + entry.path + " -> " + std::to_string(entry.status) +
                " (" + identity + ")";
      }
    }
    if (!filter.count.Matches(count)) {
      failures.Add(filter.location, "requests",
                   filter.count.Describe() + " " + DescribeFilter(filter),
                   std::to_string(count) + (count > 5 ? ", the first 5:" : "") + seen + "\n(" +
                       std::to_string(entries.size()) + " requests in the log)");
    }
  }
}

}  // namespace

std::string SubjectOf(const Expectation& expectation) {
  std::string text;
  auto add = [&](std::string part) {
    if (!text.empty()) text += ", ";
    text += std::move(part);
  };
  if (expectation.pod) {
    add("pod " + expectation.pod->namespace_name + "/" + expectation.pod->name +
        (expectation.pod->container ? " container " + expectation.pod->container->value : ""));
  }
  if (expectation.node) add("node " + expectation.node->name);
  if (expectation.registry) add("registry " + expectation.registry->host);
  return text;
}

std::vector<FailedExpectation> CheckExpectation(const Expectation& expectation,
                                                const Simulation& world,
                                                const SourceLocation& step) {
  std::vector<FailedExpectation> out;
  if (expectation.pod) {
    Failures failures(
        out,
        "pod " + expectation.pod->namespace_name + "/" + expectation.pod->name +
            (expectation.pod->container ? " container " + expectation.pod->container->value : ""),
        step);
    CheckPod(*expectation.pod, world, failures);
  }
  if (expectation.node) {
    Failures failures(out, "node " + expectation.node->name, step);
    CheckNode(*expectation.node, world, failures);
  }
  if (expectation.registry) {
    Failures failures(out, "registry " + expectation.registry->host, step);
    CheckRegistry(*expectation.registry, world, failures);
  }
  return out;
}

}  // namespace pullsim::scenario
