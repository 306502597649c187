#include "sim/node/kubelet_constants.h"

namespace pullsim::node {
namespace {

std::string Seconds(Duration d) { return FormatDurationMillis(d); }

}  // namespace

std::string FormatDurationMillis(Duration d) {
  const Duration truncated = d - d % std::chrono::milliseconds{1};
  return FormatDuration(truncated);
}

std::string FailedToApplyDefaultTagMessage(std::string_view image, std::string_view parse_error) {
  return "Failed to apply default image tag " + GoQuote(image) + ": " + std::string(parse_error);
}

std::string FailedToInspectImageMessage(std::string_view image_ref, std::string_view error) {
  return "Failed to inspect image " + GoQuote(image_ref) + ": " + std::string(error);
}

std::string NeverPullMessage(std::string_view image) {
  return "Container image " + GoQuote(image) + " is not present with pull policy of Never";
}

std::string AlreadyPresentMessage(std::string_view image) {
  return "Container image " + GoQuote(image) + " already present on machine";
}

std::string AlreadyPresentAndAccessibleMessage(std::string_view image) {
  return AlreadyPresentMessage(image) + " and can be accessed by the pod";
}

std::string BackOffPullingMessage(std::string_view image) {
  return "Back-off pulling image " + GoQuote(image);
}

std::string BackOffPullingWithPreviousMessage(std::string_view image, std::string_view previous) {
  return BackOffPullingMessage(image) + ": " + std::string(previous);
}

std::string PreviousPullErrorText(std::string_view error_name, std::string_view message) {
  return std::string(error_name) + ": " + std::string(message);
}

std::string PullingMessage(std::string_view image) { return "Pulling image " + GoQuote(image); }

std::string FailedToPullMessage(std::string_view image, std::string_view error) {
  return "Failed to pull image " + GoQuote(image) + ": " + std::string(error);
}

std::string SuccessfullyPulledMessage(std::string_view image, Duration pull, Duration total,
                                      std::uint64_t image_size) {
  return SuccessfullyPulledMessageWithoutSize(image, pull, total) +
         ". Image size: " + std::to_string(image_size) + " bytes.";
}

std::string SuccessfullyPulledMessageWithoutSize(std::string_view image, Duration pull,
                                                 Duration total) {
  return SuccessfullyPulledMessageShort(image, pull) + " (" + Seconds(total) +
         " including waiting)";
}

std::string SuccessfullyPulledMessageShort(std::string_view image, Duration pull) {
  return "Successfully pulled image " + GoQuote(image) + " in " + Seconds(pull);
}

std::string ContainerStartErrorMessage(std::string_view error) {
  return "Error: " + std::string(error);
}

std::string RegistryUnavailableMessage(std::string_view image, std::string_view rest) {
  return "image pull failed for " + std::string(image) + " because the registry is unavailable" +
         std::string(rest);
}

std::string SignatureValidationFailedMessage(std::string_view image, std::string_view rest) {
  return "image pull failed for " + std::string(image) +
         " because the signature validation failed" + std::string(rest);
}

std::string FailedToRecordPullIntentMessage(std::string_view image, std::string_view error) {
  return "Failed to record image pull intent for container image " + GoQuote(image) + ": " +
         std::string(error);
}

std::string RegistryBurstNegativeMessage(std::int32_t value) {
  return "invalid configuration: registryBurst (--registry-burst) " + std::to_string(value) +
         " must not be a negative number";
}

std::string RegistryPullQPSNegativeMessage(std::int32_t value) {
  return "invalid configuration: registryPullQPS (--registry-qps) " + std::to_string(value) +
         " must not be a negative number";
}

std::string MaxParallelImagePullsNotPositiveMessage(std::int32_t value) {
  return "invalid configuration: maxParallelImagePulls " + std::to_string(value) +
         " must be a positive number";
}

std::string MaxParallelImagePullsNeedsParallelMessage() {
  return "invalid configuration: maxParallelImagePulls cannot be larger than 1 unless "
         "SerializeImagePulls (--serialize-image-pulls) is set to false";
}

std::string UnknownVerificationPolicyMessage(std::string_view value) {
  return "invalid configuration: option " + GoQuote(value) +
         " specified for imagePullCredentialsVerificationPolicy. Valid options are "
         "\"NeverVerify\", \"NeverVerifyPreloadedImages\", \"NeverVerifyAllowlistedImages\" or "
         "\"AlwaysVerify\"";
}

std::string AllowlistNeedsAllowlistPolicyMessage() {
  // "Vertification" is upstream's spelling.
  return "invalid configuration: can't set `preloadedImagesVerificationAllowlist` if "
         "`imagePullCredentialsVertificationPolicy` is not \"NeverVerifyAllowlistedImages\"";
}

std::string InvalidAllowlistPatternMessage(std::string_view pattern_error) {
  return "invalid configuration: invalid image pattern in "
         "`preloadedImagesVerificationAllowlist`: " +
         std::string(pattern_error);
}

std::string VerificationPolicyWithoutGateMessage() {
  return "invalid configuration: `imagePullCredentialsVerificationPolicy` must not be set if " +
         std::string(kEnsureSecretPulledImagesGate) + " feature gate is not enabled";
}

std::string AllowlistWithoutGateMessage() {
  return "invalid configuration: `preloadedImagesVerificationAllowlist` must not be set if " +
         std::string(kEnsureSecretPulledImagesGate) + " feature gate is not enabled";
}

std::string PatternSpacesMessage(std::string_view pattern) {
  return "leading/trailing spaces are not allowed: " + std::string(pattern);
}

std::string PatternTooShortMessage(std::string_view pattern) {
  return "the supplied pattern is too short: " + std::string(pattern);
}

std::string PatternBadWildcardMessage(std::string_view pattern) {
  return "not a valid wildcard pattern, only patterns ending with '/*' are allowed: " +
         std::string(pattern);
}

std::string PatternNoHostnameMessage() { return "at least registry hostname is required"; }

std::string PatternUnparsableMessage(std::string_view parse_error) {
  return "failed to parse as an image name: " + std::string(parse_error);
}

std::string PatternNotBareNameMessage(std::string_view pattern) {
  return "neither tag nor digest is accepted in an image reference: " + std::string(pattern);
}

std::string RecordPullIntentFailedMessage(std::string_view error) {
  return "failed to record image pull intent: " + std::string(error);
}

}  // namespace pullsim::node
