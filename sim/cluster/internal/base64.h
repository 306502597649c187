#pragma once
// Secret `data` values: standard base64 as Go's base64.StdEncoding.Decode reads it (what the API
// server's JSON decoding of a []byte field uses): padding required, '\r' and '\n' skipped, the
// first bad byte reported as "illegal base64 data at input byte N".

#include <string>
#include <string_view>
#include <variant>

namespace pullsim::cluster::internal {

struct Base64Error {
  size_t offset = 0;  // the input byte Go's CorruptInputError names
  [[nodiscard]] std::string Message() const {
    return "illegal base64 data at input byte " + std::to_string(offset);
  }
};

// The decoded bytes, or where the input went wrong.
[[nodiscard]] std::variant<std::string, Base64Error> DecodeBase64(std::string_view text);

// Standard base64 with padding.
[[nodiscard]] std::string EncodeBase64(std::string_view bytes);

}  // namespace pullsim::cluster::internal
