#include "train/checkpoint_schedule.h"

#include <gtest/gtest.h>

#include "common/error.h"

using namespace qid::train;

TEST(CheckpointSchedule, PythiaScheduleIsReproduced) {
  const auto steps = checkpointSteps(143000, 1000);
  // 0, 1, 2, 4, ..., 512 (10 powers of two + step 0), then 143 multiples of 1000.
  ASSERT_EQ(steps.size(), 11u + 143u);
  EXPECT_EQ(steps[0], 0);
  EXPECT_EQ(steps[1], 1);
  EXPECT_EQ(steps[10], 512);
  EXPECT_EQ(steps[11], 1000);
  EXPECT_EQ(steps.back(), 143000);
  // Pythia's D for step 1000 at 2,097,152 tokens per step.
  EXPECT_EQ(tokensSeen(1000, 2097152), 2097152000LL);
  EXPECT_EQ(tokensSeen(143000, 2097152), 299892736000LL);
}

TEST(CheckpointSchedule, MicroScheduleEndsWithTheLastStep) {
  const auto steps = checkpointSteps(250, 64);
  const std::vector<std::int64_t> expected{0, 1, 2, 4, 8, 16, 32, 64, 128, 192, 250};
  EXPECT_EQ(steps, expected);
  EXPECT_EQ(intervalFor(256, 4), 64);
  EXPECT_EQ(checkpointSteps(3, 64), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(checkpointSteps(0, 1), (std::vector<std::int64_t>{0}));
}

TEST(CheckpointSchedule, BadInputAndOverflowAreErrors) {
  EXPECT_THROW(checkpointSteps(10, 0), qid::Error);
  EXPECT_THROW(checkpointSteps(-1, 4), qid::Error);
  EXPECT_THROW(tokensSeen(1LL << 40, 1LL << 40), qid::Error);
  EXPECT_THROW(tokensSeen(-1, 8), qid::Error);
}
