#include "sim/cluster/internal/base64.h"

#include <array>
#include <cstdint>

namespace pullsim::cluster::internal {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<uint8_t, 256> MakeDecodeMap() {
  std::array<uint8_t, 256> map{};
  for (auto& entry : map) entry = 0xFF;
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    map[static_cast<unsigned char>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
  return map;
}
constexpr std::array<uint8_t, 256> kDecodeMap = MakeDecodeMap();

bool IsNewline(char c) { return c == '\n' || c == '\r'; }

}  // namespace

std::variant<std::string, Base64Error> DecodeBase64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  size_t si = 0;
  while (true) {
    // One quantum of up to four symbols.
    std::array<uint8_t, 4> symbols{};
    size_t count = 0;  // symbols read in this quantum
    bool finished = false;
    while (count < 4) {
      if (si == text.size()) {
        if (count == 0) return out;
        // A partial quantum without padding.
        return Base64Error{si - count};
      }
      const char in = text[si++];
      const uint8_t value = kDecodeMap[static_cast<unsigned char>(in)];
      if (value != 0xFF) {
        symbols[count++] = value;
        continue;
      }
      if (IsNewline(in)) continue;
      if (in != '=') return Base64Error{si - 1};
      // Padding: only after two or three symbols, and after two it must be "==".
      if (count < 2) return Base64Error{si - 1};
      if (count == 2) {
        while (si < text.size() && IsNewline(text[si])) ++si;
        if (si == text.size()) return Base64Error{text.size()};
        if (text[si] != '=') return Base64Error{si - 1};
        ++si;
      }
      while (si < text.size() && IsNewline(text[si])) ++si;
      if (si < text.size()) return Base64Error{si};  // bytes after the padding
      finished = true;
      break;
    }
    const uint32_t bits = (uint32_t{symbols[0]} << 18) | (uint32_t{symbols[1]} << 12) |
                          (uint32_t{symbols[2]} << 6) | uint32_t{symbols[3]};
    out += static_cast<char>((bits >> 16) & 0xFF);
    if (count >= 3) out += static_cast<char>((bits >> 8) & 0xFF);
    if (count == 4) out += static_cast<char>(bits & 0xFF);
    if (finished) return out;
  }
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t bits = 0;
    for (size_t k = 0; k < 3; ++k) {
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

}  // namespace pullsim::cluster::internal
