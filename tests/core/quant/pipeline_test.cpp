#include "quant/pipeline.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <random>

#include "common/error.h"
#include "eval/windows.h"
#include "model/causal_lm.h"
#include "model/random_checkpoint.h"
#include "quant/quant_eval.h"
#include "quant/quant_preset.h"
#include "trained_tiny_model.h"

using namespace qid;
using namespace qid::quant;

namespace {

using namespace qid::test::tiny;

QuantEvalOptions options(Method m, int bits, int group = 32) {
  QuantEvalOptions o;
  o.pipeline.method.method = m;
  o.pipeline.method.bits = bits;
  o.pipeline.method.groupSize = group;
  o.pipeline.calibration.samples = 16;
  o.pipeline.calibration.seqlen = 64;
  o.eval.batch = 4;
  return o;
}

struct Data {
  std::vector<std::uint32_t> calib = chainTokens(4000, 1);
  std::vector<std::uint32_t> text = chainTokens(64 * 16, 2);
  std::vector<eval::Window> windows = eval::planWindows(64 * 16, {64});
};

}  // namespace

TEST(QuantPipeline, DeltaQLossOrderedByBitsOnIdenticalWindows) {
  Data d;
  auto base = tinyModel();
  eval::EvalResult baseline = eval::evaluateLoss(*base, d.text, d.windows, {});
  std::vector<double> delta;
  for (int bits : {2, 3, 4}) {
    auto m = tinyModel();
    QuantEvalResult r = quantizeAndEvaluate(*m, d.calib, d.text, d.windows,
                                            options(Method::GPTQ, bits, -1), &baseline);
    EXPECT_EQ(r.windowCount, 16);
    EXPECT_EQ(r.baseline.windowTokens, r.quantized.windowTokens);
    EXPECT_DOUBLE_EQ(r.loss16, baseline.meanNll);
    EXPECT_NEAR(r.deltaQLoss, r.lossq - r.loss16, 1e-12);
    EXPECT_GT(r.deltaStderr, 0.0);
    ASSERT_EQ(r.layers.size(), 8u);
    for (const auto& l : r.layers) {
      EXPECT_GT(l.relativeError, 0.0);
      EXPECT_LT(l.relativeError, 1.0);
      EXPECT_EQ(l.dampIncreases, 0);
    }
    EXPECT_EQ(r.layers[0].linear, "query_key_value");
    EXPECT_EQ(r.layers[3].linear, "dense_4h_to_h");
    delta.push_back(r.deltaQLoss);
    std::printf("gptq %d-bit: loss16 %.4f lossq %.4f dq %.5f +- %.5f\n", bits, r.loss16, r.lossq,
                r.deltaQLoss, r.deltaStderr);
  }
  EXPECT_GT(delta[0], delta[1]);
  EXPECT_GT(delta[1], delta[2]);
  EXPECT_GT(delta[2], -1e-3);
}

TEST(QuantPipeline, BaselineComputedWhenNotGivenMatchesPrecomputed) {
  Data d;
  auto base = tinyModel();
  eval::EvalResult baseline = eval::evaluateLoss(*base, d.text, d.windows, {});
  auto m = tinyModel();
  QuantEvalResult r = quantizeAndEvaluate(*m, d.calib, d.text, d.windows, options(Method::RTN, 3));
  EXPECT_NEAR(r.loss16, baseline.meanNll, 1e-6);
  EXPECT_EQ(r.windowNll16.size(), 16u);
  EXPECT_EQ(r.windowNllQ.size(), 16u);
  // A baseline on other windows is refused.
  auto other = eval::planWindows(64 * 16, {32});
  eval::EvalResult wrong = eval::evaluateLoss(*base, d.text, other, {});
  auto m2 = tinyModel();
  EXPECT_THROW(quantizeAndEvaluate(*m2, d.calib, d.text, d.windows, options(Method::RTN, 3), &wrong),
               Error);
}

TEST(QuantPipeline, EveryMethodRunsThroughTheModel) {
  Data d;
  auto base = tinyModel();
  eval::EvalResult baseline = eval::evaluateLoss(*base, d.text, d.windows, {});
  for (Method m : {Method::RTN, Method::AWQ, Method::NF4, Method::FP4, Method::INT8}) {
    auto model = tinyModel();
    const int bits = m == Method::INT8 ? 8 : 4;
    QuantEvalOptions o = options(m, bits);
    o.pipeline.keepQuantized = true;
    QuantEvalResult r = quantizeAndEvaluate(*model, d.calib, d.text, d.windows, o, &baseline);
    EXPECT_TRUE(std::isfinite(r.deltaQLoss)) << methodName(m);
    EXPECT_GT(r.deltaQLoss, -1e-3) << methodName(m);
    EXPECT_LT(r.deltaQLoss, 0.05) << methodName(m);
    for (const auto& l : r.layers) EXPECT_LT(l.relativeError, 0.2) << methodName(m) << l.linear;
  }
}

TEST(QuantPipeline, WeightsBecomeFakeQuantAndCodesAreKept) {
  Data d;
  auto m = tinyModel();
  PipelineOptions o = options(Method::GPTQ, 4).pipeline;
  o.keepQuantized = true;
  o.calibOnCpu = true;
  PipelineResult r = quantizeModel(*m, d.calib, o);
  ASSERT_EQ(r.quantized.size(), 8u);
  EXPECT_EQ(r.quantized[0].first, "gpt_neox.layers.0.attention.query_key_value.weight");
  EXPECT_EQ(r.calibrationWindows.size(), 16u);
  at::Tensor live = m->linearWeight(1, "dense_4h_to_h");
  EXPECT_TRUE(at::allclose(live, r.quantized[7].second.dequantized));
  EXPECT_LE(r.quantized[7].second.codes.max().item<int>(), 15);
}

TEST(QuantPipeline, DataFreeWithoutCalibrationAndCalibratedNeedsText) {
  auto m = tinyModel();
  PipelineOptions o = options(Method::NF4, 4).pipeline;
  PipelineResult r = quantizeModel(*m, {}, o);
  EXPECT_EQ(r.layers.size(), 8u);
  EXPECT_TRUE(std::isnan(r.layers[0].relativeError));
  o.method.method = Method::GPTQ;
  EXPECT_THROW(quantizeModel(*m, {}, o), Error);
  o.method.bits = 9;
  EXPECT_THROW(quantizeModel(*m, randomTokens(500, 512, 3), o), Error);
}

TEST(QuantPipeline, CancelStops) {
  Data d;
  auto m = tinyModel();
  PipelineOptions o = options(Method::GPTQ, 4).pipeline;
  int calls = 0;
  o.progress = [&](const Progress& p) {
    EXPECT_EQ(p.stage, "quantize");
    return ++calls < 3;
  };
  EXPECT_THROW(quantizeModel(*m, d.calib, o), Cancelled);
}

TEST(QuantPreset, PaperAndGptqDefault) {
  PipelineOptions o;
  applyQuantPreset(loadQuantPreset("paper"), o);
  EXPECT_EQ(o.method.method, Method::GPTQ);
  EXPECT_EQ(o.method.groupSize, 128);
  EXPECT_FALSE(o.method.actOrder);
  EXPECT_DOUBLE_EQ(o.method.percdamp, 0.1);
  EXPECT_TRUE(o.method.symmetric);
  EXPECT_EQ(o.calibration.samples, 128);
  applyQuantPreset(loadQuantPreset("gptq-default"), o);
  EXPECT_DOUBLE_EQ(o.method.percdamp, 0.01);
  EXPECT_FALSE(o.method.symmetric);
  EXPECT_THROW(loadQuantPreset("nope"), Error);
  auto names = quantPresetNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "paper"), names.end());
}
