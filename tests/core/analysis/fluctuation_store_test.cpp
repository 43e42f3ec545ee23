#include "analysis/fluctuation_store.h"

#include <gtest/gtest.h>

#include <cmath>

#include "store/project.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "test_support.h"

using namespace qid::analysis;

namespace {

FluctuationRow row(const std::string& ckpt, int bits, double ratio) {
  FluctuationRow r;
  r.checkpointId = ckpt;
  r.prevCheckpointId = "prev-" + ckpt;
  r.run = "s1";
  r.step = 64;
  r.prevStep = 32;
  r.D = 65536;
  r.lr = 1e-3;
  r.N = 1e4;
  r.method = "rtn";
  r.bits = bits;
  r.groupSize = -1;
  r.movement = boxStats(std::vector<float>{0.1f, 0.2f, 0.3f});
  r.push = boxStats(std::vector<float>{0.2f * static_cast<float>(ratio), 0.4f * static_cast<float>(ratio)});
  r.ratio = ratio;
  r.ratioMean = ratio * 1.1;
  r.perLinear = nlohmann::json::array({{{"layer", 0}, {"linear", "dense"}, {"ratio", ratio}}});
  return r;
}

qid::store::Measurement measurement(const std::string& cell, const std::string& ckpt, int bits, double delta) {
  qid::store::Measurement m;
  m.cellId = cell;
  m.modelId = "s1";
  m.checkpointId = ckpt;
  m.N = 1e4;
  m.D = 65536;
  m.step = 64;
  m.method = "gptq";
  m.bits = bits;
  m.loss16 = 2.0;
  m.lossq = 2.0 + delta;
  m.delta = delta;
  return m;
}

}  // namespace

TEST(FluctuationStore, RowsRoundTripAndReplace) {
  qid::test::TempDir tmp;
  qid::store::Project p(tmp / "p.qidlab");
  EXPECT_GE(p.schemaVersion(), 4);
  FluctuationStore fs(p);
  EXPECT_EQ(fs.put({row("c1", 2, 4.0), row("c1", 3, 2.0)}), 2);
  EXPECT_EQ(fs.count(), 2);
  auto got = fs.find("c1", 3);
  ASSERT_TRUE(got);
  EXPECT_DOUBLE_EQ(got->ratio, 2.0);
  EXPECT_DOUBLE_EQ(got->movement.median, 0.2f);
  EXPECT_EQ(got->prevCheckpointId, "prev-c1");
  EXPECT_EQ(got->perLinear[0]["linear"], "dense");
  EXPECT_FALSE(fs.find("c1", 3, "nf4"));
  // Same key: replaced, not duplicated.
  fs.put({row("c1", 3, 5.0)});
  EXPECT_EQ(fs.count(), 2);
  EXPECT_DOUBLE_EQ(fs.find("c1", 3)->ratio, 5.0);
  // A NaN ratio (nothing moved) is stored as NULL and read back as NaN.
  FluctuationRow still = row("c2", 2, 1.0);
  still.ratio = std::nan("");
  fs.put({still});
  EXPECT_TRUE(std::isnan(fs.find("c2", 2)->ratio));
  EXPECT_EQ(fs.rows("rtn").size(), 3u);
  EXPECT_TRUE(fs.rows("fp4").empty());
}

TEST(FluctuationStore, WhiskerPercentilesAreStoredAndOldRowsWithoutThemLoad) {
  qid::test::TempDir tmp;
  qid::store::Project p(tmp / "p.qidlab");
  FluctuationStore fs(p);
  FluctuationRow r = row("c1", 3, 2.0);
  std::vector<float> push;
  for (int i = 0; i <= 100; ++i) push.push_back(static_cast<float>(i));
  r.push = boxStats(push);
  fs.put({r});
  auto got = fs.find("c1", 3);
  ASSERT_TRUE(got);
  EXPECT_NEAR(got->push.p05, 5, 1e-12);
  EXPECT_NEAR(got->push.p95, 95, 1e-12);
  EXPECT_DOUBLE_EQ(got->movement.p05, r.movement.p05);
  // A row written before the percentiles existed: its JSON has no p05/p95.
  {
    qid::store::Db raw((tmp / "p.qidlab").string(), false);
    raw.exec(R"SQL(UPDATE weight_fluctuations SET push =
      '{"min":0.0,"q1":25.0,"median":50.0,"q3":75.0,"max":100.0,"mean":50.0,"count":101}')SQL");
  }
  got = fs.find("c1", 3);
  ASSERT_TRUE(got);
  EXPECT_TRUE(std::isnan(got->push.p05));
  EXPECT_TRUE(std::isnan(got->push.p95));
  EXPECT_DOUBLE_EQ(got->push.q3, 75);
  EXPECT_DOUBLE_EQ(lowWhisker(got->push), 0);
  EXPECT_DOUBLE_EQ(highWhisker(got->push), 100);
  EXPECT_EQ(fs.rows("rtn").size(), 1u);
}

TEST(FluctuationStore, MeasurementsJoinTheirCheckpointAtTheirBitWidth) {
  qid::test::TempDir tmp;
  qid::store::Project p(tmp / "p.qidlab");
  p.insertMeasurement(measurement("m1", "c1", 2, 0.5));
  p.insertMeasurement(measurement("m2", "c1", 3, 0.1));
  p.insertMeasurement(measurement("m3", "c9", 3, 0.2));  // no fluctuation row
  FluctuationStore fs(p);
  fs.put({row("c1", 2, 4.0), row("c1", 3, 2.0), row("c1", 4, 1.0)});
  auto pts = fs.join();
  ASSERT_EQ(pts.size(), 2u);
  for (const auto& pt : pts) {
    EXPECT_EQ(pt.fluctuation.bits, pt.measurement.bits);
    EXPECT_DOUBLE_EQ(pt.fluctuation.ratio, pt.measurement.bits == 2 ? 4.0 : 2.0);
  }
  EXPECT_EQ(fs.join(qid::store::MeasurementFilter::parse("bits=2")).size(), 1u);
  EXPECT_TRUE(fs.join({}, "nf4").empty());
  EXPECT_EQ(toJson(pts[0].fluctuation)["bits"], pts[0].measurement.bits);
}
