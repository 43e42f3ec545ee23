#include "analysis/rank_correlation.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace qid::analysis;

TEST(RankCorrelation, AverageRanksForTies) {
  EXPECT_EQ(averageRanks({10, 20, 20, 5}), (std::vector<double>{2, 3.5, 3.5, 1}));
}

TEST(RankCorrelation, MonotoneDataGivesPlusOrMinusOne) {
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {1, 8, 27, 64}), 1.0);
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
}

TEST(RankCorrelation, KnownValueAndDegenerateCases) {
  // scipy.stats.spearmanr([1,2,3,4,5],[2,1,4,3,5]) = 0.8
  EXPECT_NEAR(spearman({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}), 0.8, 1e-12);
  EXPECT_TRUE(std::isnan(spearman({1, 2}, {1, 2})));
  EXPECT_TRUE(std::isnan(spearman({1, 2, 3}, {5, 5, 5})));
  EXPECT_TRUE(std::isnan(spearman({1, 2, 3}, {1, 2})));
}
