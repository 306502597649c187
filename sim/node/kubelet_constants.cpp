#include "sim/node/kubelet_constants.h"

#include <set>

namespace pullsim::node {
namespace {

std::string Hex2(unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out += kDigits[(value >> 4) & 0xF];
  out += kDigits[value & 0xF];
  return out;
}

// Length of the UTF-8 sequence starting at text[i] and its code point; 0 when invalid.
std::size_t DecodeUtf8(std::string_view text, std::size_t i, char32_t& rune) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  std::size_t length = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    rune = b0 & 0x1Fu;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    rune = b0 & 0x0Fu;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    rune = b0 & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    rune = (rune << 6) | (byte(i + k) & 0x3Fu);
  }
  if (rune < min || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) return 0;
  return length;
}

std::string Seconds(Duration d) { return FormatDurationMillis(d); }

}  // namespace

std::string GoQuote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += "\\x" + Hex2(c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    char32_t rune = 0;
    const std::size_t length = DecodeUtf8(text, i, rune);
    if (length == 0) {
      out += "\\x" + Hex2(c);
      ++i;
    } else if (rune < 0xA0) {
      // C1 controls are not printable: Go writes \u0080..\u009f.
      out += "\\u00" + Hex2(static_cast<unsigned>(rune));
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  out += '"';
  return out;
}

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

std::string AggregateErrorText(std::span<const std::string> messages) {
  if (messages.empty()) return "";
  if (messages.size() == 1) return messages.front();
  std::set<std::string_view> seen;
  std::string joined;
  for (const std::string& message : messages) {
    if (!seen.insert(message).second) continue;
    if (seen.size() > 1) joined += ", ";
    joined += message;
  }
  return seen.size() == 1 ? joined : "[" + joined + "]";
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
