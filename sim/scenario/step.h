#pragma once
// The steps of a scenario, run in order against its world: apply or delete objects, advance the
// virtual clock, change registries and nodes, and check expectations. Each step and each check
// keeps the SourceLocation a failure prints before "expected ..., got ...".

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/clock.h"
#include "sim/oci/registry_transport.h"
#include "sim/reference/pull_policy.h"
#include "sim/scenario/source_location.h"
#include "sim/scenario/world.h"

namespace pullsim::scenario {

// ---- expectations -----------------------------------------------------------------------------

enum class ContainerState { kWaiting, kRunning, kTerminated };

// Where the credential of a pull attempt came from (CRED-01).
enum class CredentialSourceKind {
  kAnonymous,  // no credential matched: one pull without auth (CRED-13)
  kSecret,     // a pull secret of the pod
  kNode,       // the node's docker config file
  kProvider,   // a credential-provider plugin
};

struct CredentialSource {
  CredentialSourceKind kind = CredentialSourceKind::kAnonymous;
  std::string detail;  // secret name, node file path or provider name; "" for kAnonymous
  // "anonymous", "secret:regcred", "node:/var/lib/kubelet/config.json", "provider:acme"
  [[nodiscard]] std::string ToString() const;
  friend bool operator==(const CredentialSource&, const CredentialSource&) = default;
};

// One expected event: its reason, and optionally its type and message.
struct EventExpectation {
  std::string reason;                           // "Pulling", "Failed", "BackOff", ...
  std::optional<std::string> type;              // "Normal" or "Warning"
  std::optional<std::string> message;           // the whole message
  std::optional<std::string> message_contains;  // a part of it
  SourceLocation location;
};

// A count: exactly `equal`, or within [at_least, at_most] (each optional, at least one set).
struct CountExpectation {
  std::optional<std::uint64_t> equal;
  std::optional<std::uint64_t> at_least;
  std::optional<std::uint64_t> at_most;
  SourceLocation location;

  [[nodiscard]] bool Matches(std::uint64_t actual) const;
  // "3", "at least 1", "between 2 and 4", "at most 5"
  [[nodiscard]] std::string Describe() const;
};

// Checks on a pod and one of its containers. Unset fields are not checked.
struct PodChecks {
  std::string namespace_name;  // "default" when the expectation names only the pod
  std::string name;
  std::optional<Located<std::string>> container;  // unset: the pod's only container
  std::optional<Located<ContainerState>> state;
  std::optional<Located<std::string>> reason;  // waiting/terminated reason: "ErrImagePull"
  std::optional<Located<std::string>> message;
  std::optional<Located<std::string>> message_contains;
  // The pod's events in order, all of them (`events`) or as a subsequence (`eventsInclude`).
  std::optional<Located<std::vector<EventExpectation>>> events;
  std::optional<Located<std::vector<EventExpectation>>> events_include;
  std::optional<Located<Duration>> started_at;   // virtual time since the scenario began
  std::optional<Located<std::string>> platform;  // platform of the manifest the node chose
  std::optional<Located<std::string>> digest;    // digest of the manifest the node chose
  std::optional<Located<reference::PullPolicy>> image_pull_policy;      // after admission
  std::optional<Located<std::vector<std::string>>> image_pull_secrets;  // after admission
  std::optional<Located<std::string>> service_account_name;             // after admission
  std::optional<Located<CredentialSource>> credential;  // what the last successful pull used
  // Every credential tried for the container's last pull, in order (CRED-11, CRED-13).
  std::optional<Located<std::vector<CredentialSource>>> credentials_tried;
};

// Checks on a node. Pulls count image pulls started (one `Pulling` event each); pulls by source
// count the attempts each pull made with each kind of credential (CRED-13).
struct NodeChecks {
  std::string name;
  std::optional<CountExpectation> pulls;
  std::vector<std::pair<CredentialSourceKind, CountExpectation>> pulls_by_source;
  std::vector<Located<std::string>> cached;      // references the image store must hold
  std::vector<Located<std::string>> not_cached;  // references it must not hold
};

// How many entries of a registry's request log match a filter; unset fields match anything.
struct RequestExpectation {
  std::optional<oci::RegistryEndpoint> endpoint;  // "manifest", "blob", "token", ...
  std::string method;                             // "GET", "HEAD", ...; "" = any
  std::optional<int> status;                      // HTTP status answered
  std::string client;                             // identity: a user name or "anonymous"
  std::string repositories;                       // glob over the repository; "" = any
  CountExpectation count;
  SourceLocation location;
};

struct RegistryChecks {
  std::string host;
  std::vector<RequestExpectation> requests;
};

// One `expect` step: the checks of each subject named, all of which must hold. With `within`
// they must hold at some moment up to `within` of virtual time from now (the runner advances
// the clock); with `never` they must not all hold at any moment up to `within` (or now).
struct Expectation {
  std::optional<PodChecks> pod;
  std::optional<NodeChecks> node;
  std::optional<RegistryChecks> registry;
  std::optional<Duration> within;
  bool never = false;
};

// ---- steps ------------------------------------------------------------------------------------

// Create the objects, in order, through admission. With `refused` the API server must refuse
// the (single) object with exactly this message; with `warnings` it must answer these warnings.
struct ApplyStep {
  std::vector<Manifest> objects;
  std::optional<Located<std::string>> refused;
  std::optional<Located<std::vector<std::string>>> warnings;
};

struct DeleteStep {
  ObjectKind kind = ObjectKind::kPod;
  std::string namespace_name;  // "" for a Namespace
  std::string name;
};

// Move the virtual clock forward; nodes and registries act on it (retries, back-off, expiry).
struct AdvanceStep {
  Duration duration{0};
};

// Push new content to a tag of a registry (replacing what the tag named).
struct PushStep {
  std::string host;
  registry::ImageSource image;
};

// Delete a manifest from a registry, by tag or by digest.
struct DeleteImageStep {
  std::string host;
  std::string repository;
  std::string tag;     // "" when by digest
  std::string digest;  // "" when by tag
};

// Take away a user's access (pull, push, delete) to the repositories matching `repositories`
// ("" = all of them).
struct RevokeStep {
  std::string registry;
  std::string user;
  std::string repositories;
};

struct RotatePasswordStep {
  std::string registry;
  std::string user;
  std::string password;
};

// Remove an image from a node's image store (as `crictl rmi` would).
struct RemoveImageStep {
  std::string node;
  std::string image;  // reference as written
};

// Replace, create or delete a file on a node.
struct EditFileStep {
  std::string node;
  std::string path;
  std::optional<std::string> content;  // nullopt: delete the file
  bool readable = true;
};

using StepAction =
    std::variant<ApplyStep, DeleteStep, AdvanceStep, PushStep, DeleteImageStep, RevokeStep,
                 RotatePasswordStep, RemoveImageStep, EditFileStep, Expectation>;

struct Step {
  StepAction action;
  SourceLocation location;

  // The step's key as written: "apply", "expect", "rotatePassword", ...
  [[nodiscard]] std::string_view Kind() const;
};

}  // namespace pullsim::scenario
