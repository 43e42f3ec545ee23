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
