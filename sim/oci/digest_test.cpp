#include "sim/oci/digest.h"

#include <string>
#include <unordered_set>

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

constexpr std::string_view kEmptySha256 =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kAbcSha256 =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view kAbcSha512 =
    "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

TEST(Digest, ComputesKnownSha256) {
  pullsim::testing::CoversRule("ARCH-01");
  EXPECT_EQ(Digest::Sha256Of("").str(), kEmptySha256);
  EXPECT_EQ(Digest::Sha256Of("abc").str(), kAbcSha256);
  EXPECT_EQ(Digest::Of(DigestAlgorithm::kSha512, "abc").str(), kAbcSha512);
}

TEST(Digest, ParsesAndExposesParts) {
  auto digest = Digest::Parse(kAbcSha256);
  ASSERT_TRUE(digest.has_value()) << digest.error().message;
  EXPECT_EQ(digest->algorithm(), DigestAlgorithm::kSha256);
  EXPECT_EQ(digest->algorithm_name(), "sha256");
  EXPECT_EQ(digest->hex(), kAbcSha256.substr(7));
  EXPECT_EQ(*digest, Digest::Sha256Of("abc"));

  auto sha512 = Digest::Parse(kAbcSha512);
  ASSERT_TRUE(sha512.has_value()) << sha512.error().message;
  EXPECT_EQ(sha512->algorithm(), DigestAlgorithm::kSha512);
  EXPECT_EQ(*sha512, Digest::Of(DigestAlgorithm::kSha512, "abc"));
}

TEST(Digest, DefaultIsEmpty) {
  Digest digest;
  EXPECT_TRUE(digest.empty());
  EXPECT_EQ(digest.str(), "");
  EXPECT_EQ(digest.hex(), "");
  EXPECT_FALSE(Digest::Sha256Of("").empty());
}

struct BadDigest {
  std::string_view text;
  std::string_view message_part;
};

TEST(Digest, RejectsMalformedWithReason) {
  pullsim::testing::CoversRule("ARCH-01");
  const std::string upper =
      "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
  const std::string short_hex = "sha256:ba7816bf";
  const std::string long_hex = std::string(kAbcSha256) + "0";
  const std::string not_hex = "sha256:" + std::string(63, 'a') + "g";
  const std::string sha512_short = "sha512:" + std::string(64, 'a');
  const std::string double_colon = "sha256::" + std::string(63, 'a');
  const BadDigest cases[] = {
      {"", "digest is empty"},
      {"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "expected"},
      {"md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm \"md5\""},
      {"SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
       "unsupported algorithm \"SHA256\""},
      {":abc", "unsupported algorithm \"\""},
      {upper, "hex must be lowercase: \"B\" at offset 7"},
      {short_hex, "sha256 needs 64 hex characters, got 8"},
      {long_hex, "sha256 needs 64 hex characters, got 65"},
      {not_hex, "not a hex digit: \"g\" at offset 70"},
      {sha512_short, "sha512 needs 128 hex characters, got 64"},
      {"sha256:", "got 0"},
      {double_colon, "not a hex digit: \":\""},
  };
  for (const BadDigest& bad : cases) {
    SCOPED_TRACE(bad.text);
    auto digest = Digest::Parse(bad.text);
    ASSERT_FALSE(digest.has_value());
    EXPECT_EQ(digest.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(digest.error().message.find(bad.message_part), std::string::npos)
        << digest.error().message;
    if (!bad.text.empty()) {
      // The message names the input (truncated inputs are still recognisable by their start).
      EXPECT_NE(digest.error().message.find(std::string(bad.text.substr(0, 10))), std::string::npos)
          << digest.error().message;
    }
  }
}

TEST(Digest, QuotesControlBytesInErrors) {
  auto digest = Digest::Parse(std::string_view("sha256\n\x01", 8));
  ASSERT_FALSE(digest.has_value());
  EXPECT_NE(digest.error().message.find("\\x0a\\x01"), std::string::npos) << digest.error().message;
}

TEST(Digest, HashesAndOrders) {
  std::unordered_set<Digest> set{Digest::Sha256Of("a"), Digest::Sha256Of("b"),
                                 Digest::Sha256Of("a")};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_NE(Digest::Sha256Of("a"), Digest::Sha256Of("b"));
  EXPECT_TRUE(Digest::Sha256Of("a") < Digest::Sha256Of("b") ||
              Digest::Sha256Of("b") < Digest::Sha256Of("a"));
}

TEST(Digester, StreamingEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 100000; ++i) data += static_cast<char>(i * 7 + 3);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{63}, std::size_t{4096}, data.size()}) {
    SCOPED_TRACE(chunk);
    Digester digester;
    for (std::size_t offset = 0; offset < data.size(); offset += chunk) {
      digester.Update(std::string_view(data).substr(offset, chunk));
    }
    EXPECT_EQ(digester.bytes_hashed(), data.size());
    EXPECT_EQ(digester.Finish(), Digest::Sha256Of(data));
  }
}

TEST(Digester, FinishStartsOver) {
  Digester digester(DigestAlgorithm::kSha512);
  digester.Update("ab");
  digester.Update(std::span<const std::byte>(reinterpret_cast<const std::byte*>("c"), 1));
  EXPECT_EQ(digester.Finish().str(), kAbcSha512);
  EXPECT_EQ(digester.bytes_hashed(), 0u);
  digester.Update("abc");
  EXPECT_EQ(digester.Finish().str(), kAbcSha512);
  Digester moved = std::move(digester);
  moved.Update("abc");
  EXPECT_EQ(moved.Finish().str(), kAbcSha512);
}

TEST(VerifyDigest, NamesExpectedAndActual) {
  auto expected = Digest::Parse(kAbcSha256);
  ASSERT_TRUE(expected.has_value());
  EXPECT_TRUE(VerifyDigest(*expected, "abc").has_value());

  auto mismatch = VerifyDigest(*expected, "abd", "blob \"layer.tar\"");
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(mismatch.error().message, "blob \"layer.tar\": digest mismatch: expected " +
                                          std::string(kAbcSha256) + ", got " +
                                          Digest::Sha256Of("abd").str());

  auto sha512 = Digest::Parse(kAbcSha512);
  ASSERT_TRUE(sha512.has_value());
  EXPECT_TRUE(VerifyDigest(*sha512, "abc").has_value());
  EXPECT_FALSE(VerifyDigest(Digest(), "abc").has_value());
}

}  // namespace
}  // namespace pullsim::oci
