#pragma once
// The kubelet's image manager (KUB-01..07, KUB-09, KUB-10, KUB-14): EnsureImageExists for one
// container — default tag, pull-policy precheck, KEP-2535 verification, credential lookup,
// back-off, serial or parallel pulls through the QPS throttle, one attempt per credential — with
// upstream's events, waiting reasons and messages, on the node's virtual clock.
//
// Time: Start() runs everything up to the pull at clock.Now(). A pull then waits for a worker
// (KUB-10), runs (ImageRuntime::PullImage reports how long it took) and completes later; RunDue()
// processes whatever is due at clock.Now(). A scenario runner interleaves many containers by
// advancing its VirtualClock to NextWakeUp() and calling RunDue(); EnsureImageExists() does that
// for one container.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/node/backoff.h"
#include "sim/node/events.h"
#include "sim/node/image_runtime.h"
#include "sim/node/kubelet_config.h"
#include "sim/node/pull_credentials.h"
#include "sim/node/pull_manager.h"
#include "sim/node/pull_slots.h"
#include "sim/node/registry_throttle.h"
#include "sim/reference/pull_policy.h"

namespace pullsim::node {

// One container's image, as the pod worker hands it over.
struct ContainerImageRequest {
  ObjectReference pod;  // namespace, name, uid of the Pod
  std::string container_name;
  std::string container_list = "containers";  // "initContainers", "ephemeralContainers"
  std::string image;                          // as written in the pod spec
  reference::PullPolicy pull_policy = reference::PullPolicy::kIfNotPresent;
  // The keyring lookup for this pod and image (CRED-11/12); empty = no credentials at all.
  PullCredentialsLookup lookup_credentials;
  std::string runtime_handler;  // KUB-13, passed to the runtime only
};

// When a pull happened, on the virtual clock.
struct PullTiming {
  Timestamp requested{};  // the Pulling event
  Timestamp enqueued{};   // entered the serial queue (later than requested when it was full)
  Timestamp started{};    // a worker took it: QPS check, then the runtime
  Timestamp finished{};   // the runtime's work is done; Pulled or Failed recorded
};

// EnsureImageExists' (imageRef, message, err), plus what a test or report wants to see.
struct EnsureImageResult {
  std::string image_ref;
  std::string message;  // KUB-05: the "already present" text, an error message, or "" after a pull
  std::string error;    // "" on success; else the waiting reason (KUB-04)
  bool pull_requested = false;             // a pull went to the puller (Pulling event)
  std::vector<std::string> runtime_pulls;  // one per PullImage call: Describe() or "anonymous"
  std::optional<PullCredential> credential_used;
  std::optional<PullTiming> timing;  // set when a pull was requested
  std::uint64_t image_size = 0;      // after a successful pull
  // For explain: the imageRef inspection found ("" = not on the node; nullopt = not inspected,
  // as under Always), and KEP-2535's decision about a present image when one was made.
  std::optional<std::string> inspected_image_ref;
  std::optional<PullDecision> verification;

  [[nodiscard]] bool ok() const { return error.empty(); }
};

class ImageManager {
 public:
  using Ticket = std::uint64_t;

  // `pull_manager` is required when settings.ensure_secret_pulled_images is on, unused otherwise.
  // `runtime`, `clock`, `events` and `pull_manager` must outlive the manager.
  ImageManager(KubeletSettings settings, ImageRuntime& runtime, const Clock& clock,
               EventRecorder& events, PullManager* pull_manager);
  ~ImageManager();
  ImageManager(const ImageManager&) = delete;
  ImageManager& operator=(const ImageManager&) = delete;

  // Runs EnsureImageExists for one container at clock.Now(), up to handing a pull to the puller.
  Ticket Start(ContainerImageRequest request);
  [[nodiscard]] bool IsDone(Ticket ticket) const;
  // The result of a finished ticket; the ticket must be done.
  [[nodiscard]] const EnsureImageResult& Outcome(Ticket ticket) const;
  // Moves the result out and forgets the ticket; the ticket must be done.
  EnsureImageResult TakeOutcome(Ticket ticket);

  // The earliest time at which a pull completes, if any is running.
  [[nodiscard]] std::optional<Timestamp> NextWakeUp() const;
  // Completes every pull due at or before clock.Now() (and starts the ones waiting behind them).
  void RunDue();

  // Start() and run `clock` (the manager's clock) forward until this container is done.
  EnsureImageResult EnsureImageExists(ContainerImageRequest request, VirtualClock& clock);

  [[nodiscard]] const Backoff& backoff() const { return backoff_; }
  [[nodiscard]] RegistryThrottle& throttle() { return throttle_; }
  [[nodiscard]] const PullSlots& slots() const { return slots_; }
  [[nodiscard]] const KubeletSettings& settings() const { return settings_; }
  // KUB-07: the stored "<ErrName>: <message>" of the last failed pull for a back-off key.
  [[nodiscard]] const std::string* PreviousPullError(std::string_view backoff_key) const;

 private:
  struct Work;

  void Finish(Work& work, std::string image_ref, std::string message, std::string error);
  void RecordEvent(const Work& work, Timestamp time, std::string_view type, std::string_view reason,
                   std::string message);
  const Result<std::vector<PullCredential>>& LookUp(Work& work);
  void PullImage(Work& work);
  void BeginPull(Work& work, Timestamp now);
  void CompletePull(Work& work, Timestamp now);

  KubeletSettings settings_;
  ImageRuntime& runtime_;
  const Clock& clock_;
  EventRecorder& events_;
  PullManager* pull_manager_;
  Backoff backoff_;
  RegistryThrottle throttle_;
  PullSlots slots_;
  std::map<std::string, std::string, std::less<>> previous_pull_errors_;
  std::map<Ticket, Work> work_;
  // Pulls in progress by completion time, then start order.
  std::map<std::pair<Timestamp, std::uint64_t>, Ticket> completions_;
  Ticket next_ticket_ = 1;
  std::uint64_t next_sequence_ = 0;
};

// KUB-03/04: what startContainer does with a failed EnsureImageExists: a Warning `Failed` event
// "Error: <error>" on the container, and the container waits with reason = error and message =
// the result's message (kept in the kubelet's reason cache).
struct ContainerWaiting {
  std::string reason;
  std::string message;
  friend bool operator==(const ContainerWaiting&, const ContainerWaiting&) = default;
};
ContainerWaiting RecordContainerStartFailure(const EnsureImageResult& result,
                                             const ObjectReference& container,
                                             EventRecorder& events, Timestamp now);

// CRED-14: the Warning FailedToRetrieveImagePullSecret on the Pod when some pull secrets could
// not be read. `warning` is the message sim/credentials' GetPullSecretsForPod composes (nothing
// is recorded without one).
void RecordMissingPullSecrets(const std::optional<std::string>& warning, const ObjectReference& pod,
                              EventRecorder& events, Timestamp now);

}  // namespace pullsim::node
