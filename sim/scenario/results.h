#pragma once
// The results of a run of scenarios, as plain data: the runner fills these, sim/report writes
// them as JSON (schema pullsim.results/v1, reports/results-schema.json), JUnit XML and HTML.
// Virtual times are offsets from the scenario's start on its VirtualClock.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/rule_catalogue.h"
#include "sim/scenario/diagnostic.h"
#include "sim/scenario/source_location.h"

namespace pullsim::scenario {

// ---- statuses ---------------------------------------------------------------------------------

// The outcome of one scenario (llvm lit's words): a scenario with `xfail` that fails is XFAIL,
// one that passes anyway is XPASS; INVALID means it did not load (or named an unknown rule).
enum class ScenarioStatus { kPass, kFail, kXfail, kXpass, kInvalid };

// The status of a rule, the worst of the scenarios and tests that check it, in this order from
// best to worst: UNTESTED (nothing checks it), XFAIL, PASS, XPASS, FAIL. An INVALID scenario
// counts as FAIL for the rules it names.
enum class RuleStatus { kUntested, kXfail, kPass, kXpass, kFail };

// The outcome of a GoogleTest test, as its JSON output says it.
enum class TestStatus { kPass, kFail, kSkipped };

// "PASS", "FAIL", "XFAIL", "XPASS", "INVALID" / "UNTESTED" ... / "PASS", "FAIL", "SKIPPED".
[[nodiscard]] std::string_view StatusName(ScenarioStatus status);
[[nodiscard]] std::string_view StatusName(RuleStatus status);
[[nodiscard]] std::string_view StatusName(TestStatus status);
// The inverse; nullopt for any other text (case-sensitive).
[[nodiscard]] std::optional<ScenarioStatus> ParseScenarioStatus(std::string_view text);
[[nodiscard]] std::optional<RuleStatus> ParseRuleStatus(std::string_view text);
[[nodiscard]] std::optional<TestStatus> ParseTestStatus(std::string_view text);

// What a scenario or test contributes to the status of the rules it names.
[[nodiscard]] RuleStatus ToRuleStatus(ScenarioStatus status);
// nullopt for a skipped test: it checked nothing.
[[nodiscard]] std::optional<RuleStatus> ToRuleStatus(TestStatus status);

// ---- the world a scenario set up --------------------------------------------------------------

struct ImageSummary {
  std::string reference;               // "shop/web:1.0" (repository:tag within its registry)
  std::string digest;                  // of the manifest or index the tag names; may be empty
  std::vector<std::string> platforms;  // "linux/amd64", ...; empty for a platform-less image
};

struct RegistrySummary {
  std::string host;
  std::string auth;                // "anonymous", "basic", "token"
  std::vector<std::string> users;  // user names (never passwords)
  std::vector<ImageSummary> images;
};

struct NodeSummary {
  std::string name;
  std::string platform;  // "linux/amd64"
  // KubeletConfiguration fields the scenario set, by their v1beta1 names, and feature gates
  // ("featureGates.KubeletEnsureSecretPulledImages", "true").
  std::vector<std::pair<std::string, std::string>> kubelet;
  std::vector<std::string> files;   // paths of node files ("/var/lib/kubelet/config.json")
  std::vector<std::string> images;  // pre-pulled references
};

// A Kubernetes object applied during the scenario.
struct ObjectSummary {
  std::string kind;            // "Namespace", "Secret", "ServiceAccount", "Pod"
  std::string namespace_name;  // "" for a Namespace
  std::string name;
  std::string detail;  // one line: a secret's type, a pod's node and images, ...
};

struct WorldSummary {
  std::string cluster_version;                 // "1.35"
  std::vector<std::string> admission_plugins;  // "ServiceAccount", "AlwaysPullImages"
  std::vector<std::pair<std::string, std::string>> feature_gates;
  std::vector<RegistrySummary> registries;
  std::vector<NodeSummary> nodes;
  std::vector<ObjectSummary> objects;
};

// ---- what happened to each pod ----------------------------------------------------------------

// One stretch of a container's life on the pod's timeline.
enum class PhaseKind {
  kQueued,   // waiting for a pull slot or the QPS bucket (KUB-09, KUB-10)
  kPulling,  // a pull in progress
  kBackOff,  // waiting out image pull back-off (KUB-08)
  kRunning,  // started, until the scenario ends or the container stops
  kFailed,   // a failure at one moment (end == start) or waiting with an error
};
[[nodiscard]] std::string_view PhaseName(PhaseKind kind);  // "queued", "pulling", ...
[[nodiscard]] std::optional<PhaseKind> ParsePhaseKind(std::string_view text);

struct TimelineInterval {
  std::string container;
  PhaseKind kind = PhaseKind::kPulling;
  Duration start{0};
  Duration end{0};    // == start for an instant
  std::string label;  // "registry.test/app:1.0", "back-off 20s", "ErrImagePull"
};

struct EventRecord {
  Duration time{0};
  std::string type;    // "Normal", "Warning"
  std::string reason;  // "Pulling", "Failed", "BackOff", ...
  std::string message;
  std::string field_path;  // "spec.containers{web}"; empty for the pod itself
};

// One credential the kubelet offered (or the anonymous attempt), in order (CRED-11, CRED-13).
struct CredentialAttempt {
  std::string registry_key;  // the docker config key that matched: "registry.test"
  std::string username;      // never a password
  std::string source;        // CredentialSource::ToString(): "secret:regcred", "anonymous"
  std::string outcome;       // "accepted", "401 unauthorized", "403 denied", ...
};

struct ContainerResult {
  std::string name;
  std::string image;        // as written
  std::string pull_policy;  // after admission: "Always", "IfNotPresent", "Never"
  std::string state;        // "Waiting", "Running", "Terminated"
  std::string reason;       // "ErrImagePull", ...; empty when running
  std::string message;
  std::string platform;  // of the manifest the node chose: "linux/arm64/v8"; empty if none
  std::string digest;    // of the manifest the node chose; empty if none
  std::optional<Duration> started_at;
  std::vector<CredentialAttempt> credentials;  // for the last pull
};

struct PodResult {
  std::string namespace_name;
  std::string name;
  std::string node;
  std::vector<ContainerResult> containers;
  std::vector<TimelineInterval> timeline;  // by start time
  std::vector<EventRecord> events;         // in the order recorded
};

// One entry of a registry's request log (registry::RequestLogEntry, with virtual time).
struct RequestRecord {
  Duration time{0};
  std::string registry;  // host
  std::string client;    // the client: node name or address
  std::string identity;  // authenticated user or "anonymous"
  std::string method;
  std::string path;
  int status = 0;
  std::uint64_t bytes = 0;  // response body bytes
};

// ---- one scenario -----------------------------------------------------------------------------

// A failed expectation: where it was written, what was checked, what was expected and found.
struct FailedExpectation {
  SourceLocation location;  // of the expect step, or of the failing check within it
  std::string subject;      // "pod tenant-b/thief", "node node-a", "registry registry.test"
  std::string check;        // "state", "events", "pulls", "requests", ...
  std::string expected;     // may span lines
  std::string actual;       // may span lines
};

struct ScenarioResult {
  std::string file;  // as given to the runner: "fixtures/multi-tenant/x.yaml"
  std::string name;
  std::string description;
  std::string area;  // use case: the scenario's folder ("multi-tenant")
  std::vector<std::string> rules;
  std::string xfail;  // the reason, when the scenario is expected to fail
  std::uint64_t seed = 0;
  ScenarioStatus status = ScenarioStatus::kPass;

  // INVALID: the loader's diagnostics (file:line:col, field path, message).
  std::vector<Diagnostic> diagnostics;
  std::size_t diagnostics_omitted = 0;
  // FAIL / XFAIL: each expectation that did not hold. `error` is a failure outside any
  // expectation (the world could not be built, an internal error).
  std::vector<FailedExpectation> failures;
  std::string error;

  Duration virtual_time{0};  // how far the scenario's clock advanced
  Duration wall_time{0};     // how long running it took

  WorldSummary world;
  std::vector<PodResult> pods;
  std::vector<RequestRecord> requests;  // all registries, in time order
  std::size_t requests_omitted = 0;     // dropped past the log's capacity
};

// ---- tests ------------------------------------------------------------------------------------

// A GoogleTest test that names rules with CoversRule() (from --gtest_output=json).
struct TestResult {
  std::string name;  // "PullPolicy.KUB_02_AlwaysResolvesTagEvenWhenCached"
  std::string file;
  int line = 0;
  std::vector<std::string> rules;
  TestStatus status = TestStatus::kPass;
  std::string failure;  // failure messages, each starting "file:line"
};

// ---- the run ----------------------------------------------------------------------------------

struct RunResults {
  std::string pullsim_version;
  std::uint64_t seed = 0;
  Timestamp started{};   // wall clock, when the run began
  Duration duration{0};  // wall clock, the whole run
  std::vector<ScenarioResult> scenarios;
  std::vector<TestResult> tests;
};

struct StatusCounts {
  std::size_t pass = 0;
  std::size_t fail = 0;
  std::size_t xfail = 0;
  std::size_t xpass = 0;
  std::size_t invalid = 0;
  [[nodiscard]] std::size_t total() const { return pass + fail + xfail + xpass + invalid; }
  // Counts one more scenario of `status`.
  void Add(ScenarioStatus status);
};
[[nodiscard]] StatusCounts CountStatuses(const std::vector<ScenarioResult>& scenarios);

// A rule's status across the run; indexes point into RunResults::scenarios and ::tests.
struct RuleResult {
  std::string id;
  RuleStatus status = RuleStatus::kUntested;
  std::string not_simulated;  // the catalogue's reason, when behaviour cannot show the rule
  bool in_catalogue = true;   // false: named by a scenario or test but absent from the catalogue
  std::vector<std::size_t> scenarios;
  std::vector<std::size_t> tests;
};

// Every rule of `catalogue`, in its order, then any id the run names that the catalogue lacks.
[[nodiscard]] std::vector<RuleResult> SummarizeRules(const RunResults& results,
                                                     const RuleCatalogue& catalogue);

struct RuleCounts {
  std::size_t covered = 0;        // some scenario or test checks it
  std::size_t uncovered = 0;      // UNTESTED and simulated
  std::size_t not_simulated = 0;  // UNTESTED, and the catalogue says why
};
[[nodiscard]] RuleCounts CountRules(const std::vector<RuleResult>& rules);

// The use case of a scenario file: the name of its folder ("fixtures/multi-tenant/x.yaml" ->
// "multi-tenant"); "" for a file given without a folder.
[[nodiscard]] std::string AreaOf(std::string_view file);

}  // namespace pullsim::scenario
