#include "sim/node/pull_manager.h"

#include <algorithm>
#include <set>

#include "sim/node/kubelet_constants.h"
#include "sim/reference/reference.h"

namespace pullsim::node {
namespace {

// The credential-mapping key of an image: its normalised repository (REF-10), no tag or digest.
Result<std::string> RepositoryOf(std::string_view image) {
  Result<reference::ImageName> name = reference::ParseImageName(image);
  if (!name) return std::unexpected(name.error());
  return name->repository;
}

}  // namespace

PullManager::PullManager(NodeFileSystem& fs, std::string root_dir,
                         CredentialVerificationPolicy policy, const Clock& clock,
                         KubeletVersion version)
    : fs_(fs),
      root_dir_(std::move(root_dir)),
      policy_(std::move(policy)),
      clock_(clock),
      version_(version) {
  fs_.MakeDirs(PullingDirectory(root_dir_), kRecordDirMode);
  fs_.MakeDirs(PulledDirectory(root_dir_), kRecordDirMode);
}

std::string PullManager::IntentPath(std::string_view image) const {
  return JoinPath(PullingDirectory(root_dir_), CacheFileName(image));
}

std::string PullManager::RecordPath(std::string_view image_ref) const {
  return JoinPath(PulledDirectory(root_dir_), CacheFileName(image_ref));
}

int PullManager::intent_count(std::string_view image) const {
  auto it = intent_counts_.find(image);
  return it == intent_counts_.end() ? 0 : it->second;
}

Result<std::optional<ImagePulledRecord>> PullManager::GetPulledRecord(
    std::string_view image_ref) const {
  Result<std::string> bytes = fs_.Read(RecordPath(image_ref));
  if (!bytes) {
    if (bytes.error().code == ErrorCode::kNotFound) return std::optional<ImagePulledRecord>();
    return std::unexpected(bytes.error());
  }
  Result<ImagePulledRecord> record = DecodePulledRecord(*bytes);
  if (!record) return std::unexpected(record.error());
  // A file named after another imageRef (a hash collision or a hand-made file) is not this one.
  if (record->image_ref != image_ref) return std::optional<ImagePulledRecord>();
  return std::optional<ImagePulledRecord>(*std::move(record));
}

bool PullManager::PullIntentExists(std::string_view image) const {
  Result<std::string> bytes = fs_.Read(IntentPath(image));
  if (!bytes) return false;
  Result<ImagePullIntent> intent = DecodePullIntent(*bytes);
  return intent && intent->image == image;
}

Result<void> PullManager::RecordPullIntent(std::string_view image) {
  const std::string bytes =
      EncodePullIntent(ImagePullIntent{std::string(image)}, version_.pull_record_api_version());
  if (Result<void> written =
          fs_.WriteAtomic(IntentPath(image), bytes, kRecordFileMode, kRecordDirMode);
      !written) {
    return Fail(written.error().code, RecordPullIntentFailedMessage(written.error().message));
  }
  ++intent_counts_[std::string(image)];
  return {};
}

void PullManager::RecordImagePulled(std::string_view image, std::string_view image_ref,
                                    const ImagePullCredentials* credentials) {
  if (Result<void> written = WritePulledRecordIfChanged(image, image_ref, credentials); !written) {
    // The intent stays, so the image still counts as pulled by the kubelet; a restart turns it
    // into a record (KEP2535-07).
    log_.push_back("failed to write image pulled record for " + std::string(image_ref) + ": " +
                   written.error().message);
    return;
  }
  DecrementIntent(image);
}

void PullManager::RecordImagePullFailed(std::string_view image) { DecrementIntent(image); }

void PullManager::DecrementIntent(std::string_view image) {
  auto it = intent_counts_.find(image);
  if (it == intent_counts_.end() || it->second <= 1) {
    if (Result<void> removed = fs_.Remove(IntentPath(image)); !removed) {
      log_.push_back("failed to remove image pull intent for " + std::string(image) + ": " +
                     removed.error().message);
      return;  // the counter goes only with the file, to stay consistent with it
    }
    if (it != intent_counts_.end()) intent_counts_.erase(it);
    return;
  }
  --it->second;
}

Result<void> PullManager::WritePulledRecordIfChanged(std::string_view image,
                                                     std::string_view image_ref,
                                                     const ImagePullCredentials* credentials) {
  Result<std::string> repository = RepositoryOf(image);
  if (!repository) {
    return Fail(ErrorCode::kInvalidArgument,
                "invalid image name " + GoQuote(image) + ": " + repository.error().message);
  }
  Result<std::optional<ImagePulledRecord>> existing = GetPulledRecord(image_ref);
  if (!existing) {
    log_.push_back("failed to retrieve an ImagePulledRecord for " + std::string(image) + ": " +
                   existing.error().message);
  }
  MergedRecord merged;
  if (!existing || !existing->has_value()) {
    merged.changed = true;
    merged.record.last_updated_time = clock_.Now();
    merged.record.image_ref = std::string(image_ref);
    // Credentials unknown (nullptr): the record alone marks the image as kubelet-pulled and
    // forces verification next time.
    if (credentials != nullptr) merged.record.credential_mapping[*repository] = *credentials;
  } else {
    merged = MergeNewCredentials(**existing, *repository, credentials, clock_.Now());
  }
  if (!merged.changed) return {};
  return fs_.WriteAtomic(RecordPath(image_ref),
                         EncodePulledRecord(merged.record, version_.pull_record_api_version()),
                         kRecordFileMode, kRecordDirMode);
}

// KEP2535-04, steps in the spec's order.
Result<bool> PullManager::MustAttemptImagePull(std::string_view image, std::string_view image_ref,
                                               const PodCredentialsGetter& pod_credentials) {
  Result<PullDecision> decision = DecideImagePull(image, image_ref, pod_credentials);
  if (!decision) return std::unexpected(decision.error());
  return decision->must_pull;
}

Result<PullDecision> PullManager::DecideImagePull(std::string_view image,
                                                  std::string_view image_ref,
                                                  const PodCredentialsGetter& pod_credentials) {
  auto pull = [](std::string reason) { return PullDecision{true, std::move(reason)}; };
  auto use = [](std::string reason) { return PullDecision{false, std::move(reason)}; };
  // 1.
  if (image_ref.empty()) return pull("the image is not on the node");
  // 2. Storage errors fail safe: pull.
  Result<std::optional<ImagePulledRecord>> record = GetPulledRecord(image_ref);
  if (!record) {
    log_.push_back("unable to access cache records about image pulls: " + record.error().message);
    return pull("the pulled record cannot be read (" + record.error().message + ")");
  }
  bool pulled_by_kubelet = record->has_value() || intent_count(image) > 0;
  if (!pulled_by_kubelet) {
    Result<std::string> intent = fs_.Read(IntentPath(image));
    if (intent) {
      Result<ImagePullIntent> decoded = DecodePullIntent(*intent);
      if (!decoded) {
        log_.push_back("failed to check existence of an image pull intent: " +
                       decoded.error().message);
        return pull("the pull intent cannot be decoded (" + decoded.error().message + ")");
      }
      pulled_by_kubelet = decoded->image == image;
    } else if (intent.error().code != ErrorCode::kNotFound) {
      log_.push_back("failed to check existence of an image pull intent: " +
                     intent.error().message);
      return pull("the pull intent cannot be read (" + intent.error().message + ")");
    }
  }
  // 3.
  const std::string policy_name(VerificationPolicyName(policy_.policy()));
  if (!policy_.RequiresCredentialVerification(image, pulled_by_kubelet)) {
    return use("policy " + policy_name + " does not verify this image" +
               (pulled_by_kubelet ? "" : " (preloaded: no pulled record or intent)"));
  }
  // 4.
  if (!record->has_value()) {
    return pull("policy " + policy_name +
                " requires verifying it, and no pulled record names its imageRef");
  }
  // 5.
  Result<std::string> repository = RepositoryOf(image);
  if (!repository) return pull("the image name does not parse: " + repository.error().message);
  const ImagePulledRecord& pulled = **record;
  auto entry = pulled.credential_mapping.find(*repository);
  if (entry == pulled.credential_mapping.end()) {
    return pull("the pulled record has no credentials for " + *repository);
  }
  const ImagePullCredentials& cached = entry->second;
  // 6.
  if (cached.node_pods_accessible) {
    return use(
        "pulled before with node credentials or none (nodePodsAccessible): any pod may "
        "use it");
  }
  // 7.
  if (cached.kubernetes_secrets.empty() && cached.kubernetes_service_accounts.empty()) {
    return pull("the pulled record for " + *repository + " holds no credentials");
  }
  // 8.
  Result<PodCredentials> pod = pod_credentials();
  if (!pod) return std::unexpected(pod.error());
  // 9.
  const bool below_limit = cached.kubernetes_secrets.size() < kWriteRecordWhileMatchingLimit;
  for (const PodCredentials::Secret& pod_secret : pod->secrets) {
    const ImagePullSecret presented{pod_secret.coordinates.uid,
                                    pod_secret.coordinates.namespace_name,
                                    pod_secret.coordinates.name, pod_secret.credential_hash};
    for (const ImagePullSecret& recorded : cached.kubernetes_secrets) {
      const bool hashes_match = !recorded.credential_hash.empty() &&
                                presented.credential_hash == recorded.credential_hash;
      const bool same_secret = presented.uid == recorded.uid &&
                               presented.namespace_name == recorded.namespace_name &&
                               presented.name == recorded.name;
      if (hashes_match || (same_secret && below_limit)) {
        // Remember this secret (another object with the same credential, or a rotated hash) so
        // that later checks match it directly.
        if ((!same_secret || !hashes_match) && below_limit) {
          const ImagePullCredentials update{{presented}, {}, false};
          if (Result<void> written = WritePulledRecordIfChanged(image, image_ref, &update);
              !written) {
            log_.push_back("failed to write an image pulled record: " + written.error().message);
          }
        }
        const std::string recorded_name = recorded.namespace_name + "/" + recorded.name;
        const std::string presented_name = presented.namespace_name + "/" + presented.name;
        return use(same_secret
                       ? "pulled before with secret " + recorded_name +
                             ", which this pod offers too"
                       : "pulled before with secret " + recorded_name + "; this pod's secret " +
                             presented_name + " holds the same credential");
      }
    }
  }
  // 10.
  if (pod->service_account) {
    const ImagePullServiceAccount account{pod->service_account->uid,
                                          pod->service_account->namespace_name,
                                          pod->service_account->name};
    if (std::find(cached.kubernetes_service_accounts.begin(),
                  cached.kubernetes_service_accounts.end(),
                  account) != cached.kubernetes_service_accounts.end()) {
      return use("pulled before for service account " + account.namespace_name + "/" +
                 account.name + ", this pod's");
    }
  }
  // 11.
  std::string recorded;
  for (const ImagePullSecret& secret : cached.kubernetes_secrets) {
    recorded +=
        (recorded.empty() ? "secret " : ", secret ") + secret.namespace_name + "/" + secret.name;
  }
  for (const ImagePullServiceAccount& account : cached.kubernetes_service_accounts) {
    recorded += (recorded.empty() ? "service account " : ", service account ") +
                account.namespace_name + "/" + account.name;
  }
  return pull("pulled before with " + recorded + "; this pod offers " +
              (pod->secrets.empty() ? "no secret for it" : "none matching") + ": it must pull");
}

std::vector<ImagePullIntent> PullManager::ListIntents() {
  std::vector<ImagePullIntent> intents;
  const std::string dir = PullingDirectory(root_dir_);
  for (const std::string& name : fs_.List(dir)) {
    if (!IsCacheFileName(name)) continue;
    const std::string path = JoinPath(dir, name);
    Result<std::string> bytes = fs_.Read(path);
    Result<ImagePullIntent> intent =
        bytes ? DecodePullIntent(*bytes) : Result<ImagePullIntent>(std::unexpected(bytes.error()));
    if (!intent) {
      log_.push_back("failed to read ImagePullIntent " + GoQuote(path) + ": " +
                     intent.error().message);
      continue;
    }
    intents.push_back(*std::move(intent));
  }
  return intents;
}

std::vector<ImagePulledRecord> PullManager::ListRecords() {
  std::vector<ImagePulledRecord> records;
  const std::string dir = PulledDirectory(root_dir_);
  for (const std::string& name : fs_.List(dir)) {
    if (!IsCacheFileName(name)) continue;
    const std::string path = JoinPath(dir, name);
    Result<std::string> bytes = fs_.Read(path);
    Result<ImagePulledRecord> record =
        bytes ? DecodePulledRecord(*bytes)
              : Result<ImagePulledRecord>(std::unexpected(bytes.error()));
    if (!record) {
      log_.push_back("failed to read ImagePulledRecord " + GoQuote(path) + ": " +
                     record.error().message);
      continue;
    }
    records.push_back(*std::move(record));
  }
  return records;
}

void PullManager::Initialize(std::span<const RuntimeImage> images) {
  const std::vector<ImagePullIntent> intents = ListIntents();
  if (intents.empty()) return;
  std::set<std::string, std::less<>> in_flight;
  for (const ImagePullIntent& intent : intents) in_flight.insert(intent.image);
  for (const RuntimeImage& runtime_image : images) {
    std::set<std::string> matched;
    for (const auto* names : {&runtime_image.repo_digests, &runtime_image.repo_tags}) {
      for (const std::string& name : *names) {
        if (in_flight.contains(name)) matched.insert(name);
      }
    }
    for (const std::string& image : matched) {
      if (Result<void> written = WritePulledRecordIfChanged(image, runtime_image.id, nullptr);
          !written) {
        log_.push_back("failed to write an image pull record for " + runtime_image.id + ": " +
                       written.error().message);
        continue;
      }
      if (Result<void> removed = fs_.Remove(IntentPath(image)); !removed) {
        log_.push_back("failed to remove image pull intent file for " + image + ": " +
                       removed.error().message);
      }
    }
  }
}

void PullManager::PruneUnknownRecords(std::span<const std::string> image_ids, Timestamp until) {
  const std::set<std::string_view> in_use(image_ids.begin(), image_ids.end());
  for (const ImagePulledRecord& record : ListRecords()) {
    if (!(record.last_updated_time < until)) continue;  // updated after the GC started
    if (in_use.contains(record.image_ref)) continue;
    if (Result<void> removed = fs_.Remove(RecordPath(record.image_ref)); !removed) {
      log_.push_back("failed to remove an ImagePulledRecord for " + record.image_ref + ": " +
                     removed.error().message);
    }
  }
}

}  // namespace pullsim::node
