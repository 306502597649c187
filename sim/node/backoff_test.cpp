#include "sim/node/backoff.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

using std::chrono::seconds;

Timestamp At(int s) { return VirtualClock::kDefaultStart + seconds(s); }

TEST(Backoff, KUB_08_KeyIsPodUidAndImageAsWritten) {
  testing::CoversRule("KUB-08");
  EXPECT_EQ(ImageBackOffKey("uid1", "example.com/app:v1"), "uid1_example.com/app:v1");
  EXPECT_EQ(ImageBackOffKey("uid1", "app"), "uid1_app");
}

TEST(Backoff, KUB_08_DoublesUpToTheMaximum) {
  testing::CoversRule("KUB-08");
  Backoff backoff;
  std::vector<int> retry_times;
  int t = 0;
  for (int attempt = 0; attempt < 9; ++attempt) {
    while (backoff.IsInBackOffSinceUpdate("k", At(t))) ++t;
    retry_times.push_back(t);
    backoff.Next("k", At(t));
  }
  EXPECT_EQ(retry_times, (std::vector<int>{0, 10, 30, 70, 150, 310, 610, 910, 1210}));
  EXPECT_EQ(backoff.Get("k"), seconds(300));
}

TEST(Backoff, KUB_08_InBackOffIsStrict) {
  testing::CoversRule("KUB-08");
  Backoff backoff;
  backoff.Next("k", At(0));
  EXPECT_TRUE(backoff.IsInBackOffSinceUpdate("k", At(9)));
  EXPECT_FALSE(backoff.IsInBackOffSinceUpdate("k", At(10)));
  EXPECT_FALSE(backoff.IsInBackOffSinceUpdate("other", At(1)));
}

TEST(Backoff, KUB_08_ExpiresAfterTwiceTheMaximumStrictly) {
  testing::CoversRule("KUB-08");
  Backoff backoff;
  backoff.Next("k", At(0));
  backoff.Next("k", At(600));  // 600 s idle: not expired, doubles
  EXPECT_EQ(backoff.Get("k"), seconds(20));
  backoff.Next("k", At(1201));  // 601 s idle: expired, restarts
  EXPECT_EQ(backoff.Get("k"), seconds(10));
}

TEST(Backoff, KUB_08_GcDropsOnlyStaleEntries) {
  testing::CoversRule("KUB-08");
  Backoff backoff;
  backoff.Next("old", At(0));
  backoff.Next("fresh", At(100));
  backoff.GC(At(700));
  EXPECT_EQ(backoff.Find("old"), nullptr);
  ASSERT_NE(backoff.Find("fresh"), nullptr);
  EXPECT_EQ(backoff.Find("fresh")->last_update, At(100));
}

TEST(Backoff, KUB_08_UsesTheGivenPeriods) {
  testing::CoversRule("KUB-08");
  Backoff backoff(seconds(1), seconds(60));
  backoff.Next("k", At(0));
  backoff.Next("k", At(1));
  EXPECT_EQ(backoff.Get("k"), seconds(2));
  EXPECT_TRUE(backoff.IsInBackOffSinceUpdate("k", At(2)));
  EXPECT_FALSE(backoff.IsInBackOffSinceUpdate("k", At(3)));
}

TEST(RetryCadence, KUB_12_ErrorRequeueIsFasterThanResync) {
  testing::CoversRule("KUB-12");
  RetryWindow failed = PodResyncWindow(true);
  EXPECT_EQ(failed.min, seconds(10));
  EXPECT_EQ(failed.max, seconds(15));
  RetryWindow ok = PodResyncWindow(false);
  EXPECT_EQ(ok.min, seconds(60));
  EXPECT_EQ(ok.max, seconds(90));
  EXPECT_EQ(PodResyncDelay(false, 0.5), seconds(75));
  EXPECT_EQ(PodResyncDelay(true, 2.0), seconds(15));
  EXPECT_TRUE(IsBackOffWaitingReason("ImagePullBackOff"));
  EXPECT_FALSE(IsBackOffWaitingReason("ErrImagePull"));
}

}  // namespace
}  // namespace pullsim::node
