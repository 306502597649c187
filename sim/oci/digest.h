#pragma once
// Content digests: "<algorithm>:<lowercase hex>" (OCI image-spec descriptor.md, ARCH-01), computed
// by streaming OpenSSL EVP over input of any size.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "sim/core/result.h"

namespace pullsim::oci {

// The registered algorithms pullsim accepts (image-spec: sha256 required, sha512 optional).
enum class DigestAlgorithm { kSha256, kSha512 };

// "sha256" / "sha512".
[[nodiscard]] std::string_view DigestAlgorithmName(DigestAlgorithm algorithm);
// Number of hex characters in an encoded digest of `algorithm` (64 / 128).
[[nodiscard]] std::size_t DigestHexLength(DigestAlgorithm algorithm);

// A validated digest. Default-constructed it is empty (no algorithm, empty string); every other
// value came from Parse() or from hashing bytes, so it is always well formed.
class Digest {
 public:
  Digest() = default;

  // Strict: "sha256:" + 64 or "sha512:" + 128 lowercase hex digits, nothing else.
  // kInvalidArgument naming the input and what is wrong.
  [[nodiscard]] static Result<Digest> Parse(std::string_view text);

  // The digest of `bytes` with `algorithm`.
  [[nodiscard]] static Digest Of(DigestAlgorithm algorithm, std::string_view bytes);
  [[nodiscard]] static Digest Sha256Of(std::string_view bytes) {
    return Of(DigestAlgorithm::kSha256, bytes);
  }

  [[nodiscard]] bool empty() const { return value_.empty(); }
  [[nodiscard]] DigestAlgorithm algorithm() const { return algorithm_; }
  // "sha256:<hex>"; empty for a default-constructed Digest.
  [[nodiscard]] const std::string& str() const { return value_; }
  // The encoded part after the colon.
  [[nodiscard]] std::string_view hex() const;
  // The algorithm part before the colon ("sha256").
  [[nodiscard]] std::string_view algorithm_name() const;

  friend bool operator==(const Digest& a, const Digest& b) { return a.value_ == b.value_; }
  friend std::strong_ordering operator<=>(const Digest& a, const Digest& b) {
    return a.value_ <=> b.value_;
  }

 private:
  friend class Digester;
  Digest(DigestAlgorithm algorithm, std::string value)
      : algorithm_(algorithm), value_(std::move(value)) {}

  DigestAlgorithm algorithm_ = DigestAlgorithm::kSha256;
  std::string value_;
};

// Incremental hashing over OpenSSL EVP: Update() any number of times, then Finish() once.
// Movable, not copyable.
class Digester {
 public:
  explicit Digester(DigestAlgorithm algorithm = DigestAlgorithm::kSha256);
  ~Digester();
  Digester(Digester&&) noexcept;
  Digester& operator=(Digester&&) noexcept;
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;

  void Update(std::string_view bytes);
  void Update(std::span<const std::byte> bytes);

  // The digest of every byte given so far. Afterwards the Digester starts over, empty.
  [[nodiscard]] Digest Finish();

  // Bytes given since construction or the last Finish().
  [[nodiscard]] std::uint64_t bytes_hashed() const { return bytes_hashed_; }
  [[nodiscard]] DigestAlgorithm algorithm() const { return algorithm_; }

 private:
  struct State;
  DigestAlgorithm algorithm_;
  std::unique_ptr<State> state_;
  std::uint64_t bytes_hashed_ = 0;
};

// Checks that `bytes` hash to `expected` (with expected's algorithm). kInvalidArgument
// "digest mismatch: expected sha256:..., got sha256:..." otherwise; `what` (e.g. `blob
// "sha256:..."` or a file name) prefixes the message when given.
[[nodiscard]] Result<void> VerifyDigest(const Digest& expected, std::string_view bytes,
                                        std::string_view what = {});
// Same check when the actual digest is already computed (e.g. by a Digester).
[[nodiscard]] Result<void> VerifyDigest(const Digest& expected, const Digest& actual,
                                        std::string_view what = {});

}  // namespace pullsim::oci

template <>
struct std::hash<pullsim::oci::Digest> {
  std::size_t operator()(const pullsim::oci::Digest& digest) const noexcept {
    return std::hash<std::string>{}(digest.str());
  }
};
