#include "sim/core/clock.h"

#include <gtest/gtest.h>

namespace pullsim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(VirtualClock, StandsStillUntilAdvanced) {
  VirtualClock clock;
  Timestamp start = clock.Now();
  EXPECT_EQ(clock.Now(), start);
  clock.Advance(seconds(10));
  EXPECT_EQ(clock.Now() - start, seconds(10));
}

TEST(VirtualClock, AdvanceToNeverGoesBack) {
  VirtualClock clock;
  Timestamp start = clock.Now();
  clock.AdvanceTo(start + seconds(5));
  clock.AdvanceTo(start + seconds(1));
  EXPECT_EQ(clock.Now(), start + seconds(5));
}

TEST(VirtualClock, StartsAtAFixedInstant) {
  EXPECT_EQ(FormatTimestamp(VirtualClock().Now()), "2026-01-01T00:00:00Z");
}

TEST(FormatTimestamp, ShowsMillisecondsOnlyWhenPresent) {
  Timestamp t = VirtualClock::kDefaultStart + seconds(3725) + milliseconds(50);
  EXPECT_EQ(FormatTimestamp(t), "2026-01-01T01:02:05.050Z");
}

TEST(ParseDuration, AcceptsGoForms) {
  struct Case {
    const char* text;
    Duration want;
  };
  const Case cases[] = {
      {"0", Duration::zero()},  // Go accepts a bare 0 without a unit
      {"300ms", milliseconds(300)},
      {"1m30s", seconds(90)},
      {"2h", std::chrono::hours(2)},
      {"1.5s", milliseconds(1500)},
      {"10us", std::chrono::microseconds(10)},
      {"-5s", seconds(-5)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto got = ParseDuration(c.text);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(*got, c.want);
  }
}

TEST(ParseDuration, RejectsMalformedInputNamingIt) {
  for (const char* text : {"", "5", "s", "5x", "1.s5", "9999999999999h", "--1s"}) {
    SCOPED_TRACE(text);
    auto got = ParseDuration(text);
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(got.error().message.find(std::string("\"") + text + "\""), std::string::npos)
        << got.error().message;
  }
}

TEST(FormatDuration, MatchesGo) {
  EXPECT_EQ(FormatDuration(Duration::zero()), "0s");
  EXPECT_EQ(FormatDuration(seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(FormatDuration(milliseconds(300)), "300ms");
  EXPECT_EQ(FormatDuration(std::chrono::hours(2)), "2h0m0s");
  EXPECT_EQ(FormatDuration(seconds(-10)), "-10s");
  EXPECT_EQ(FormatDuration(std::chrono::minutes(5)), "5m0s");
}

}  // namespace
}  // namespace pullsim
