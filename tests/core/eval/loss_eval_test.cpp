#include "eval/loss_eval.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>

#include "eval/windows.h"
#include "model/causal_lm.h"
#include "model/random_checkpoint.h"
#include "test_support.h"

namespace {

using namespace qid::eval;
using namespace qid::model;

TEST(Windows, NonOverlappingDropsRemainder) {
  auto w = planWindows(1000, {128, 0, 0, 0, 0, 0});
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w[6].start, 768);
  EXPECT_EQ(scoredTokens(w), 7 * 127);
  // The GPTQ-paper protocol on wikitext-2 test at seqlen 2048.
  auto paper = planWindows(288722, {2048, 0, 0, 0, 0, 0});
  EXPECT_EQ(paper.size(), 140u);
  EXPECT_EQ(scoredTokens(paper), 140 * 2047);
}

TEST(Windows, StrideScoresEveryTargetOnce) {
  for (int64_t n : {1000, 1024, 1100}) {
    auto w = planWindows(n, {256, 100, 0, 0, 0, 0});
    std::vector<int> hits(static_cast<size_t>(n), 0);
    for (const auto& win : w) {
      EXPECT_EQ(win.length, 256);
      for (int64_t t = win.scoreFrom; t < win.length; ++t) ++hits[static_cast<size_t>(win.start + t)];
    }
    EXPECT_EQ(hits[0], 0);
    for (int64_t i = 1; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)], 1) << "n=" << n << " target " << i;
    EXPECT_EQ(scoredTokens(w), n - 1);
  }
}

TEST(Windows, MaxSampleAndScoreFrom) {
  EXPECT_EQ(planWindows(1000, {100, 0, 0, 3, 0, 0}).size(), 3u);
  auto a = planWindows(1000, {100, 0, 0, 0, 4, 9}), b = planWindows(1000, {100, 0, 0, 0, 4, 9});
  ASSERT_EQ(a.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(a[i].start, b[i].start);
  for (size_t i = 1; i < 4; ++i) EXPECT_LT(a[i - 1].start, a[i].start);
  auto half = planWindows(1000, {100, 0, 50, 0, 0, 0});
  EXPECT_EQ(scoredTokens(half), 10 * 50);
}

TEST(Windows, TooShortTextAndBadOptions) {
  try {
    planWindows(100, {2048, 0, 0, 0, 0, 0});
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("fewer than one window"), std::string::npos);
  }
  EXPECT_THROW(planWindows(100, {1, 0, 0, 0, 0, 0}), qid::Error);
  EXPECT_THROW(planWindows(1000, {100, 200, 0, 0, 0, 0}), qid::Error);
  EXPECT_THROW(planWindows(1000, {100, 0, 0, 0, 50, 0}), qid::Error);
}

class LossEvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writeRandomCheckpoint(dir.path(), tinyGptNeoxConfig(), {11, DType::F32, 0});
    model = loadCausalLM(dir.path());
    at::Tensor t = at::randint(512, {700}, at::TensorOptions().dtype(at::kLong));
    for (int64_t i = 0; i < 700; ++i) tokens.push_back(static_cast<uint32_t>(t[i].item<int64_t>()));
  }
  qid::test::TempDir dir;
  std::unique_ptr<CausalLM> model;
  std::vector<uint32_t> tokens;
};

TEST_F(LossEvalTest, EqualsHandComputedCrossEntropy) {
  auto windows = planWindows(static_cast<int64_t>(tokens.size()), {64, 0, 0, 0, 0, 0});
  EvalResult r = evaluateLoss(*model, tokens, windows);
  ASSERT_EQ(r.windowCount, 10);
  EXPECT_EQ(r.tokenCount, 10 * 63);
  double total = 0;
  std::vector<double> perWindow;
  for (const auto& w : windows) {
    std::vector<int64_t> ids(tokens.begin() + w.start, tokens.begin() + w.start + w.length);
    at::Tensor logits = model->forward(at::tensor(ids).view({1, -1}))[0].to(at::kDouble);
    double sum = 0;
    for (int64_t t = 1; t < w.length; ++t) {
      at::Tensor row = logits[t - 1];
      double mx = row.max().item<double>();
      double lse = mx + std::log((row - mx).exp().sum().item<double>());
      sum += lse - row[ids[static_cast<size_t>(t)]].item<double>();
    }
    total += sum;
    perWindow.push_back(sum / 63);
  }
  EXPECT_NEAR(r.meanNll, total / 630, 1e-5);
  EXPECT_NEAR(r.perplexity, std::exp(total / 630), 1e-3);
  for (size_t i = 0; i < perWindow.size(); ++i) EXPECT_NEAR(r.windowNll[i], perWindow[i], 1e-5);
  double mean = 0, ss = 0;
  for (double v : perWindow) mean += v / 10;
  for (double v : perWindow) ss += (v - mean) * (v - mean);
  EXPECT_NEAR(r.stderrNll, std::sqrt(ss / 9) / std::sqrt(10.0), 1e-6);
  EXPECT_GT(r.stderrNll, 0);
  EXPECT_EQ(r.dtype, "fp32");
  EXPECT_EQ(r.device, "cpu");
  // A random model is near-uniform: loss close to ln(512).
  EXPECT_NEAR(r.meanNll, std::log(512.0), 0.5);
}

TEST_F(LossEvalTest, BatchAndChunkingDoNotChangeTheNumbers) {
  auto windows = planWindows(static_cast<int64_t>(tokens.size()), {64, 0, 0, 0, 0, 0});
  EvalResult base = evaluateLoss(*model, tokens, windows);
  EvalOptions o;
  o.batch = 3;
  o.maxLogitElements = 512 * 5;  // a few rows at a time
  EvalResult other = evaluateLoss(*model, tokens, windows, o);
  EXPECT_NEAR(other.meanNll, base.meanNll, 1e-5);
  for (size_t i = 0; i < base.windowNll.size(); ++i) EXPECT_NEAR(other.windowNll[i], base.windowNll[i], 1e-5);
  // Deterministic on CPU: the same numbers on every run.
  EXPECT_EQ(evaluateLoss(*model, tokens, windows).meanNll, base.meanNll);
}

TEST_F(LossEvalTest, PartialScoringCountsAndProgress) {
  auto windows = planWindows(static_cast<int64_t>(tokens.size()), {64, 20, 0, 0, 0, 0});
  int calls = 0;
  EvalOptions o;
  o.progress = [&](const qid::Progress&) { return ++calls < 4; };
  EXPECT_THROW(evaluateLoss(*model, tokens, windows, o), qid::Cancelled);
  o.progress = nullptr;
  EvalResult r = evaluateLoss(*model, tokens, windows, o);
  EXPECT_EQ(r.tokenCount, 699);
  int64_t sum = 0;
  for (auto n : r.windowTokens) sum += n;
  EXPECT_EQ(sum, 699);
}

TEST_F(LossEvalTest, OutOfVocabularyTokenIsAnError) {
  tokens[5] = 600;
  auto windows = planWindows(static_cast<int64_t>(tokens.size()), {64, 0, 0, 0, 0, 0});
  EXPECT_THROW(evaluateLoss(*model, tokens, windows), qid::Error);
}

}  // namespace
