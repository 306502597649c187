// Go's encoding/base64: StdEncoding and RawStdEncoding, with CorruptInputError's offsets.
#include "sim/core/base64.h"

#include <string>

#include <gtest/gtest.h>

namespace pullsim {
namespace {

// The decoded bytes, or "error " and the message.
std::string Decoded(std::string_view text, Base64Encoding encoding = Base64Encoding::kStd) {
  auto result = DecodeBase64(text, encoding);
  if (!result) {
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    return "error " + result.error().message;
  }
  return *result;
}

TEST(DecodeBase64, DecodesPaddedAndUnpadded) {
  EXPECT_EQ(Decoded(""), "");
  EXPECT_EQ(Decoded("", Base64Encoding::kRawStd), "");
  EXPECT_EQ(Decoded("Zm9v"), "foo");
  EXPECT_EQ(Decoded("Zm9vYg=="), "foob");
  EXPECT_EQ(Decoded("Zm9vYmE="), "fooba");
  EXPECT_EQ(Decoded("Zm9vOmJhcg=="), "foo:bar");
  EXPECT_EQ(Decoded("Zm9vOmJhcg", Base64Encoding::kRawStd), "foo:bar");
  // '\r' and '\n' are skipped anywhere.
  EXPECT_EQ(Decoded("Zm9v\nYmFy\r\n"), "foobar");
  EXPECT_EQ(Decoded("Zm9v\nOmJh\r\ncg=="), "foo:bar");
}

TEST(DecodeBase64, ReportsGoOffsets) {
  const struct {
    std::string_view input;
    Base64Encoding encoding;
    std::string_view message;
  } kCases[] = {
      {"pants", Base64Encoding::kRawStd, "illegal base64 data at input byte 4"},
      {" Zm9vOmJhcg==", Base64Encoding::kStd, "illegal base64 data at input byte 0"},
      {"Zm9vOmJhcg=", Base64Encoding::kStd, "illegal base64 data at input byte 11"},
      {"Zm9vOmJhcg==", Base64Encoding::kRawStd, "illegal base64 data at input byte 10"},
      {"Zm9vOmJhcg", Base64Encoding::kStd, "illegal base64 data at input byte 8"},
      {"Zg==Zg==", Base64Encoding::kStd, "illegal base64 data at input byte 4"},
      {"Z===", Base64Encoding::kStd, "illegal base64 data at input byte 1"},
      {"Zm9v!", Base64Encoding::kRawStd, "illegal base64 data at input byte 4"},
      {"Zm9", Base64Encoding::kStd, "illegal base64 data at input byte 0"},
      {"Zm9v!", Base64Encoding::kStd, "illegal base64 data at input byte 4"},
      {"Zg=", Base64Encoding::kStd, "illegal base64 data at input byte 3"},
      {"=Zg=", Base64Encoding::kStd, "illegal base64 data at input byte 0"},
      {"Zm9v-_", Base64Encoding::kStd, "illegal base64 data at input byte 4"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(Decoded(c.input, c.encoding), "error " + std::string(c.message));
  }
}

TEST(EncodeBase64, PadsAndRoundTrips) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("foob"), "Zm9vYg==");
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
  const std::string bytes("\0\xff\x10", 3);
  EXPECT_EQ(Decoded(EncodeBase64(bytes)), bytes);
}

}  // namespace
}  // namespace pullsim
