#pragma once
// Every number and every text the fake kubelet shares with upstream's, in one place (spec §3 KUB,
// §3b KEP2535, CRED-13/14). Other files of sim/node build messages only through these functions,
// so a reviewer can diff this file against the spec tables.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/clock.h"
#include "sim/core/go_quote.h"  // messages quote images as Go's %q does

namespace pullsim::node {

// ---- Numbers ------------------------------------------------------------------------------

// KUB-08: flowcontrol.NewBackOff(imageBackOffPeriod, MaxImageBackOff) in kubelet.go, no jitter.
inline constexpr Duration kImageBackOffInitial = std::chrono::seconds{10};
inline constexpr Duration kImageBackOffMax = std::chrono::seconds{300};

// KUB-09 / KUB-11: KubeletConfiguration v1beta1 defaults.
inline constexpr std::int32_t kDefaultRegistryPullQPS = 5;
inline constexpr std::int32_t kDefaultRegistryBurst = 10;

// KUB-10: capacity of the serial puller's request queue (maxImagePullRequests).
inline constexpr int kMaxImagePullRequests = 10;

// KUB-12: pod worker re-queue delays (pod_workers.go completeWork), each jittered by up to +50%.
inline constexpr Duration kSyncErrorRequeuePeriod = std::chrono::seconds{10};
inline constexpr Duration kDefaultSyncFrequency = std::chrono::minutes{1};
inline constexpr double kWorkerJitterFactor = 0.5;

// KEP2535-04: above this many recorded secrets MustAttemptImagePull stops adding new ones.
inline constexpr std::size_t kWriteRecordWhileMatchingLimit = 100;

// KEP2535-06: where the pull records live, and how their files are named.
inline constexpr std::string_view kDefaultRootDir = "/var/lib/kubelet";
inline constexpr std::string_view kImageManagerDir = "image_manager";
inline constexpr std::string_view kPullingDir = "pulling";
inline constexpr std::string_view kPulledDir = "pulled";
inline constexpr std::string_view kCacheFilePrefix = "sha256-";
inline constexpr std::string_view kTmpFileSuffix = ".tmp";
inline constexpr unsigned kRecordFileMode = 0600;
inline constexpr unsigned kRecordDirMode = 0700;
inline constexpr std::string_view kPullIntentKind = "ImagePullIntent";
inline constexpr std::string_view kPulledRecordKind = "ImagePulledRecord";
inline constexpr std::string_view kKubeletConfigV1alpha1 = "kubelet.config.k8s.io/v1alpha1";
inline constexpr std::string_view kKubeletConfigV1beta1 = "kubelet.config.k8s.io/v1beta1";

// KEP2535-01: the feature gate's name.
inline constexpr std::string_view kEnsureSecretPulledImagesGate = "KubeletEnsureSecretPulledImages";

// ---- Event types and reasons (pkg/kubelet/events/event.go), KUB-03 -----------------------

inline constexpr std::string_view kEventTypeNormal = "Normal";
inline constexpr std::string_view kEventTypeWarning = "Warning";

inline constexpr std::string_view kReasonPulling = "Pulling";
inline constexpr std::string_view kReasonPulled = "Pulled";
inline constexpr std::string_view kReasonFailed = "Failed";
inline constexpr std::string_view kReasonInspectFailed = "InspectFailed";
inline constexpr std::string_view kReasonErrImageNeverPull = "ErrImageNeverPull";
inline constexpr std::string_view kReasonBackOff = "BackOff";
inline constexpr std::string_view kReasonFailedToRetrieveImagePullSecret =
    "FailedToRetrieveImagePullSecret";

// ---- Error names = container waiting reasons (KUB-04) -------------------------------------

inline constexpr std::string_view kErrImagePull = "ErrImagePull";
inline constexpr std::string_view kErrImagePullBackOff = "ImagePullBackOff";
inline constexpr std::string_view kErrImageNeverPull = "ErrImageNeverPull";
inline constexpr std::string_view kErrInvalidImageName = "InvalidImageName";
inline constexpr std::string_view kErrImageInspect = "ImageInspectError";
inline constexpr std::string_view kErrRegistryUnavailable = "RegistryUnavailable";
inline constexpr std::string_view kErrSignatureValidationFailed = "SignatureValidationFailed";

// KUB-09: the throttled image service's refusal.
inline constexpr std::string_view kPullQPSExceeded = "pull QPS exceeded";

// KUB-06: the CRI client unwraps gRPC errors of code Unknown to their description.
inline constexpr std::string_view kGrpcUnknownPrefix = "rpc error: code = Unknown desc = ";

// ---- Messages (KUB-03, KUB-05, KUB-06, KUB-07, CRED-14) ----------------------------------
// `image` is always the container's image exactly as written in the pod spec.

// Go's time.Duration.Truncate(time.Millisecond).String(): "1.234s", "250ms", "0s".
[[nodiscard]] std::string FormatDurationMillis(Duration d);

[[nodiscard]] std::string FailedToApplyDefaultTagMessage(std::string_view image,
                                                         std::string_view parse_error);
// Upstream formats the (always empty) imageRef here, not the image: `Failed to inspect image ""`.
[[nodiscard]] std::string FailedToInspectImageMessage(std::string_view image_ref,
                                                      std::string_view error);
[[nodiscard]] std::string NeverPullMessage(std::string_view image);
[[nodiscard]] std::string AlreadyPresentMessage(std::string_view image);
[[nodiscard]] std::string AlreadyPresentAndAccessibleMessage(std::string_view image);
[[nodiscard]] std::string BackOffPullingMessage(std::string_view image);
// KUB-07: the back-off message with the stored "<ErrName>: <message>" of the last failure.
[[nodiscard]] std::string BackOffPullingWithPreviousMessage(std::string_view image,
                                                            std::string_view previous);
// KUB-07: what is stored after a failed pull.
[[nodiscard]] std::string PreviousPullErrorText(std::string_view error_name,
                                                std::string_view message);
[[nodiscard]] std::string PullingMessage(std::string_view image);
[[nodiscard]] std::string FailedToPullMessage(std::string_view image, std::string_view error);
// KUB-03 success, v1.30+: durations truncated to milliseconds, `total` includes queue waiting.
[[nodiscard]] std::string SuccessfullyPulledMessage(std::string_view image, Duration pull,
                                                    Duration total, std::uint64_t image_size);
// Older success texts (spec §7): "… in <d> (<total> including waiting)" and just "… in <d>".
[[nodiscard]] std::string SuccessfullyPulledMessageWithoutSize(std::string_view image,
                                                               Duration pull, Duration total);
[[nodiscard]] std::string SuccessfullyPulledMessageShort(std::string_view image, Duration pull);
// KUB-03: startContainer's event for any EnsureImageExists error.
[[nodiscard]] std::string ContainerStartErrorMessage(std::string_view error);
// KUB-06.
[[nodiscard]] std::string RegistryUnavailableMessage(std::string_view image, std::string_view rest);
[[nodiscard]] std::string SignatureValidationFailedMessage(std::string_view image,
                                                           std::string_view rest);
// KUB-01 step 6a.
[[nodiscard]] std::string FailedToRecordPullIntentMessage(std::string_view image,
                                                          std::string_view error);
// CRED-13's aggregated pull error is credentials::AggregateErrorText
// (sim/credentials/aggregate_error.h).

// ---- Kubelet configuration validation (KUB-11, KEP2535-02) -------------------------------

[[nodiscard]] std::string RegistryBurstNegativeMessage(std::int32_t value);
[[nodiscard]] std::string RegistryPullQPSNegativeMessage(std::int32_t value);
[[nodiscard]] std::string MaxParallelImagePullsNotPositiveMessage(std::int32_t value);
[[nodiscard]] std::string MaxParallelImagePullsNeedsParallelMessage();
[[nodiscard]] std::string UnknownVerificationPolicyMessage(std::string_view value);
[[nodiscard]] std::string AllowlistNeedsAllowlistPolicyMessage();
[[nodiscard]] std::string InvalidAllowlistPatternMessage(std::string_view pattern_error);
[[nodiscard]] std::string VerificationPolicyWithoutGateMessage();
[[nodiscard]] std::string AllowlistWithoutGateMessage();

// ---- Allowlist patterns (KEP2535-08) -----------------------------------------------------

[[nodiscard]] std::string PatternSpacesMessage(std::string_view pattern);
[[nodiscard]] std::string PatternTooShortMessage(std::string_view pattern);
[[nodiscard]] std::string PatternBadWildcardMessage(std::string_view pattern);
[[nodiscard]] std::string PatternNoHostnameMessage();
[[nodiscard]] std::string PatternUnparsableMessage(std::string_view parse_error);
[[nodiscard]] std::string PatternNotBareNameMessage(std::string_view pattern);

// ---- Pull records (KEP2535-06) -----------------------------------------------------------

[[nodiscard]] std::string RecordPullIntentFailedMessage(std::string_view error);

}  // namespace pullsim::node
