#include "sim/registry/internal/base64.h"

#include "sim/core/base64.h"

namespace pullsim::registry::internal {

std::string Base64Encode(std::string_view bytes) { return EncodeBase64(bytes); }

std::optional<std::string> Base64Decode(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  Result<std::string> decoded = DecodeBase64(text, Base64Encoding::kStd);
  if (!decoded) return std::nullopt;
  return *std::move(decoded);
}

}  // namespace pullsim::registry::internal
