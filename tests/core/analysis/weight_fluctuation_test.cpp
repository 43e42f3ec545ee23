#include "analysis/weight_fluctuation.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "jobs/content_hash.h"
#include "model/causal_lm.h"
#include "quant/rtn.h"
#include "test_support.h"
#include "train/checkpoint_meta.h"

using namespace qid::analysis;
namespace fs = std::filesystem;

namespace {

constexpr float kDelta = 0.0078125f;  // 2^-7

qid::model::ModelConfig config() {
  qid::model::ModelConfig c = qid::model::gptNeoxConfig(2, 32, 4, 64);
  c.maxPositionEmbeddings = 32;
  return c;
}

void writeStep(qid::model::CausalLM& m, const fs::path& runDir, std::int64_t step) {
  const fs::path dir = runDir / qid::train::stepFolderName(step);
  qid::model::saveCausalLM(m, dir);
  qid::train::CheckpointMeta meta;
  meta.step = step;
  meta.tokensSeen = step * 100;
  meta.tokensPerStep = 100;
  meta.learningRate = 1e-3;
  meta.run = runDir.filename().string();
  writeCheckpointMeta(dir, meta);
}

// step0: random; step1: every block Linear + kDelta; step3: + another 2 * kDelta.
void writeRun(const fs::path& runDir, std::uint64_t seed) {
  auto m = qid::model::createCausalLM(config(), seed);
  writeStep(*m, runDir, 0);
  for (float add : {kDelta, 2 * kDelta}) {
    for (int l = 0; l < m->numLayers(); ++l)
      for (const auto& n : m->linearNames()) m->setLinearWeight(l, n, m->linearWeight(l, n) + add);
    writeStep(*m, runDir, add == kDelta ? 1 : 3);
  }
}

}  // namespace

TEST(WeightFluctuation, MovementPushAndRatioOfKnownCheckpoints) {
  qid::test::TempDir dir;
  writeRun(dir / "r", 7);
  FluctuationOptions o;
  o.bits = {2, 4};
  const FluctuationReport r = analyzeFluctuation(dir / "r", o);
  ASSERT_EQ(r.checkpoints.size(), 2u);
  const auto& c1 = r.checkpoints[0];
  const auto& c3 = r.checkpoints[1];
  EXPECT_EQ(c1.step, 1);
  EXPECT_EQ(c1.prevStep, 0);
  EXPECT_EQ(c3.step, 3);
  EXPECT_EQ(c3.stepsBetween, 2);
  EXPECT_DOUBLE_EQ(c3.D, 300);
  EXPECT_NEAR(c1.movement.median, kDelta, 1e-6);
  EXPECT_NEAR(c1.movement.min, kDelta, 1e-6);
  EXPECT_NEAR(c1.movement.max, kDelta, 1e-6);
  EXPECT_NEAR(c3.movement.mean, 2 * kDelta, 1e-6);
  // 2 layers x 4 Linears: qkv 96x32, dense 32x32, h_to_4h 128x32, 4h_to_h 32x128.
  EXPECT_EQ(c1.movement.count, 2 * (96 * 32 + 32 * 32 + 128 * 32 + 32 * 128));
  ASSERT_EQ(c1.linears.size(), 8u);
  EXPECT_EQ(c1.linears[0].linear, "query_key_value");
  EXPECT_EQ(c1.linears[7].layer, 1);

  // The push of the first Linear is |RTN(W) - W| of that weight.
  auto m = qid::model::loadCausalLM(dir / "r" / "step1");
  const at::Tensor w = m->linearWeight(0, "query_key_value");
  const at::Tensor q = qid::quant::rtnQuantize(w, {2, -1, false}).dequantized;
  std::vector<float> push;
  const at::Tensor d = (q - w).abs().contiguous();
  push.assign(d.data_ptr<float>(), d.data_ptr<float>() + d.numel());
  const BoxStats expect = boxStats(push);
  ASSERT_EQ(c1.linears[0].bits.size(), 2u);
  EXPECT_EQ(c1.linears[0].bits[0].bits, 2);
  EXPECT_DOUBLE_EQ(c1.linears[0].bits[0].push.median, expect.median);
  EXPECT_DOUBLE_EQ(c1.linears[0].bits[0].push.max, expect.max);
  EXPECT_NEAR(c1.linears[0].bits[0].ratio, expect.median / kDelta, 1e-3 * expect.median / kDelta);

  // Fewer bits push harder; a checkpoint that moved twice as far has about half the ratio.
  EXPECT_GT(c1.bits[0].push.median, c1.bits[1].push.median);
  EXPECT_GT(c1.bits[0].ratio, c1.bits[1].ratio);
  EXPECT_NEAR(c3.bits[1].ratio, c3.bits[1].push.median / (2 * kDelta), 1e-3 * c3.bits[1].ratio);
  EXPECT_LT(c3.bits[1].ratio, 0.7 * c1.bits[1].ratio);

  // Rows carry the ids the sweep gives these folders.
  EXPECT_EQ(c1.checkpointId, qid::jobs::checkpointFingerprint(dir / "r" / "step1"));
  EXPECT_EQ(c3.prevCheckpointId, c1.checkpointId);

  const nlohmann::json j = toJson(r);
  EXPECT_EQ(j["method"], "rtn");
  EXPECT_EQ(j["checkpoints"].size(), 2u);
  EXPECT_EQ(j["checkpoints"][1]["bits"][0]["bits"], 2);
  EXPECT_TRUE(j["checkpoints"][1]["bits"][0]["ratio"].is_number());
}

TEST(WeightFluctuation, SuiteFolderCoversEveryRunAndNf4Works) {
  qid::test::TempDir dir;
  writeRun(dir / "a", 1);
  writeRun(dir / "b", 2);
  FluctuationOptions o;
  o.method = "nf4";
  o.bits = {4};
  o.perLinear = false;
  const FluctuationReport r = analyzeFluctuation(dir.path(), o);
  ASSERT_EQ(r.checkpoints.size(), 4u);
  EXPECT_EQ(r.checkpoints[0].run, "a");
  EXPECT_EQ(r.checkpoints[2].run, "b");
  EXPECT_TRUE(r.checkpoints[0].linears.empty());
  EXPECT_GT(r.checkpoints[0].bits[0].push.mean, 0);
  EXPECT_EQ(r.method, "nf4");
}

TEST(WeightFluctuation, IdenticalCheckpointsHaveNoRatio) {
  qid::test::TempDir dir;
  auto m = qid::model::createCausalLM(config(), 3);
  writeStep(*m, dir / "r", 0);
  writeStep(*m, dir / "r", 1);
  const FluctuationReport r = analyzeFluctuation(dir / "r");
  ASSERT_EQ(r.checkpoints.size(), 1u);
  EXPECT_EQ(r.checkpoints[0].movement.max, 0);
  EXPECT_TRUE(std::isnan(r.checkpoints[0].bits[0].ratio));
  EXPECT_TRUE(toJson(r)["checkpoints"][0]["bits"][0]["ratio"].is_null());
}

TEST(WeightFluctuation, BadInputIsNamed) {
  qid::test::TempDir dir;
  EXPECT_THROW(analyzeFluctuation(dir / "missing"), qid::Error);
  try {
    analyzeFluctuation(dir.path());
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path().string()), std::string::npos) << e.what();
  }
  auto m = qid::model::createCausalLM(config(), 3);
  writeStep(*m, dir / "one", 0);
  EXPECT_THROW(analyzeFluctuation(dir / "one"), qid::Error);  // a single checkpoint
  writeStep(*m, dir / "one", 4);
  FluctuationOptions gptq;
  gptq.method = "gptq";
  EXPECT_THROW(analyzeFluctuation(dir / "one", gptq), qid::Error);  // needs calibration data
  FluctuationOptions nf3;
  nf3.method = "nf4";
  nf3.bits = {3};
  EXPECT_THROW(analyzeFluctuation(dir / "one", nf3), qid::Error);
  FluctuationOptions none;
  none.bits = {};
  EXPECT_THROW(analyzeFluctuation(dir / "one", none), qid::Error);
  FluctuationOptions cancel;
  cancel.progress = [](const qid::Progress& p) { return p.done == 0; };
  writeStep(*m, dir / "one", 8);
  EXPECT_THROW(analyzeFluctuation(dir / "one", cancel), qid::Cancelled);
}
