#pragma once
// How the kubelet turns a runtime's pull error into a container waiting reason and message
// (KUB-04, KUB-06): the CRI client's unwrapping of gRPC Unknown errors, then evalCRIPullErr.

#include <string>
#include <string_view>

#include "sim/node/kubelet_version.h"

namespace pullsim::node {

// KUB-06: the CRI client keeps only the description of a gRPC error whose code is Unknown
// ("rpc error: code = Unknown desc = x" → "x"); every other text is returned unchanged.
[[nodiscard]] std::string UnwrapCriError(std::string_view text);

// A failed pull as EnsureImageExists returns it: the error name (= waiting reason) and message.
struct ClassifiedPullError {
  std::string error;    // kErrImagePull, kErrRegistryUnavailable, kErrSignatureValidationFailed
  std::string message;  // the waiting message
  friend bool operator==(const ClassifiedPullError&, const ClassifiedPullError&) = default;
};

// KUB-06 (evalCRIPullErr): `image` is the container's image as written, `text` the (unwrapped)
// pull error. A text starting with RegistryUnavailable / SignatureValidationFailed gets that
// name and upstream's sentence with the rest of the text appended; anything else is ErrImagePull
// with the text unchanged. Releases before the prefix check (KubeletVersion) classify every text
// as ErrImagePull.
[[nodiscard]] ClassifiedPullError EvalCriPullError(
    std::string_view image, std::string_view text,
    KubeletVersion version = kBaselineKubeletVersion);

}  // namespace pullsim::node
