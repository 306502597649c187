#pragma once
// Base64 as Go's encoding/base64 decodes it (StdEncoding and RawStdEncoding), including its
// error offsets ("illegal base64 data at input byte 4"), which the kubelet reports as is (CRED-05).

#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace pullsim::credentials::internal {

// Decodes standard-alphabet base64; `padded` selects StdEncoding ('=' padding required) over
// RawStdEncoding (no padding allowed). '\r' and '\n' are ignored anywhere. kInvalidArgument with
// Go's CorruptInputError text.
[[nodiscard]] Result<std::string> DecodeGoBase64(std::string_view text, bool padded);

}  // namespace pullsim::credentials::internal
