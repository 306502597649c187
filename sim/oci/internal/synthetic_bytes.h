#pragma once
// Cheap, deterministic bytes for synthetic layers: a seeded PRNG (xoshiro256**), CRC-32 (the
// gzip trailer's), and the layout of a gzip stream made of "stored" deflate blocks, so a layer is
// real gzip (of a real tar) without a compressor.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pullsim::oci::internal {

// xoshiro256** seeded through splitmix64; the same seed gives the same bytes on every machine
// (output is written little-endian whatever the host).
class Prng {
 public:
  explicit Prng(std::uint64_t seed);
  std::uint64_t Next();
  // Fills [out, out + size) with the next bytes of the stream.
  void Fill(char* out, std::size_t size);

 private:
  std::uint64_t s_[4];
};

// A 64-bit seed from any text (the first 8 bytes of its SHA-256, little-endian).
[[nodiscard]] std::uint64_t SeedOf(std::string_view text);

// CRC-32 (IEEE 802.3, as gzip uses it), continued from `crc` (0 to start).
[[nodiscard]] std::uint32_t Crc32(std::uint32_t crc, const char* data, std::size_t size);

// Bytes a gzip stream of `payload` bytes in stored blocks takes, without a file name:
// 10 (header) + 5 per block of at most 65535 bytes (at least one block) + payload + 8 (trailer).
[[nodiscard]] std::uint64_t StoredGzipSize(std::uint64_t payload);

// Maximum bytes one stored deflate block holds.
inline constexpr std::size_t kStoredBlockMax = 65535;

}  // namespace pullsim::oci::internal
