#pragma once
// KEP-2535's image pull manager: pull intents and pulled records kept on the node's file system
// (KEP2535-05/06), MustAttemptImagePull, the decision whether a present image must be pulled
// again to verify the pod's credentials (KEP2535-04), restart initialisation and GC pruning
// (KEP2535-07).

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/node/image_runtime.h"
#include "sim/node/kubelet_version.h"
#include "sim/node/node_filesystem.h"
#include "sim/node/pull_credentials.h"
#include "sim/node/pull_records.h"
#include "sim/node/record_files.h"
#include "sim/node/verification_policy.h"

namespace pullsim::node {

// KEP2535-04's answer for a present image and the step that gave it, worded for explain:
// "pulled before with secret tenant-a/regcred; this pod offers none matching: it must pull".
struct PullDecision {
  bool must_pull = true;
  std::string reason;
  friend bool operator==(const PullDecision&, const PullDecision&) = default;
};

class PullManager {
 public:
  // Gets the pod's own credentials for the image, called at most once and only when needed
  // (KEP2535-04 step 8). An error is returned from MustAttemptImagePull as is.
  using PodCredentialsGetter = std::function<Result<PodCredentials>()>;

  // Records live under `root_dir`/image_manager; `clock` stamps lastUpdatedTime; `version`
  // picks the API version written (KEP2535-06).
  PullManager(NodeFileSystem& fs, std::string root_dir, CredentialVerificationPolicy policy,
              const Clock& clock, KubeletVersion version = kBaselineKubeletVersion);

  // KEP2535-07: at kubelet start, every intent whose image equals a repo tag or repo digest of
  // one of `images` becomes a pulled record without credentials, and its intent file goes;
  // intents for images the runtime lacks stay.
  void Initialize(std::span<const RuntimeImage> images);

  // KEP2535-06: writes the intent file and counts the pull in flight. The error text reads
  // "failed to record image pull intent: <file system error>".
  [[nodiscard]] Result<void> RecordPullIntent(std::string_view image);
  // After a successful pull: merges `credentials` (nullptr = pulled in unknown circumstances,
  // which records the image without credentials) into the record of `image_ref`, then releases
  // the intent. When the record cannot be written the intent is kept (KEP2535-06).
  void RecordImagePulled(std::string_view image, std::string_view image_ref,
                         const ImagePullCredentials* credentials);
  // After a failed (or backed-off) pull: releases the intent.
  void RecordImagePullFailed(std::string_view image);

  // KEP2535-04: true when the pod must pull `image` (present as `image_ref`) before using it.
  [[nodiscard]] Result<bool> MustAttemptImagePull(std::string_view image,
                                                  std::string_view image_ref,
                                                  const PodCredentialsGetter& pod_credentials);
  // MustAttemptImagePull with the reason (same steps, same side effects).
  [[nodiscard]] Result<PullDecision> DecideImagePull(std::string_view image,
                                                     std::string_view image_ref,
                                                     const PodCredentialsGetter& pod_credentials);

  // KEP2535-07: deletes records whose imageRef is not in `image_ids` and that were last updated
  // before `until` (the GC's start time).
  void PruneUnknownRecords(std::span<const std::string> image_ids, Timestamp until);

  // The pulled record of `image_ref`: nullopt when there is none (or it names another imageRef);
  // an error when the file cannot be read or decoded.
  [[nodiscard]] Result<std::optional<ImagePulledRecord>> GetPulledRecord(
      std::string_view image_ref) const;
  [[nodiscard]] bool PullIntentExists(std::string_view image) const;
  // In-flight pulls of `image` counted in memory.
  [[nodiscard]] int intent_count(std::string_view image) const;

  [[nodiscard]] std::string IntentPath(std::string_view image) const;
  [[nodiscard]] std::string RecordPath(std::string_view image_ref) const;
  [[nodiscard]] const CredentialVerificationPolicy& policy() const { return policy_; }
  // What upstream would log (storage errors and the like), oldest first.
  [[nodiscard]] const std::vector<std::string>& log() const { return log_; }

 private:
  // Merges `credentials` into the record of `image_ref` and writes it when it changed.
  [[nodiscard]] Result<void> WritePulledRecordIfChanged(std::string_view image,
                                                        std::string_view image_ref,
                                                        const ImagePullCredentials* credentials);
  void DecrementIntent(std::string_view image);
  // Every readable intent / record; unreadable files are logged and skipped, as upstream goes on
  // with an incomplete list.
  [[nodiscard]] std::vector<ImagePullIntent> ListIntents();
  [[nodiscard]] std::vector<ImagePulledRecord> ListRecords();

  NodeFileSystem& fs_;
  std::string root_dir_;
  CredentialVerificationPolicy policy_;
  const Clock& clock_;
  KubeletVersion version_;
  std::map<std::string, int, std::less<>> intent_counts_;
  std::vector<std::string> log_;
};

}  // namespace pullsim::node
