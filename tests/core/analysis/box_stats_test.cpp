#include "analysis/box_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/error.h"

using namespace qid::analysis;

TEST(BoxStats, QuantilesInterpolateLikeNumpy) {
  // numpy.quantile([7, 1, 3, 2, 10], [0, .25, .5, .75, 1]) = 1, 2, 3, 7, 10
  BoxStats s = boxStats(std::vector<float>{7, 1, 3, 2, 10});
  EXPECT_EQ(s.count, 5);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.q1, 2);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.q3, 7);
  EXPECT_DOUBLE_EQ(s.max, 10);
  EXPECT_DOUBLE_EQ(s.mean, 23.0 / 5);
  // numpy.quantile([1, 2, 3, 4], [.25, .5, .75]) = 1.75, 2.5, 3.25
  BoxStats e = boxStats(std::vector<float>{4, 3, 2, 1});
  EXPECT_DOUBLE_EQ(e.q1, 1.75);
  EXPECT_DOUBLE_EQ(e.median, 2.5);
  EXPECT_DOUBLE_EQ(e.q3, 3.25);
}

TEST(BoxStats, EmptyAndSingleValues) {
  BoxStats none = boxStats(std::vector<float>{});
  EXPECT_EQ(none.count, 0);
  EXPECT_TRUE(std::isnan(none.median));
  BoxStats one = boxStats(std::vector<float>{2.5f});
  EXPECT_DOUBLE_EQ(one.min, 2.5);
  EXPECT_DOUBLE_EQ(one.q1, 2.5);
  EXPECT_DOUBLE_EQ(one.max, 2.5);
}

TEST(BoxStats, NonFiniteValuesAreAnError) {
  EXPECT_THROW(boxStats(std::vector<float>{1.0f, NAN}), qid::Error);
  EXPECT_THROW(boxStats(std::vector<float>{INFINITY}), qid::Error);
}

TEST(BoxStats, JsonRoundTripAndBadJson) {
  BoxStats s = boxStats(std::vector<float>{1, 2, 3});
  BoxStats t = boxStatsFromJson(toJson(s), "test");
  EXPECT_DOUBLE_EQ(t.median, 2);
  EXPECT_EQ(t.count, 3);
  BoxStats none = boxStatsFromJson(toJson(BoxStats{}), "test");
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_THROW(boxStatsFromJson(nlohmann::json{{"min", 1}}, "x.json"), qid::Error);
  EXPECT_THROW(boxStatsFromJson(nlohmann::json::array(), "x.json"), qid::Error);
  nlohmann::json bad = toJson(s);
  bad["q3"] = "three";
  EXPECT_THROW(boxStatsFromJson(bad, "x.json"), qid::Error);
}

TEST(BoxStats, PercentilesForTheWhiskers) {
  // 0, 1, ..., 100: the 5th and 95th percentiles are 5 and 95 exactly.
  std::vector<float> grid;
  for (int i = 0; i <= 100; ++i) grid.push_back(static_cast<float>(100 - i));
  BoxStats g = boxStats(grid);
  EXPECT_NEAR(g.p05, 5, 1e-12);
  EXPECT_NEAR(g.p95, 95, 1e-12);
  EXPECT_DOUBLE_EQ(g.min, 0);
  EXPECT_DOUBLE_EQ(g.max, 100);
  // numpy.quantile([7, 1, 3, 2, 10], [.05, .95]) = 1.2, 9.4 (h = 0.2 and 3.8 on 1 2 3 7 10)
  BoxStats s = boxStats(std::vector<float>{7, 1, 3, 2, 10});
  EXPECT_NEAR(s.p05, 1.2, 1e-12);
  EXPECT_NEAR(s.p95, 9.4, 1e-12);
  // numpy.quantile([4, 0.5, 30, 1, 9, 2], [.05, .95]) = 0.625, 24.75
  // (sorted 0.5 1 2 4 9 30; h = 0.25: 0.5 + 0.25·0.5; h = 4.75: 9 + 0.75·21)
  BoxStats u = boxStats(std::vector<float>{4, 0.5f, 30, 1, 9, 2});
  EXPECT_NEAR(u.p05, 0.625, 1e-12);
  EXPECT_NEAR(u.p95, 24.75, 1e-12);
  EXPECT_DOUBLE_EQ(lowWhisker(u), u.p05);
  EXPECT_DOUBLE_EQ(highWhisker(u), u.p95);
  // One value: every percentile is that value.
  BoxStats one = boxStats(std::vector<float>{2.5f});
  EXPECT_DOUBLE_EQ(one.p05, 2.5);
  EXPECT_DOUBLE_EQ(one.p95, 2.5);
}

TEST(BoxStats, PercentilesTravelThroughJson) {
  BoxStats s = boxStats(std::vector<float>{4, 0.5f, 30, 1, 9, 2});
  const nlohmann::json j = toJson(s);
  ASSERT_TRUE(j.contains("p05"));
  ASSERT_TRUE(j.contains("p95"));
  BoxStats t = boxStatsFromJson(j, "test");
  EXPECT_DOUBLE_EQ(t.p05, s.p05);
  EXPECT_DOUBLE_EQ(t.p95, s.p95);
  nlohmann::json bad = j;
  bad["p95"] = "high";
  EXPECT_THROW(boxStatsFromJson(bad, "x.json"), qid::Error);
}

TEST(BoxStats, JsonWithoutPercentilesLoadsAndFallsBackToMinMax) {
  // A row stored before p05/p95 existed.
  const nlohmann::json old = {{"min", 0.0},   {"q1", 2.0},  {"median", 3.0}, {"q3", 7.0},
                              {"max", 10.0}, {"mean", 4.6}, {"count", 5}};
  BoxStats s = boxStatsFromJson(old, "old.json");
  EXPECT_TRUE(std::isnan(s.p05));
  EXPECT_TRUE(std::isnan(s.p95));
  EXPECT_DOUBLE_EQ(s.q3, 7);
  EXPECT_DOUBLE_EQ(lowWhisker(s), 0);
  EXPECT_DOUBLE_EQ(highWhisker(s), 10);
  // Written back, the missing percentiles are null and load again as missing.
  BoxStats again = boxStatsFromJson(toJson(s), "again");
  EXPECT_TRUE(std::isnan(again.p05));
  EXPECT_DOUBLE_EQ(highWhisker(again), 10);
}
