#pragma once
// Base64 as Go's encoding/base64 reads and writes it (StdEncoding, RawStdEncoding), including the
// error offsets of its CorruptInputError ("illegal base64 data at input byte 4"), which the
// kubelet (CRED-05) and the API server (Secret data) report as is.

#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace pullsim {

enum class Base64Encoding {
  kStd,     // base64.StdEncoding: '=' padding required
  kRawStd,  // base64.RawStdEncoding: no padding allowed
};

// Encoding.DecodeString: the standard alphabet, '\r' and '\n' ignored anywhere.
// kInvalidArgument with Go's CorruptInputError text.
[[nodiscard]] Result<std::string> DecodeBase64(std::string_view text,
                                               Base64Encoding encoding = Base64Encoding::kStd);

// StdEncoding.EncodeToString: the standard alphabet with '=' padding.
[[nodiscard]] std::string EncodeBase64(std::string_view bytes);

}  // namespace pullsim
