// Hostile input to the parser: always a value or a clear error, never a crash, a hang or an
// answer that contradicts itself. The scanner is linear, so 10 MB strings finish at once.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "sim/reference/pull_policy.h"
#include "sim/reference/reference.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::reference {
namespace {

constexpr std::uint32_t kSeed = 20240601;  // fixed: the same strings on every run
constexpr std::size_t kTenMegabytes = 10 * 1024 * 1024;
constexpr std::size_t kOneMegabyte = 1024 * 1024;  // for the shapes that need no 10 MB to prove it

// `piece` repeated to at least `total` bytes, built by doubling (fast even in a debug build).
std::string Repeat(std::string_view piece, std::size_t total) {
  std::string out(piece);
  while (out.size() < total) out.append(out);
  out.resize((total + piece.size() - 1) / piece.size() * piece.size());
  return out;
}

bool IsUpstreamMessage(std::string_view message) {
  for (std::string_view known : {
           "invalid reference format",  // also the prefix of the lower-case message
           "invalid repository name (",
           "repository name must not be more than 255 characters",
           "invalid checksum digest length",
           "invalid checksum digest format",
           "unsupported digest algorithm",
       }) {
    if (message.starts_with(known)) return true;
  }
  return false;
}

// Every entry point on one input; the answers must agree with one another.
void CheckInput(std::string_view input) {
  const Result<Reference> named = ParseNormalizedNamed(input);
  const Result<ImageName> image = ParseImageName(input);
  const Result<std::string> cri = ApplyDefaultImageTag(input);
  (void)Parse(input);
  (void)ParseDockerRef(input);
  (void)DefaultPullPolicy(input);
  ASSERT_EQ(named.has_value(), image.has_value());
  ASSERT_EQ(named.has_value(), cri.has_value());
  if (!named) {
    EXPECT_EQ(named.error().code, ErrorCode::kInvalidArgument);
    EXPECT_TRUE(IsUpstreamMessage(named.error().message)) << named.error().message.substr(0, 200);
    EXPECT_TRUE(image.error().message.starts_with("couldn't parse image name \""));
    EXPECT_TRUE(image.error().message.ends_with(named.error().message));
    return;
  }
  // A parsed reference prints a canonical string that parses back to itself.
  const std::string canonical = named->String();
  const Result<Reference> again = ParseNamed(canonical);
  ASSERT_TRUE(again.has_value()) << canonical << ": " << again.error().message;
  EXPECT_EQ(*again, *named);
  EXPECT_EQ(image->repository, named->Name());
  EXPECT_LE(named->path.size(), 255u);
  EXPECT_LE(named->tag.size(), 128u);
}

TEST(ReferenceFuzz, REF_03_HostileStringsGetAClearError) {
  testing::CoversRules({"REF-01", "REF-03", "REF-04"});
  const std::vector<std::string> inputs = {
      "",
      std::string(1, '\0'),
      std::string("nginx\0:latest", 13),
      std::string("\0nginx", 6),
      "\xff\xfe\xfd",
      "nginx\xc3",
      "\xc3\xa9t\xc3\xa9/\xe2\x84\xaa",
      Repeat(":", 1000),
      "nginx" + Repeat(":", 1000),
      Repeat("@", 1000),
      Repeat("/", 1000),
      Repeat("a/", 50000) + "a",
      Repeat("[", 1000) + "/a",
      Repeat("a", kTenMegabytes),
      Repeat("a/", kOneMegabyte / 2) + "a:tag",
      Repeat(":", kTenMegabytes),
      Repeat("a:", kOneMegabyte / 2),
      Repeat("a-", kOneMegabyte / 2),
      Repeat("a__", kOneMegabyte / 3),
      "nginx:" + Repeat("t", kTenMegabytes),
      "nginx@sha256:" + Repeat("f", kOneMegabyte),
      "nginx@" + Repeat("a.", kOneMegabyte / 2) + ":" + Repeat("f", 64),
      "[" + Repeat(":", kOneMegabyte) + "]:5000/a",
      Repeat("A", kOneMegabyte),
      Repeat("\xe2\x84\xaa", kOneMegabyte),
      Repeat("\xff", kTenMegabytes),
      Repeat(std::string_view("\0", 1), kTenMegabytes),
      Repeat("a", 64) + "/" + Repeat("b", 300),
  };
  for (const std::string& input : inputs) {
    SCOPED_TRACE(input.substr(0, 40) +
                 (input.size() > 40 ? "... (" + std::to_string(input.size()) + " bytes)" : ""));
    CheckInput(input);
  }
  // 10 MB of 'a' is a valid name only past the 255-character path limit.
  EXPECT_EQ(ParseNormalizedNamed(Repeat("a", kTenMegabytes)).error().message,
            "repository name must not be more than 255 characters");
}

// Random strings over the grammar's own alphabet reach the valid and the subtle cases.
TEST(ReferenceFuzz, REF_01_RandomGrammarStrings) {
  testing::CoversRules({"REF-01", "REF-02", "REF-03"});
  constexpr std::string_view kAlphabet = "abcAB09._-:/@[]%sha256 \xff\xc3\xa9";
  std::mt19937 random(kSeed);
  std::uniform_int_distribution<std::size_t> length(0, 40);
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string input;
    for (std::size_t n = length(random); n > 0; --n) input.push_back(kAlphabet[pick(random)]);
    SCOPED_TRACE(input);
    CheckInput(input);
    if (ParseNormalizedNamed(input)) ++parsed;
  }
  EXPECT_GT(parsed, 100);  // the alphabet is rich enough to produce valid references too
}

TEST(ReferenceFuzz, REF_03_RandomBytes) {
  testing::CoversRule("REF-03");
  std::mt19937 random(kSeed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 300);
  for (int i = 0; i < 5000; ++i) {
    std::string input;
    for (std::size_t n = length(random); n > 0; --n)
      input.push_back(static_cast<char>(byte(random)));
    SCOPED_TRACE(i);
    CheckInput(input);
  }
}

}  // namespace
}  // namespace pullsim::reference
