#include "sim/oci/internal/synthetic_bytes.h"

#include <array>
#include <bit>
#include <cstring>

#include "sim/oci/digest.h"

namespace pullsim::oci::internal {
namespace {

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t ToLittleEndian(std::uint64_t value) {
  if constexpr (std::endian::native == std::endian::little) {
    return value;
  } else {
    std::uint64_t out = 0;
    for (int i = 0; i < 8; ++i) out = (out << 8) | ((value >> (8 * i)) & 0xff);
    return out;
  }
}

// Slicing-by-8 tables for the reflected polynomial 0xedb88320.
struct CrcTables {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  CrcTables() {
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (std::uint32_t i = 0; i < 256; ++i) {
      for (std::size_t k = 1; k < 8; ++k) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
    }
  }
};

const CrcTables& Tables() {
  static const CrcTables tables;
  return tables;
}

}  // namespace

Prng::Prng(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (std::uint64_t& word : s_) word = SplitMix64(state);
}

std::uint64_t Prng::Next() {
  const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = std::rotl(s_[3], 45);
  return result;
}

void Prng::Fill(char* out, std::size_t size) {
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    const std::uint64_t word = ToLittleEndian(Next());
    std::memcpy(out + i, &word, 8);
  }
  if (i < size) {
    const std::uint64_t word = ToLittleEndian(Next());
    std::memcpy(out + i, &word, size - i);
  }
}

std::uint64_t SeedOf(std::string_view text) {
  const Digest digest = Digest::Sha256Of(text);
  const std::string_view hex = digest.hex();
  std::uint64_t seed = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    const char c = hex[i];
    const std::uint64_t nibble = static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    seed = (seed << 4) | nibble;
  }
  return seed;
}

std::uint32_t Crc32(std::uint32_t crc, const char* data, std::size_t size) {
  const auto& t = Tables().t;
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  crc = ~crc;
  while (size >= 8) {
    const std::uint32_t low =
        crc ^ (static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
               (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24));
    crc = t[7][low & 0xff] ^ t[6][(low >> 8) & 0xff] ^ t[5][(low >> 16) & 0xff] ^ t[4][low >> 24] ^
          t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    p += 8;
    size -= 8;
  }
  while (size-- > 0) crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::uint64_t StoredGzipSize(std::uint64_t payload) {
  const std::uint64_t blocks = payload == 0 ? 1 : (payload + kStoredBlockMax - 1) / kStoredBlockMax;
  return 10 + 5 * blocks + payload + 8;
}

}  // namespace pullsim::oci::internal
