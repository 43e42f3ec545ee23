#include "train/trainer.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "model/causal_lm.h"
#include "model/safetensors.h"
#include "model/tokenizer_json.h"
#include "test_support.h"

using namespace qid::train;
namespace fs = std::filesystem;

namespace {

// A repetitive byte stream a tiny model can learn quickly.
std::vector<std::uint32_t> textTokens(int n) {
  const std::string base = "the cat sat on the mat. the dog sat on the log. ";
  std::vector<std::uint32_t> out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<unsigned char>(base[static_cast<std::size_t>(i) % base.size()]));
  return out;
}

qid::model::ModelConfig tinyConfig() {
  qid::model::ModelConfig c = qid::model::gptNeoxConfig(1, 32, 4, 257);
  c.maxPositionEmbeddings = 64;
  return c;
}

TrainOptions tinyOptions(std::int64_t steps) {
  TrainOptions o;
  o.runName = "tiny";
  o.totalSteps = steps;
  o.checkpointInterval = 4;
  o.schedule.kind = ScheduleKind::Cosine;
  o.schedule.peakLr = 1e-2;
  o.schedule.minLr = 1e-3;
  o.schedule.warmupSteps = 1;
  o.evalWindows = 2;
  return o;
}

std::map<std::string, at::Tensor> weightsOf(const fs::path& dir) {
  qid::model::SafetensorsFile f(dir / "model.safetensors");
  std::map<std::string, at::Tensor> out;
  for (const auto& n : f.names()) out[n] = f.load(n);
  return out;
}

struct Fixture {
  qid::test::TempDir dir;
  fs::path tokenizer = dir / "tokenizer.json";
  DataOrder data{textTokens(4000), 16, 4, 3};
  std::vector<std::uint32_t> eval = textTokens(200);
  Fixture() { qid::model::writeByteLevelTokenizerJson(tokenizer); }
};

}  // namespace

TEST(Trainer, LossFallsAndCheckpointsFollowTheSchedule) {
  Fixture fx;
  const TrainResult r = trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "run", tinyOptions(12));
  ASSERT_EQ(r.log.size(), 12u);
  EXPECT_LT(r.log.back().loss, r.log.front().loss - 0.5);
  std::vector<std::int64_t> steps;
  for (const auto& c : r.checkpoints) {
    steps.push_back(c.meta.step);
    EXPECT_EQ(c.meta.tokensSeen, c.meta.step * 64);
    EXPECT_EQ(c.meta.tokensPerStep, 64);
    EXPECT_EQ(c.meta.totalSteps, 12);
    EXPECT_TRUE(fs::exists(c.dir / "config.json"));
    EXPECT_TRUE(fs::exists(c.dir / "tokenizer.json"));
    EXPECT_GT(c.meta.nonEmbeddingParams, 0);
  }
  EXPECT_EQ(steps, (std::vector<std::int64_t>{0, 1, 2, 4, 8, 12}));
  // The LR stored is the schedule's at that step.
  LrSchedule s = tinyOptions(12).schedule;
  s.totalSteps = 12;
  for (const auto& c : r.checkpoints) EXPECT_DOUBLE_EQ(c.meta.learningRate, s.lrAt(c.meta.step));
  EXPECT_LT(r.checkpoints.back().meta.evalLoss, r.checkpoints.front().meta.evalLoss);
  qid::model::SafetensorsFile f(r.checkpoints.back().dir / "model.safetensors");
  EXPECT_EQ(f.metadata().at("qidlab.tokens_seen"), "768");
}

TEST(Trainer, TheFirstUpdateMovesTheWeights) {
  // A warmup that started at rate 0 would make checkpoints 0 and 1 identical
  // (the sweep would flag them as duplicate revisions).
  Fixture fx;
  TrainOptions o = tinyOptions(4);
  o.schedule.warmupSteps = 2;
  const TrainResult r = trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "run", o);
  EXPECT_GT(r.log.front().lr, 0);
  const auto w0 = weightsOf(fx.dir / "run" / "step0");
  const auto w1 = weightsOf(fx.dir / "run" / "step1");
  int moved = 0;
  for (const auto& [name, t] : w0) moved += !at::equal(t, w1.at(name));
  EXPECT_GT(moved, 0);
}

TEST(Trainer, CheckpointsLoadBackBitIdentically) {
  Fixture fx;
  TrainCallbacks cb;
  std::map<std::string, at::Tensor> live;
  const TrainResult r = trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "run", tinyOptions(4), cb);
  const auto last = r.checkpoints.back().dir;
  auto model = qid::model::loadCausalLM(last);
  const auto stored = weightsOf(last);
  for (const auto& [name, t] : model->namedParameters()) {
    ASSERT_TRUE(stored.count(name)) << name;
    EXPECT_TRUE(at::equal(t, stored.at(name))) << name;
  }
  // Saving the loaded model again gives the same bytes.
  qid::model::saveCausalLM(*model, fx.dir / "again");
  for (const auto& [name, t] : weightsOf(fx.dir / "again")) EXPECT_TRUE(at::equal(t, stored.at(name))) << name;
}

TEST(Trainer, InterruptedRunResumesToTheSameWeights) {
  Fixture fx;
  const TrainResult full = trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "a", tinyOptions(10));
  TrainCallbacks cancelAt6;
  cancelAt6.progress = [](const qid::Progress& p) { return p.done < 6; };
  EXPECT_THROW(trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "b", tinyOptions(10), cancelAt6),
               qid::Cancelled);
  EXPECT_TRUE(fs::exists(fx.dir / "b" / "step4"));
  EXPECT_FALSE(fs::exists(fx.dir / "b" / "step8"));
  const TrainResult resumed = trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "b", tinyOptions(10));
  EXPECT_EQ(resumed.resumedFrom, 4);
  EXPECT_EQ(resumed.log.size(), 10u);
  const auto a = weightsOf(fx.dir / "a" / "step10");
  const auto b = weightsOf(fx.dir / "b" / "step10");
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, t] : a) EXPECT_TRUE(at::equal(t, b.at(name))) << name;
  for (std::size_t i = 0; i < full.log.size(); ++i) EXPECT_EQ(full.log[i].loss, resumed.log[i].loss) << i;
  // The resumed checkpoints keep the bookkeeping of the uninterrupted run: D, step, LR and losses.
  ASSERT_EQ(full.checkpoints.size(), resumed.checkpoints.size());
  for (std::size_t i = 0; i < full.checkpoints.size(); ++i) {
    const auto& x = full.checkpoints[i].meta;
    const auto& y = resumed.checkpoints[i].meta;
    EXPECT_EQ(x.step, y.step);
    EXPECT_EQ(x.tokensSeen, y.tokensSeen) << x.step;
    EXPECT_DOUBLE_EQ(x.learningRate, y.learningRate) << x.step;
    if (x.step == 0) EXPECT_TRUE(std::isnan(x.trainLoss) && std::isnan(y.trainLoss));  // no step yet
    else EXPECT_DOUBLE_EQ(x.trainLoss, y.trainLoss) << x.step;
    EXPECT_DOUBLE_EQ(x.evalLoss, y.evalLoss) << x.step;
  }
  // A finished run returns at once; a different run in the same folder is refused.
  EXPECT_EQ(trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "b", tinyOptions(10)).resumedFrom, 10);
  EXPECT_THROW(trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "b", tinyOptions(11)), qid::Error);
}

TEST(Trainer, BitNetTwinStillDescends) {
  Fixture fx;
  TrainOptions o = tinyOptions(12);
  o.bitnet = true;
  const TrainResult r = trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "bitnet", o);
  EXPECT_LT(r.log.back().loss, r.log.front().loss - 0.3);
  EXPECT_TRUE(r.checkpoints.back().meta.bitnet);
  EXPECT_TRUE(std::isfinite(r.checkpoints.back().meta.evalLoss));
}

TEST(Trainer, CheckpointsRecordTheWarmupStableDecaySchedule) {
  Fixture fx;
  TrainOptions o = tinyOptions(16);
  o.schedule.kind = ScheduleKind::WarmupStableDecay;
  o.schedule.decayFraction = 0.25;  // the last 4 steps decay
  const TrainResult r = trainRun(tinyConfig(), fx.data, fx.eval, fx.tokenizer, fx.dir / "wsd", o);
  std::map<std::int64_t, double> lr;
  for (const auto& c : r.checkpoints) lr[c.meta.step] = c.meta.learningRate;
  ASSERT_EQ(lr.size(), 7u);  // 0, 1, 2, 4, 8, 12, 16
  EXPECT_DOUBLE_EQ(lr[0], 1e-2);  // one warmup step: the first update runs at the peak
  EXPECT_DOUBLE_EQ(lr[4], 1e-2);
  EXPECT_DOUBLE_EQ(lr[8], 1e-2);  // stable
  EXPECT_DOUBLE_EQ(lr[12], 1e-2);  // decay starts here
  EXPECT_DOUBLE_EQ(lr[16], 1e-3);  // decayed to the minimum
  for (const auto& c : r.checkpoints) EXPECT_EQ(c.meta.schedule, "wsd");
  // The step log holds the rate each update used.
  EXPECT_LT(r.log[14].lr, r.log[11].lr);
}
