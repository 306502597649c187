#include "sim/node/image_manager.h"

#include <cassert>

#include "sim/credentials/aggregate_error.h"
#include "sim/node/kubelet_constants.h"
#include "sim/node/pull_errors.h"
#include "sim/reference/reference.h"

namespace pullsim::node {

// One container's way through EnsureImageExists.
struct ImageManager::Work {
  Ticket ticket = 0;
  ContainerImageRequest request;
  ObjectReference container;
  ImageSpec spec;
  std::string backoff_key;
  std::optional<Result<std::vector<PullCredential>>> credentials;  // looked up once, lazily
  // The pull's outcome, decided when it starts and reported when it completes.
  std::optional<PulledImage> pulled;
  std::string pull_error;
  bool done = false;
  EnsureImageResult result;
};

ImageManager::ImageManager(KubeletSettings settings, ImageRuntime& runtime, const Clock& clock,
                           EventRecorder& events, PullManager* pull_manager)
    : settings_(std::move(settings)),
      runtime_(runtime),
      clock_(clock),
      events_(events),
      pull_manager_(pull_manager),
      backoff_(settings_.image_backoff_initial, settings_.image_backoff_max),
      throttle_(settings_.registry_pull_qps, settings_.registry_burst),
      slots_(settings_.serialize_image_pulls, settings_.max_parallel_image_pulls) {
  assert((!settings_.ensure_secret_pulled_images || pull_manager_ != nullptr) &&
         "KEP-2535 needs a pull manager");
}

ImageManager::~ImageManager() = default;

void ImageManager::RecordEvent(const Work& work, Timestamp time, std::string_view type,
                               std::string_view reason, std::string message) {
  events_.Record(time, work.container, type, reason, std::move(message));
}

void ImageManager::Finish(Work& work, std::string image_ref, std::string message,
                          std::string error) {
  work.result.image_ref = std::move(image_ref);
  work.result.message = std::move(message);
  work.result.error = std::move(error);
  work.done = true;
}

const Result<std::vector<PullCredential>>& ImageManager::LookUp(Work& work) {
  if (!work.credentials) {
    work.credentials = work.request.lookup_credentials ? work.request.lookup_credentials()
                                                       : std::vector<PullCredential>{};
  }
  return *work.credentials;
}

ImageManager::Ticket ImageManager::Start(ContainerImageRequest request) {
  const Ticket ticket = next_ticket_++;
  Work& work = work_[ticket];
  work.ticket = ticket;
  work.request = std::move(request);
  work.container = work.request.pod;
  work.container.field_path =
      ContainerFieldPath(work.request.container_name, work.request.container_list);
  const Timestamp now = clock_.Now();
  const std::string& image = work.request.image;
  const reference::PullPolicy policy = work.request.pull_policy;

  // KUB-01 step 1 (REF-11): the CRI gets the image with its default tag.
  Result<std::string> tagged = reference::ApplyDefaultImageTag(image);
  if (!tagged) {
    std::string message = FailedToApplyDefaultTagMessage(image, tagged.error().message);
    RecordEvent(work, now, kEventTypeWarning, kReasonInspectFailed, message);
    Finish(work, "", std::move(message), std::string(kErrInvalidImageName));
    return ticket;
  }
  work.spec = ImageSpec{*std::move(tagged), work.request.runtime_handler, work.container};

  // KUB-01 step 2 / KUB-02: Always skips inspection; the others ask the runtime.
  std::string image_ref;
  if (policy != reference::PullPolicy::kAlways) {
    Result<std::string> found = runtime_.GetImageRef(work.spec);
    if (!found) {
      std::string message = FailedToInspectImageMessage("", found.error().message);
      RecordEvent(work, now, kEventTypeWarning, kReasonInspectFailed, message);
      Finish(work, "", std::move(message), std::string(kErrImageInspect));
      return ticket;
    }
    image_ref = *std::move(found);
    work.result.inspected_image_ref = image_ref;
    if (image_ref.empty() && policy == reference::PullPolicy::kNever) {
      std::string message = NeverPullMessage(image);
      RecordEvent(work, now, kEventTypeWarning, kReasonErrImageNeverPull, message);
      Finish(work, "", std::move(message), std::string(kErrImageNeverPull));
      return ticket;
    }
  }

  // KUB-01 step 3: a present image is used unless KEP-2535 wants the pod's credentials checked.
  if (!image_ref.empty()) {
    if (!settings_.ensure_secret_pulled_images) {
      std::string message = AlreadyPresentMessage(image);
      RecordEvent(work, now, kEventTypeNormal, kReasonPulled, message);
      Finish(work, std::move(image_ref), std::move(message), "");
      return ticket;
    }
    Result<PullDecision> must_pull =
        pull_manager_->DecideImagePull(image, image_ref, [&]() -> Result<PodCredentials> {
          const Result<std::vector<PullCredential>>& found = LookUp(work);
          if (!found) return std::unexpected(found.error());
          return PodCredentialsOf(*found);
        });
    if (!must_pull) {
      Finish(work, "", must_pull.error().message, must_pull.error().message);
      return ticket;
    }
    work.result.verification = *must_pull;
    if (!must_pull->must_pull) {
      std::string message = AlreadyPresentAndAccessibleMessage(image);
      RecordEvent(work, now, kEventTypeNormal, kReasonPulled, message);
      Finish(work, std::move(image_ref), std::move(message), "");
      return ticket;
    }
  }

  // KUB-01 step 4: Never may not pull; a present but unverified image looks absent.
  if (policy == reference::PullPolicy::kNever) {
    std::string message = NeverPullMessage(image);
    RecordEvent(work, now, kEventTypeWarning, kReasonErrImageNeverPull, message);
    Finish(work, "", std::move(message), std::string(kErrImageNeverPull));
    return ticket;
  }

  // KUB-01 step 5 / KUB-14: v1.33+ looks credentials up before pulling; a failure is returned
  // as is, without a pull.
  if (settings_.version.looks_up_credentials_before_pull()) {
    const Result<std::vector<PullCredential>>& found = LookUp(work);
    if (!found) {
      Finish(work, "", found.error().message, found.error().message);
      return ticket;
    }
  }
  PullImage(work);
  return ticket;
}

// KUB-01 step 6 up to the hand-over to the puller.
void ImageManager::PullImage(Work& work) {
  const Timestamp now = clock_.Now();
  const std::string& image = work.request.image;
  const bool gate = settings_.ensure_secret_pulled_images;
  if (gate) {
    if (Result<void> intent = pull_manager_->RecordPullIntent(image); !intent) {
      Finish(work, "", FailedToRecordPullIntentMessage(image, intent.error().message),
             intent.error().message);
      return;
    }
  }
  // KUB-08 / KUB-07.
  work.backoff_key = ImageBackOffKey(work.request.pod.uid, image);
  if (backoff_.IsInBackOffSinceUpdate(work.backoff_key, now)) {
    std::string message = BackOffPullingMessage(image);
    RecordEvent(work, now, kEventTypeNormal, kReasonBackOff, message);
    if (const std::string* previous = PreviousPullError(work.backoff_key);
        previous != nullptr && settings_.version.appends_previous_pull_error()) {
      message = BackOffPullingWithPreviousMessage(image, *previous);
    }
    if (gate) pull_manager_->RecordImagePullFailed(image);
    Finish(work, "", std::move(message), std::string(kErrImagePullBackOff));
    return;
  }
  if (auto previous = previous_pull_errors_.find(work.backoff_key);
      previous != previous_pull_errors_.end()) {
    previous_pull_errors_.erase(previous);
  }

  RecordEvent(work, now, kEventTypeNormal, kReasonPulling, PullingMessage(image));
  work.result.pull_requested = true;
  work.result.timing = PullTiming{now, now, now, now};
  switch (slots_.Arrive(work.ticket)) {
    case PullSlots::Admission::kStarted:
      BeginPull(work, now);
      break;
    case PullSlots::Admission::kQueued:
      break;
    case PullSlots::Admission::kBlocked:
      work.result.timing->enqueued = Timestamp::max();  // set when the queue takes it
      break;
  }
}

// A worker takes the request (KUB-10): the throttle (KUB-09), then one runtime call per
// credential (CRED-13). The outcome is reported when the simulated time has passed.
void ImageManager::BeginPull(Work& work, Timestamp now) {
  work.result.timing->started = now;
  Duration took{};
  if (!throttle_.TryAccept(now)) {
    work.pull_error = std::string(kPullQPSExceeded);
  } else if (const Result<std::vector<PullCredential>>& found = LookUp(work); !found) {
    // Before v1.33 the keyring was built here, inside the runtime manager (KUB-14).
    work.pull_error = found.error().message;
  } else {
    const std::vector<PullCredential>& credentials = *found;
    std::vector<std::string> errors;
    const std::size_t attempts = credentials.empty() ? 1 : credentials.size();
    for (std::size_t i = 0; i < attempts; ++i) {
      const PullCredential* credential = credentials.empty() ? nullptr : &credentials[i];
      work.result.runtime_pulls.push_back(credential == nullptr ? "anonymous"
                                                                : credential->Describe());
      PullAttempt attempt = runtime_.PullImage(work.spec, credential);
      took += attempt.duration;
      if (attempt.result) {
        work.pulled = *std::move(attempt.result);
        if (credential != nullptr) work.result.credential_used = *credential;
        break;
      }
      errors.push_back(UnwrapCriError(attempt.result.error().message));
    }
    if (!work.pulled) work.pull_error = credentials::AggregateErrorText(errors);
  }
  completions_.emplace(std::make_pair(now + took, next_sequence_++), work.ticket);
}

void ImageManager::CompletePull(Work& work, Timestamp now) {
  const std::string& image = work.request.image;
  PullTiming& timing = *work.result.timing;
  timing.finished = now;
  const bool gate = settings_.ensure_secret_pulled_images;
  if (!work.pulled) {
    RecordEvent(work, now, kEventTypeWarning, kReasonFailed,
                FailedToPullMessage(image, work.pull_error));
    backoff_.Next(work.backoff_key, now);
    ClassifiedPullError classified = EvalCriPullError(image, work.pull_error, settings_.version);
    previous_pull_errors_[work.backoff_key] =
        PreviousPullErrorText(classified.error, classified.message);
    if (gate) pull_manager_->RecordImagePullFailed(image);
    Finish(work, "", std::move(classified.message), std::move(classified.error));
    return;
  }
  const Duration pull = timing.finished - timing.started;
  const Duration total = timing.finished - timing.requested;
  std::string message;
  if (settings_.version.reports_image_size()) {
    message = SuccessfullyPulledMessage(image, pull, total, work.pulled->size);
  } else if (settings_.version.reports_pull_waiting_time()) {
    message = SuccessfullyPulledMessageWithoutSize(image, pull, total);
  } else {
    message = SuccessfullyPulledMessageShort(image, pull);
  }
  RecordEvent(work, now, kEventTypeNormal, kReasonPulled, std::move(message));
  backoff_.GC(now);
  if (gate) {
    const ImagePullCredentials recorded =
        CredentialsToRecord(work.result.credential_used ? &*work.result.credential_used : nullptr);
    pull_manager_->RecordImagePulled(image, work.pulled->image_ref, &recorded);
  }
  work.result.image_size = work.pulled->size;
  Finish(work, work.pulled->image_ref, "", "");
}

std::optional<Timestamp> ImageManager::NextWakeUp() const {
  if (completions_.empty()) return std::nullopt;
  return completions_.begin()->first.first;
}

void ImageManager::RunDue() {
  while (!completions_.empty() && completions_.begin()->first.first <= clock_.Now()) {
    const auto [key, ticket] = *completions_.begin();
    completions_.erase(completions_.begin());
    const Timestamp at = key.first;
    CompletePull(work_.at(ticket), at);
    const PullSlots::Progress progress = slots_.Finish(ticket);
    for (Ticket enqueued : progress.enqueued) work_.at(enqueued).result.timing->enqueued = at;
    for (Ticket started : progress.started) {
      Work& next = work_.at(started);
      if (next.result.timing->enqueued == Timestamp::max()) next.result.timing->enqueued = at;
      BeginPull(next, at);
    }
  }
}

bool ImageManager::IsDone(Ticket ticket) const {
  auto it = work_.find(ticket);
  return it != work_.end() && it->second.done;
}

const EnsureImageResult& ImageManager::Outcome(Ticket ticket) const {
  const Work& work = work_.at(ticket);
  assert(work.done && "Outcome() of a pull still in progress");
  return work.result;
}

EnsureImageResult ImageManager::TakeOutcome(Ticket ticket) {
  auto it = work_.find(ticket);
  assert(it != work_.end() && it->second.done && "TakeOutcome() of an unfinished ticket");
  EnsureImageResult result = std::move(it->second.result);
  work_.erase(it);
  return result;
}

EnsureImageResult ImageManager::EnsureImageExists(ContainerImageRequest request,
                                                  VirtualClock& clock) {
  assert(static_cast<const Clock*>(&clock) == &clock_ && "advance the manager's own clock");
  const Ticket ticket = Start(std::move(request));
  while (!IsDone(ticket)) {
    const std::optional<Timestamp> wake = NextWakeUp();
    assert(wake && "an unfinished pull always has a completion scheduled");
    clock.AdvanceTo(*wake);
    RunDue();
  }
  return TakeOutcome(ticket);
}

const std::string* ImageManager::PreviousPullError(std::string_view backoff_key) const {
  auto it = previous_pull_errors_.find(backoff_key);
  return it == previous_pull_errors_.end() ? nullptr : &it->second;
}

ContainerWaiting RecordContainerStartFailure(const EnsureImageResult& result,
                                             const ObjectReference& container,
                                             EventRecorder& events, Timestamp now) {
  events.Record(now, container, kEventTypeWarning, kReasonFailed,
                ContainerStartErrorMessage(result.error));
  return ContainerWaiting{result.error, result.message};
}

void RecordMissingPullSecrets(const std::optional<std::string>& warning, const ObjectReference& pod,
                              EventRecorder& events, Timestamp now) {
  if (!warning) return;
  events.Record(now, pod, kEventTypeWarning, kReasonFailedToRetrieveImagePullSecret, *warning);
}

}  // namespace pullsim::node
