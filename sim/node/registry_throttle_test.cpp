#include "sim/node/registry_throttle.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

using std::chrono::milliseconds;

Timestamp At(int ms) { return VirtualClock::kDefaultStart + milliseconds(ms); }

TEST(RegistryThrottle, KUB_09_StartsFullAndRefusesWithoutWaiting) {
  testing::CoversRule("KUB-09");
  RegistryThrottle throttle(5, 10);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(throttle.TryAccept(At(0))) << i;
  EXPECT_FALSE(throttle.TryAccept(At(0)));
  EXPECT_FALSE(throttle.TryAccept(At(199)));
  EXPECT_TRUE(throttle.TryAccept(At(200)));  // 5 QPS: one token every 200 ms
  EXPECT_FALSE(throttle.TryAccept(At(200)));
}

TEST(RegistryThrottle, KUB_09_RefillStopsAtTheBurst) {
  testing::CoversRule("KUB-09");
  RegistryThrottle throttle(5, 2);
  EXPECT_TRUE(throttle.TryAccept(At(0)));
  EXPECT_TRUE(throttle.TryAccept(At(0)));
  EXPECT_DOUBLE_EQ(throttle.Tokens(At(60'000)), 2.0);
  EXPECT_TRUE(throttle.TryAccept(At(60'000)));
  EXPECT_TRUE(throttle.TryAccept(At(60'000)));
  EXPECT_FALSE(throttle.TryAccept(At(60'000)));
}

TEST(RegistryThrottle, KUB_09_QpsZeroDisablesThrottling) {
  testing::CoversRule("KUB-09");
  RegistryThrottle throttle(0, 0);
  EXPECT_FALSE(throttle.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(throttle.TryAccept(At(0)));
}

TEST(RegistryThrottle, KUB_09_BurstZeroAcceptsNothing) {
  testing::CoversRule("KUB-09");
  RegistryThrottle throttle(5, 0);
  EXPECT_FALSE(throttle.TryAccept(At(0)));
  EXPECT_FALSE(throttle.TryAccept(At(10'000)));
}

}  // namespace
}  // namespace pullsim::node
