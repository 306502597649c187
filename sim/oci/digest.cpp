#include "sim/oci/digest.h"

#include <array>
#include <cassert>
#include <cstdlib>
#include <utility>

#include <openssl/evp.h>

#include "sim/oci/internal/json.h"

namespace pullsim::oci {
namespace {

using internal::Quote;

// The EVP_MD of `algorithm`, fetched once per process: an explicit fetch avoids OpenSSL 3's
// implicit provider lookup on every EVP_DigestInit_ex.
const EVP_MD* Md(DigestAlgorithm algorithm) {
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* const sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  const EVP_MD* md = algorithm == DigestAlgorithm::kSha256 ? sha256 : sha512;
  // The default provider always carries SHA-2; without it nothing in pullsim can work.
  if (md == nullptr) std::abort();
  return md;
}

std::string ToHex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string_view DigestAlgorithmName(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha256 ? "sha256" : "sha512";
}

std::size_t DigestHexLength(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSha256 ? 64 : 128;
}

Result<Digest> Digest::Parse(std::string_view text) {
  const std::string prefix = "digest " + Quote(text) + ": ";
  if (text.empty()) return Fail(ErrorCode::kInvalidArgument, "digest is empty");
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                prefix + "expected \"<algorithm>:<hex>\" such as \"sha256:<64 hex digits>\"");
  }
  const std::string_view algorithm_text = text.substr(0, colon);
  const std::string_view hex = text.substr(colon + 1);
  DigestAlgorithm algorithm;
  if (algorithm_text == "sha256") {
    algorithm = DigestAlgorithm::kSha256;
  } else if (algorithm_text == "sha512") {
    algorithm = DigestAlgorithm::kSha512;
  } else {
    return Fail(ErrorCode::kInvalidArgument, prefix + "unsupported algorithm " +
                                                 Quote(algorithm_text.substr(0, 64)) +
                                                 " (expected sha256 or sha512)");
  }
  const std::size_t want = DigestHexLength(algorithm);
  if (hex.size() != want) {
    return Fail(ErrorCode::kInvalidArgument, prefix + std::string(algorithm_text) + " needs " +
                                                 std::to_string(want) + " hex characters, got " +
                                                 std::to_string(hex.size()));
  }
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[i];
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) continue;
    std::string why = (c >= 'A' && c <= 'F') ? "hex must be lowercase" : "not a hex digit";
    return Fail(ErrorCode::kInvalidArgument, prefix + why + ": " + Quote(std::string_view(&c, 1)) +
                                                 " at offset " + std::to_string(colon + 1 + i));
  }
  return Digest(algorithm, std::string(text));
}

Digest Digest::Of(DigestAlgorithm algorithm, std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  const int ok = EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, Md(algorithm), nullptr);
  // EVP_Digest fails only on allocation failure or a broken provider.
  if (ok != 1) std::abort();
  return Digest(algorithm,
                std::string(DigestAlgorithmName(algorithm)) + ":" + ToHex(out.data(), size));
}

std::string_view Digest::hex() const {
  const std::size_t colon = value_.find(':');
  return colon == std::string::npos ? std::string_view()
                                    : std::string_view(value_).substr(colon + 1);
}

std::string_view Digest::algorithm_name() const {
  const std::size_t colon = value_.find(':');
  return colon == std::string::npos ? std::string_view()
                                    : std::string_view(value_).substr(0, colon);
}

struct Digester::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

namespace {

void Init(EVP_MD_CTX* ctx, DigestAlgorithm algorithm) {
  if (EVP_DigestInit_ex(ctx, Md(algorithm), nullptr) != 1) std::abort();
}

}  // namespace

Digester::Digester(DigestAlgorithm algorithm)
    : algorithm_(algorithm), state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  if (state_->ctx == nullptr) std::abort();
  Init(state_->ctx, algorithm_);
}

Digester::~Digester() = default;
Digester::Digester(Digester&&) noexcept = default;
Digester& Digester::operator=(Digester&&) noexcept = default;

void Digester::Update(std::string_view bytes) {
  assert(state_ != nullptr);  // not used after being moved from
  if (bytes.empty()) return;
  if (EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) != 1) std::abort();
  bytes_hashed_ += bytes.size();
}

void Digester::Update(std::span<const std::byte> bytes) {
  Update(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Digest Digester::Finish() {
  assert(state_ != nullptr);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(state_->ctx, out.data(), &size) != 1) std::abort();
  Init(state_->ctx, algorithm_);
  bytes_hashed_ = 0;
  return Digest(algorithm_,
                std::string(DigestAlgorithmName(algorithm_)) + ":" + ToHex(out.data(), size));
}

Result<void> VerifyDigest(const Digest& expected, const Digest& actual, std::string_view what) {
  if (expected == actual) return {};
  std::string message = what.empty() ? std::string() : std::string(what) + ": ";
  message += "digest mismatch: expected " + expected.str() + ", got " + actual.str();
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

Result<void> VerifyDigest(const Digest& expected, std::string_view bytes, std::string_view what) {
  if (expected.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                (what.empty() ? std::string() : std::string(what) + ": ") +
                    "no expected digest to verify against");
  }
  return VerifyDigest(expected, Digest::Of(expected.algorithm(), bytes), what);
}

}  // namespace pullsim::oci
