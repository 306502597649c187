#include "sim/node/pull_slots.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

using Admission = PullSlots::Admission;

TEST(PullSlots, KUB_10_SerialRunsOneAndQueuesTenThenBlocks) {
  testing::CoversRule("KUB-10");
  PullSlots slots(true, std::nullopt);
  EXPECT_EQ(slots.Arrive(1), Admission::kStarted);
  for (PullSlots::RequestId id = 2; id <= 11; ++id) EXPECT_EQ(slots.Arrive(id), Admission::kQueued);
  EXPECT_EQ(slots.Arrive(12), Admission::kBlocked);
  EXPECT_EQ(slots.running(), 1u);
  EXPECT_EQ(slots.queued(), 10u);
  EXPECT_EQ(slots.blocked(), 1u);

  PullSlots::Progress progress = slots.Finish(1);
  EXPECT_EQ(progress.started, (std::vector<PullSlots::RequestId>{2}));
  EXPECT_EQ(progress.enqueued, (std::vector<PullSlots::RequestId>{12}));
  EXPECT_EQ(slots.blocked(), 0u);
}

TEST(PullSlots, KUB_10_ParallelWithLimitUsesASemaphore) {
  testing::CoversRule("KUB-10");
  PullSlots slots(false, 2);
  EXPECT_EQ(slots.Arrive(1), Admission::kStarted);
  EXPECT_EQ(slots.Arrive(2), Admission::kStarted);
  EXPECT_EQ(slots.Arrive(3), Admission::kQueued);
  for (PullSlots::RequestId id = 4; id < 30; ++id) EXPECT_EQ(slots.Arrive(id), Admission::kQueued);
  EXPECT_EQ(slots.Finish(2).started, (std::vector<PullSlots::RequestId>{3}));
  EXPECT_EQ(slots.running(), 2u);
}

TEST(PullSlots, KUB_10_ParallelWithoutLimitStartsEverything) {
  testing::CoversRule("KUB-10");
  PullSlots slots(false, std::nullopt);
  for (PullSlots::RequestId id = 1; id <= 100; ++id) {
    ASSERT_EQ(slots.Arrive(id), Admission::kStarted);
  }
  EXPECT_EQ(slots.running(), 100u);
  EXPECT_FALSE(slots.limit().has_value());
}

TEST(PullSlots, KUB_10_UnbufferedQueueHandsOverFromBlockedCallers) {
  testing::CoversRule("KUB-10");
  PullSlots slots(true, std::nullopt, 0);
  EXPECT_EQ(slots.Arrive(1), Admission::kStarted);
  EXPECT_EQ(slots.Arrive(2), Admission::kBlocked);
  EXPECT_EQ(slots.Finish(1).started, (std::vector<PullSlots::RequestId>{2}));
}

}  // namespace
}  // namespace pullsim::node
