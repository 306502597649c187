#pragma once
// Raw DEFLATE (RFC 1951) and base64, so the HTML report can carry each scenario's details
// compactly; the page inflates one with the browser's DecompressionStream("deflate-raw") when
// it is opened.

#include <string>
#include <string_view>

namespace pullsim::report::internal {

// `data` deflated (zlib, raw stream, default level), then base64 encoded (RFC 4648, padded).
[[nodiscard]] std::string DeflateBase64(std::string_view data);

// For tests: the inverse; empty with `ok` false when `text` is not such an encoding.
[[nodiscard]] std::string InflateBase64(std::string_view text, bool& ok);

}  // namespace pullsim::report::internal
