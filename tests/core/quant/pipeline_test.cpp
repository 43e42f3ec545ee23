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

using namespace qid;
using namespace qid::quant;

namespace {

constexpr std::uint64_t kModelSeed = 7;
constexpr std::uint32_t kVocab = 512;

// Text from a Markov chain: the next token is next[cur] with probability 0.9,
// otherwise uniform. A model trained on it sits near a loss minimum, so any
// weight perturbation raises its loss (a random-init model does not: there
// quantization noise moves the loss either way and the bit ordering is luck).
std::vector<std::uint32_t> chainTokens(std::size_t n, std::uint32_t seed) {
  std::mt19937 perm(12345);
  std::vector<std::uint32_t> next(kVocab);
  for (std::uint32_t i = 0; i < kVocab; ++i) next[i] = i;
  std::shuffle(next.begin(), next.end(), perm);
  std::mt19937 rng(seed);
  std::vector<std::uint32_t> out(n);
  out[0] = rng() % kVocab;
  for (std::size_t i = 1; i < n; ++i)
    out[i] = (rng() % 10 == 0) ? rng() % kVocab : next[out[i - 1]];
  return out;
}

std::vector<std::uint32_t> randomTokens(std::size_t n, std::uint32_t vocab, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint32_t> out(n);
  for (auto& t : out) t = rng() % vocab;
  return out;
}

// The tiny model after a few Adam steps on the chain (trained once per run).
const std::vector<at::Tensor>& trainedWeights() {
  static const std::vector<at::Tensor> weights = [] {
    auto m = model::createCausalLM(model::tinyGptNeoxConfig(2, 64, 4, kVocab), kModelSeed);
    m->setRequiresGrad(true);
    std::vector<at::Tensor> params;
    for (auto& [name, t] : m->namedParameters()) params.push_back(t);
    std::vector<at::Tensor> m1, m2;
    for (auto& p : params) {
      m1.push_back(at::zeros_like(p));
      m2.push_back(at::zeros_like(p));
    }
    auto train = chainTokens(20000, 99);
    std::mt19937 rng(5);
    const int steps = 120, batch = 8, len = 64;
    const double lr = 3e-3, b1 = 0.9, b2 = 0.99;
    for (int step = 1; step <= steps; ++step) {
      std::vector<std::int64_t> ids, tgt;
      for (int b = 0; b < batch; ++b) {
        std::size_t s0 = rng() % (train.size() - len - 1);
        for (int t = 0; t < len; ++t) {
          ids.push_back(train[s0 + t]);
          tgt.push_back(train[s0 + t + 1]);
        }
      }
      at::Tensor x = at::tensor(ids, at::kLong).view({batch, len});
      at::Tensor y = at::tensor(tgt, at::kLong);
      at::Tensor logits = m->forward(x).view({batch * len, kVocab});
      at::Tensor loss = at::nll_loss(at::log_softmax(logits, 1), y);
      loss.backward();
      at::NoGradGuard guard;
      for (std::size_t i = 0; i < params.size(); ++i) {
        at::Tensor g = params[i].grad();
        m1[i].mul_(b1).add_(g, 1 - b1);
        m2[i].mul_(b2).addcmul_(g, g, 1 - b2);
        at::Tensor mh = m1[i] / (1 - std::pow(b1, step));
        at::Tensor vh = m2[i] / (1 - std::pow(b2, step));
        params[i].sub_(lr * mh / (vh.sqrt() + 1e-8));
        params[i].mutable_grad().zero_();
      }
    }
    m->setRequiresGrad(false);
    std::vector<at::Tensor> out;
    for (auto& p : params) out.push_back(p.detach().clone());
    return out;
  }();
  return weights;
}

std::unique_ptr<model::CausalLM> tinyModel() {
  auto m = model::createCausalLM(model::tinyGptNeoxConfig(2, 64, 4, kVocab), kModelSeed);
  const auto& w = trainedWeights();
  at::NoGradGuard guard;
  std::size_t i = 0;
  for (auto& [name, t] : m->namedParameters()) t.copy_(w[i++]);
  return m;
}

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
