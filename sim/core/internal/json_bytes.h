#pragma once
// The byte classes of JSON's grammar (RFC 8259), shared by sim/core's Go JSON scanner and reader.

namespace pullsim::internal {

// Insignificant white space: space, tab, line feed, carriage return. Not unicode.IsSpace.
inline bool IsJsonSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
inline bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool IsHexDigit(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace pullsim::internal
