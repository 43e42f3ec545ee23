// Two models on the same windows in one pass: both losses as evaluateLoss
// gives them, and KL(P_ref || P_cand) checked against a direct computation.
#include "eval/pair_eval.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/random_checkpoint.h"

using namespace qid;

namespace {

constexpr std::int64_t kVocab = 96;

std::unique_ptr<model::CausalLM> tiny(std::uint64_t seed) {
  return model::createCausalLM(model::tinyGptNeoxConfig(2, 32, 4, kVocab), seed);
}

// A copy of m with every Linear weight perturbed (a stand-in for quantization).
std::unique_ptr<model::CausalLM> perturbed(const model::CausalLM& m, double scale) {
  auto c = model::cloneCausalLM(m);
  at::NoGradGuard g;
  for (int l = 0; l < c->numLayers(); ++l)
    for (const auto& name : c->linearNames()) {
      at::Tensor w = c->linearWeight(l, name);
      c->setLinearWeight(l, name, w + scale * at::randn_like(w) * w.abs().mean());
    }
  return c;
}

std::vector<std::uint32_t> tokens(std::size_t n) {
  std::mt19937 rng(4);
  std::vector<std::uint32_t> t(n);
  for (auto& x : t) x = rng() % kVocab;
  return t;
}

// KL per window the slow way: full logits, double precision, position by position.
std::vector<double> directKl(const model::CausalLM& a, const model::CausalLM& b,
                             const std::vector<std::uint32_t>& toks, const std::vector<eval::Window>& ws) {
  at::NoGradGuard g;
  std::vector<double> out;
  for (const auto& w : ws) {
    std::vector<std::int64_t> ids(toks.begin() + w.start, toks.begin() + w.start + w.length);
    at::Tensor x = at::tensor(ids, at::kLong).view({1, w.length});
    at::Tensor la = at::log_softmax(a.forward(x).to(at::kDouble), -1)[0].contiguous();
    at::Tensor lb = at::log_softmax(b.forward(x).to(at::kDouble), -1)[0].contiguous();
    auto A = la.accessor<double, 2>(), Bq = lb.accessor<double, 2>();
    double sum = 0;
    for (std::int64_t p = w.scoreFrom - 1; p < w.length - 1; ++p)
      for (std::int64_t v = 0; v < kVocab; ++v) {
        double pa = A[p][v], pb = Bq[p][v];
        sum += std::exp(pa) * (pa - pb);
      }
    out.push_back(sum / double(w.scored()));
  }
  return out;
}

}  // namespace

TEST(PairEval, AModelAgainstItselfHasZeroKlAndItsOwnLoss) {
  auto m = tiny(1);
  auto copy = model::cloneCausalLM(*m);
  auto toks = tokens(40 * 6);
  auto ws = eval::planWindows(std::int64_t(toks.size()), {40});
  eval::EvalOptions o;
  o.batch = 4;
  o.maxLogitElements = 5 * kVocab;  // many chunks
  auto pair = eval::evaluatePair(*m, *copy, toks, ws, o);
  EXPECT_EQ(pair.meanKl, 0.0);
  for (double k : pair.windowKl) EXPECT_EQ(k, 0.0);
  EXPECT_EQ(pair.topTokenAgreement, 1.0);
  // The same numbers up to float32 rounding (batch shapes and chunking differ).
  auto single = eval::evaluateLoss(*m, toks, ws, {});
  EXPECT_NEAR(pair.reference.meanNll, single.meanNll, 1e-6);
  EXPECT_EQ(pair.candidate.meanNll, pair.reference.meanNll);
  EXPECT_EQ(pair.reference.tokenCount, single.tokenCount);
  EXPECT_EQ(pair.reference.windowTokens, single.windowTokens);
  ASSERT_EQ(pair.reference.windowNll.size(), single.windowNll.size());
  for (size_t i = 0; i < ws.size(); ++i) EXPECT_NEAR(pair.reference.windowNll[i], single.windowNll[i], 1e-6);
  EXPECT_NEAR(pair.reference.stderrNll, single.stderrNll, 1e-7);
}

TEST(PairEval, KlIsNonNegativeAndMatchesADirectComputation) {
  auto ref = tiny(2);
  auto cand = perturbed(*ref, 0.5);
  auto toks = tokens(200);
  // Sliding windows: only the new targets of each window are scored.
  auto ws = eval::planWindows(std::int64_t(toks.size()), {32, 12});
  ASSERT_GT(ws[1].scoreFrom, 1);
  eval::EvalOptions o;
  o.batch = 3;
  o.maxLogitElements = 7 * kVocab;
  auto pair = eval::evaluatePair(*ref, *cand, toks, ws, o);
  auto direct = directKl(*ref, *cand, toks, ws);
  ASSERT_EQ(pair.windowKl.size(), direct.size());
  double sum = 0;
  std::int64_t n = 0;
  for (size_t i = 0; i < ws.size(); ++i) {
    EXPECT_GE(pair.windowKl[i], 0.0);
    EXPECT_NEAR(pair.windowKl[i], direct[i], 1e-6 * std::max(1.0, direct[i]));
    sum += direct[i] * double(ws[i].scored());
    n += ws[i].scored();
  }
  EXPECT_GT(pair.meanKl, 1e-4);
  EXPECT_NEAR(pair.meanKl, sum / double(n), 1e-6);
  EXPECT_GT(pair.klStderr, 0.0);
  EXPECT_LT(pair.topTokenAgreement, 1.0);
  // Each side's loss is the one evaluateLoss gives.
  EXPECT_NEAR(pair.candidate.meanNll, eval::evaluateLoss(*cand, toks, ws, {}).meanNll, 1e-6);
  EXPECT_NEAR(pair.reference.meanNll, eval::evaluateLoss(*ref, toks, ws, {}).meanNll, 1e-6);
  // KL is not symmetric, but both directions are >= 0.
  auto back = eval::evaluatePair(*cand, *ref, toks, ws, o);
  EXPECT_GT(back.meanKl, 0.0);
  EXPECT_NE(back.meanKl, pair.meanKl);
}

TEST(PairEval, BadInputIsAnError) {
  auto a = tiny(3);
  auto b = model::createCausalLM(model::tinyGptNeoxConfig(2, 32, 4, kVocab + 8), 3);
  auto toks = tokens(64);
  auto ws = eval::planWindows(64, {32});
  EXPECT_THROW(eval::evaluatePair(*a, *b, toks, ws), Error);
  toks[5] = kVocab;
  EXPECT_THROW(eval::evaluatePair(*a, *a, toks, ws), Error);
  EXPECT_THROW(eval::evaluatePair(*a, *a, tokens(64), {}), Error);
  eval::EvalOptions o;
  o.progress = [](const Progress& p) { return p.done == 0; };
  EXPECT_THROW(eval::evaluatePair(*a, *a, tokens(64), ws, o), Cancelled);
}
