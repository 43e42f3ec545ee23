#include "train/lr_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/error.h"

using qid::train::LrSchedule;
using qid::train::ScheduleKind;

TEST(LrSchedule, CosineWarmupThenHalfCosineToMin) {
  LrSchedule s{ScheduleKind::Cosine, 1e-3, 1e-4, 10, 110, 0.2};
  EXPECT_DOUBLE_EQ(s.lrAt(0), 1e-4);  // the first update already moves the weights
  EXPECT_DOUBLE_EQ(s.lrAt(4), 0.5e-3);
  EXPECT_DOUBLE_EQ(s.lrAt(9), 1e-3);
  EXPECT_DOUBLE_EQ(s.lrAt(10), 1e-3);
  // Half-way through the cosine: the midpoint of peak and min.
  EXPECT_NEAR(s.lrAt(60), 0.55e-3, 1e-15);
  EXPECT_NEAR(s.lrAt(110), 1e-4, 1e-15);
  EXPECT_NEAR(s.lrAt(500), 1e-4, 1e-15);  // past the end keeps the last rate
  for (int i = 10; i < 110; ++i) EXPECT_GE(s.lrAt(i), s.lrAt(i + 1));
}

TEST(LrSchedule, ConstantHoldsPeakAfterWarmup) {
  LrSchedule s{ScheduleKind::Constant, 2e-3, 0, 4, 100, 0.2};
  EXPECT_DOUBLE_EQ(s.lrAt(1), 1e-3);
  EXPECT_DOUBLE_EQ(s.lrAt(3), 2e-3);
  EXPECT_DOUBLE_EQ(s.lrAt(4), 2e-3);
  EXPECT_DOUBLE_EQ(s.lrAt(100), 2e-3);
}

TEST(LrSchedule, WarmupStableDecayDecaysOnlyAtTheEnd) {
  LrSchedule s{ScheduleKind::WarmupStableDecay, 1e-3, 0.0, 10, 100, 0.2};
  EXPECT_DOUBLE_EQ(s.lrAt(10), 1e-3);
  EXPECT_DOUBLE_EQ(s.lrAt(80), 1e-3);  // decay starts at 100 - 20
  EXPECT_DOUBLE_EQ(s.lrAt(90), 0.5e-3);
  EXPECT_DOUBLE_EQ(s.lrAt(100), 0.0);
}

TEST(LrSchedule, NoWarmupStartsAtPeak) {
  LrSchedule s{ScheduleKind::Cosine, 1e-3, 1e-4, 0, 10, 0.2};
  EXPECT_DOUBLE_EQ(s.lrAt(0), 1e-3);
}

TEST(LrSchedule, RejectsNonsense) {
  EXPECT_THROW((LrSchedule{ScheduleKind::Cosine, -1, 0, 0, 10, 0.2}.validate()), qid::Error);
  EXPECT_THROW((LrSchedule{ScheduleKind::Cosine, 1e-3, 1e-2, 0, 10, 0.2}.validate()), qid::Error);
  EXPECT_THROW((LrSchedule{ScheduleKind::Cosine, 1e-3, 0, 20, 10, 0.2}.validate()), qid::Error);
  EXPECT_NO_THROW((LrSchedule{ScheduleKind::Cosine, 1e-3, 0, 1, 10, 0.2}.validate()));
  EXPECT_THROW(qid::train::parseScheduleKind("linear"), qid::Error);
  EXPECT_EQ(qid::train::parseScheduleKind("warmup-stable-decay"), ScheduleKind::WarmupStableDecay);
}
