#include "sim/core/base64.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace pullsim {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> MakeDecodeMap() {
  std::array<std::uint8_t, 256> map{};
  for (auto& value : map) value = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    map[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return map;
}

constexpr std::array<std::uint8_t, 256> kDecodeMap = MakeDecodeMap();

std::unexpected<Error> Corrupt(std::size_t offset) {
  return Fail(ErrorCode::kInvalidArgument,
              "illegal base64 data at input byte " + std::to_string(offset));
}

bool IsNewline(char c) { return c == '\n' || c == '\r'; }

}  // namespace

// One quantum at a time, exactly as Go's decodeQuantum walks the input: the error offsets are
// a consequence of where that loop stops.
Result<std::string> DecodeBase64(std::string_view src, Base64Encoding encoding) {
  const bool padded = encoding == Base64Encoding::kStd;
  std::string out;
  out.reserve(src.size() / 4 * 3 + 3);
  std::size_t si = 0;
  while (si < src.size()) {
    std::array<std::uint8_t, 4> dbuf{};
    std::size_t dlen = 4;
    bool trailing_garbage = false;
    std::size_t garbage_at = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        if (j == 1 || padded) return Corrupt(si - j);
        dlen = j;
        break;
      }
      const char in = src[si++];
      const std::uint8_t value = kDecodeMap[static_cast<unsigned char>(in)];
      if (value != kInvalid) {
        dbuf[j] = value;
        continue;
      }
      if (IsNewline(in)) {
        --j;  // wraps for j == 0 and comes back to 0 with the loop increment
        continue;
      }
      if (!padded || in != '=') return Corrupt(si - 1);
      // Padding: only after two or three symbols.
      if (j == 0 || j == 1) return Corrupt(si - 1);
      if (j == 2) {
        // "==" expected; the first '=' is consumed.
        while (si < src.size() && IsNewline(src[si])) ++si;
        if (si == src.size()) return Corrupt(src.size());
        if (src[si] != '=') return Corrupt(si - 1);
        ++si;
      }
      while (si < src.size() && IsNewline(src[si])) ++si;
      if (si < src.size()) {
        trailing_garbage = true;
        garbage_at = si;
      }
      dlen = j;
      break;
    }
    const std::uint32_t val = std::uint32_t{dbuf[0]} << 18 | std::uint32_t{dbuf[1]} << 12 |
                              std::uint32_t{dbuf[2]} << 6 | std::uint32_t{dbuf[3]};
    if (dlen >= 2) out.push_back(static_cast<char>((val >> 16) & 0xFF));
    if (dlen >= 3) out.push_back(static_cast<char>((val >> 8) & 0xFF));
    if (dlen == 4) out.push_back(static_cast<char>(val & 0xFF));
    if (trailing_garbage) return Corrupt(garbage_at);
  }
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t bits = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      bits <<= 8;
      if (k < n) bits |= static_cast<unsigned char>(bytes[i + k]);
    }
    out += kAlphabet[(bits >> 18) & 0x3F];
    out += kAlphabet[(bits >> 12) & 0x3F];
    out += n > 1 ? kAlphabet[(bits >> 6) & 0x3F] : '=';
    out += n > 2 ? kAlphabet[bits & 0x3F] : '=';
  }
  return out;
}

}  // namespace pullsim
