#pragma once
// `pullsim explain`: the whole decision behind one pod's containers at the end of a scenario —
// image name (REF-), pull policy and the admission step that set it (POL-, ADM-), the cached copy
// and KEP-2535's verdict (KUB-02, KEP2535-04), each credential offered in keyring order and what
// the registry said (CRED-), each registry exchange, the platform chosen (ARCH-), and the
// container's state and events (KUB-03/04). Built from a live Simulation after every step ran.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/simulation.h"

namespace pullsim::scenario {

// 1. The image as written and as the node reads it.
struct ExplainedImage {
  std::string written;  // as in the pod spec: "nginx"
  std::string tagged;   // what the kubelet hands the runtime (REF-11): "nginx:latest"
  bool default_tag_added = false;
  std::string
      normalised;  // the runtime's reference (REF-02, REF-09): "docker.io/library/nginx:latest"
  std::string repository;  // what credentials are looked up for (REF-10, CRED-12)
  std::string error;       // the parse error when the name is invalid (InvalidImageName)
};

// 2. The pull policy the kubelet saw and who set it.
struct ExplainedPolicy {
  std::string value;    // "Always", "IfNotPresent", "Never"
  std::string written;  // in the manifest as applied; "" when left empty
  std::string set_by;   // "written", "Defaulting", "AlwaysPullImages"
  std::string rule;     // "POL-01", "ADM-01"; "" when written
  std::string why;      // one sentence
};

// 3. Whether the node had the image and may use its copy (KUB-02, KEP2535-04).
struct ExplainedCache {
  bool inspected = false;           // false under Always: the kubelet does not look
  bool present = false;             // the node had the image when the kubelet last decided
  std::string image_ref;            // its imageRef then
  std::string verification_policy;  // KEP-2535 policy; "" when the feature is off
  std::optional<bool> may_use;      // KEP-2535 verdict, when one was asked for
  std::string decision;             // "pull", "use the cached copy", "no pull (Never)"
  std::string reason;               // why, one sentence
  bool present_at_end = false;      // the node holds the image at the end of the scenario
};

// 4. One credential in keyring order (CRED-11, CRED-13).
struct ExplainedCredential {
  std::string key;       // the docker config key that matched: "*.registry.test"
  std::string username;  // never the password
  std::string source;    // "secret NS/NAME", "node PATH", "plugin NAME"
  std::string matched;   // why the key matched the repository, with the rule id
  std::string outcome;   // "accepted", "401 Unauthorized", "403 Forbidden", "not tried", ...
  std::string error;     // the runtime's text when refused
};

// A pull secret of the pod that gave no credential, and why.
struct SkippedSecret {
  std::string secret;  // "NS/NAME"
  std::string why;
  std::string rule;  // CRED-14, KUB-14, CRED-07, CRED-10
};

struct ExplainedCredentials {
  bool pulled = false;  // false: no pull was made, `tried` is what a pull would offer
  std::vector<ExplainedCredential> tried;
  // CRED-13: one attempt without credentials, made only when no credential matched.
  bool anonymous = false;
  std::string anonymous_outcome;
  std::string anonymous_error;
  std::vector<SkippedSecret> skipped;
  // The node's docker config (CRED-02/03): the file used ("" when none is usable), its keys in
  // lookup order, whether one matches, and files passed over on the search path and why.
  std::string node_config;
  std::vector<std::string> node_keys;
  bool node_key_matches = false;
  std::vector<std::string> node_files_skipped;
  std::string lookup_error;  // KUB-14: the keyring could not be built; nothing was tried
  std::string note;          // why nothing was, or would be, offered, when that is so
};

// 5. One request of the pull.
struct ExplainedExchange {
  std::string credential;  // the attempt it belongs to: "anonymous", "secret NS/NAME"
  std::string method;
  std::string url;
  int status = 0;         // 0: no answer
  std::string auth;       // what the request carried: "", "basic robot-a", "bearer"
  std::string challenge;  // WWW-Authenticate of a 401
  std::string scope;      // the scope a token request asked for
  std::string error;
};

// 6. The platform choice (ARCH-02..06).
struct ExplainedPlatform {
  std::string node_platform;            // "linux/amd64"
  std::vector<std::string> acceptable;  // in the runtime's order of preference (ARCH-04)
  std::string index_digest;             // "" when the image is a single manifest or unknown
  std::vector<std::string> entries;     // "linux/arm64/v8 sha256:…", index order
  std::string chosen;                   // the entry's platform; "" when none or no index
  std::string manifest_digest;
  std::string summary;  // one sentence: chosen, why none fit, or not reached
  std::string rule;     // "ARCH-05", "ARCH-06"
};

struct ExplainedEvent {
  Duration at{};  // since the start of the scenario
  std::string type;
  std::string reason;
  std::string message;
  std::string object;  // "" for the container, "pod" for an event on the Pod
};

// 7. Where the container ended up.
struct ExplainedOutcome {
  std::string state;  // "Waiting", "Running", "Terminated"
  std::string reason;
  std::string message;
  std::vector<ExplainedEvent> events;
};

// A pull before the last one.
struct EarlierPull {
  Duration at{};
  int attempts = 0;     // runtime calls: one per credential, or one anonymous
  std::string outcome;  // "pulled", or the last attempt's short error
};

struct ContainerExplanation {
  std::string name;
  std::string list;  // "initContainers", "containers", "ephemeralContainers"
  ExplainedImage image;
  ExplainedPolicy policy;
  ExplainedCache cache;
  ExplainedCredentials credentials;
  std::vector<ExplainedExchange> exchanges;  // of the last pull
  std::optional<Duration> last_pull_at;      // when the last pull started; nullopt: none
  std::vector<EarlierPull> earlier_pulls;
  // Pulls that started (a Pulling event) but never reached the runtime: refused by the pull QPS
  // limit (KUB-09) or a failed credential lookup (KUB-14).
  int pulls_not_sent = 0;
  ExplainedPlatform platform;
  ExplainedOutcome outcome;
};

struct PodExplanation {
  std::string scenario;  // file
  std::string namespace_name;
  std::string name;
  std::string node;
  Duration at{};  // the end of the scenario, on its clock
  std::vector<ContainerExplanation> containers;
};

// Runs `scenario` to its end and explains pod `namespace_name`/`name` (only `container` when
// given). kInvalidArgument when the scenario's world cannot be built; kNotFound when no node ran
// the pod or it has no such container, naming what exists ("did you mean ...").
[[nodiscard]] Result<PodExplanation> ExplainPod(const Scenario& scenario,
                                                std::string_view namespace_name,
                                                std::string_view name,
                                                std::optional<std::string_view> container = {});

// The same over a world whose steps have run (see RunScenarioKeepingWorld). It asks the node
// for the credentials a pull would offer, which may read its docker config and plugins.
[[nodiscard]] Result<PodExplanation> ExplainPod(Simulation& world, std::string_view namespace_name,
                                                std::string_view name,
                                                std::optional<std::string_view> container = {});

// "NS/NAME" of every pod a node of the world ran, in node order then the order given.
[[nodiscard]] std::vector<std::string> PodsOf(const Simulation& world);

// The explanation for a terminal: one numbered section per part, aligned, no passwords.
[[nodiscard]] std::string FormatExplanation(const PodExplanation& explanation);
// The same as one JSON document (shape in `pullsim explain --help` and README.md).
[[nodiscard]] std::string ExplanationJson(const PodExplanation& explanation);

}  // namespace pullsim::scenario
