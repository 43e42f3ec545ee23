#include "train/data_order.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"

using qid::train::DataOrder;

namespace {
std::vector<std::uint32_t> ramp(int n) {
  std::vector<std::uint32_t> t(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) t[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(i);
  return t;
}
}  // namespace

TEST(DataOrder, EpochVisitsEveryWindowOnceWithTargetsShifted) {
  DataOrder order(ramp(8 * 10 + 1), 8, 2, 7);
  EXPECT_EQ(order.windowCount(), 10);
  EXPECT_EQ(order.tokensPerStep(), 16);
  std::set<std::int64_t> seen;
  for (std::int64_t step = 0; step < 5; ++step) {
    const auto b = order.batch(step);
    ASSERT_EQ(b.size(), 2u * 9u);
    for (int row = 0; row < 2; ++row) {
      const std::int64_t first = b[static_cast<std::size_t>(row * 9)];
      EXPECT_EQ(first % 8, 0);
      for (int j = 1; j < 9; ++j) EXPECT_EQ(b[static_cast<std::size_t>(row * 9 + j)], first + j);
      seen.insert(first / 8);
    }
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_DOUBLE_EQ(order.epochsFor(5), 1.0);
}

TEST(DataOrder, SameSeedSameOrderOtherSeedOtherOrder) {
  DataOrder a(ramp(2000), 16, 4, 1), b(ramp(2000), 16, 4, 1), c(ramp(2000), 16, 4, 2);
  EXPECT_EQ(a.batch(3), b.batch(3));
  EXPECT_EQ(a.batch(40), b.batch(40));  // a later epoch too
  EXPECT_NE(a.batch(3), c.batch(3));
  EXPECT_NE(a.batch(0), a.batch(31));
}

TEST(DataOrder, TooLittleTextIsAnError) {
  EXPECT_THROW(DataOrder(ramp(8), 8, 1, 0), qid::Error);
  EXPECT_THROW(DataOrder(ramp(100), 1, 1, 0), qid::Error);
  EXPECT_THROW(DataOrder(ramp(100), 8, 0, 0), qid::Error);
}
