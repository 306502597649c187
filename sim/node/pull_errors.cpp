#include "sim/node/pull_errors.h"

#include "sim/node/kubelet_constants.h"

namespace pullsim::node {

std::string UnwrapCriError(std::string_view text) {
  if (text.starts_with(kGrpcUnknownPrefix)) text.remove_prefix(kGrpcUnknownPrefix.size());
  return std::string(text);
}

ClassifiedPullError EvalCriPullError(std::string_view image, std::string_view text,
                                     KubeletVersion version) {
  if (version.classifies_pull_errors_by_prefix()) {
    if (text.starts_with(kErrRegistryUnavailable)) {
      return {std::string(kErrRegistryUnavailable),
              RegistryUnavailableMessage(image, text.substr(kErrRegistryUnavailable.size()))};
    }
    if (text.starts_with(kErrSignatureValidationFailed)) {
      return {std::string(kErrSignatureValidationFailed),
              SignatureValidationFailedMessage(image,
                                               text.substr(kErrSignatureValidationFailed.size()))};
    }
  }
  return {std::string(kErrImagePull), std::string(text)};
}

}  // namespace pullsim::node
