// quantizeAndEvaluate on a real (tiny, trained) model: the paired CI of
// ΔqLoss against the unpaired one, and the KL option of the same pass.
#include <gtest/gtest.h>

#include <cstdio>

#include "eval/windows.h"
#include "quant/quant_eval.h"
#include "store/paired_bootstrap.h"
#include "trained_tiny_model.h"

using namespace qid;
using namespace qid::quant;
using namespace qid::test::tiny;

namespace {

QuantEvalOptions rtn(int bits, std::int64_t group = 32) {
  QuantEvalOptions o;
  o.pipeline.method.method = Method::RTN;
  o.pipeline.method.bits = bits;
  o.pipeline.method.groupSize = group;
  o.eval.batch = 4;
  return o;
}

std::vector<float> asFloats(const std::vector<double>& v) { return {v.begin(), v.end()}; }

}  // namespace

TEST(QuantEvalRigor, PairedCiIsMuchTighterThanTheUnpairedOneOnARealRun) {
  auto model = tinyModel();
  // Text the model learnt; its windows differ in difficulty (how many
  // unpredictable jumps each holds), as windows of real text do.
  auto text = chainTokens(64 * 24, 300);
  auto windows = eval::planWindows(std::int64_t(text.size()), {64});
  QuantEvalResult r = quantizeAndEvaluate(*model, {}, text, windows, rtn(2, -1));
  ASSERT_EQ(r.windowNll16.size(), 24u);
  auto paired = store::pairedBootstrap(asFloats(r.windowNll16), asFloats(r.windowNllQ), 2000, 1);
  auto unpaired = store::unpairedBootstrap(asFloats(r.windowNll16), asFloats(r.windowNllQ), 2000, 1);
  const double pw = paired.hi - paired.lo, uw = unpaired.hi - unpaired.lo;
  EXPECT_GT(r.deltaQLoss, 0);
  EXPECT_NEAR(paired.delta, r.deltaQLoss, 1e-5);
  EXPECT_GT(paired.lo, 0.0) << "the paired CI should exclude zero";
  EXPECT_LT(unpaired.lo, 0.0) << "the unpaired CI is lost in the window-to-window variation";
  EXPECT_LT(pw * 4, uw) << "paired width " << pw << ", unpaired " << uw;
  // The analytic paired standard error agrees with the bootstrap's.
  EXPECT_NEAR(r.deltaStderr / paired.stderr_, 1.0, 0.25);
  std::printf("real run, RTN 2-bit per channel, 24 windows: dqLoss %.4f, paired 95%% CI width %.4f, unpaired %.4f (%.1fx)\n",
              r.deltaQLoss, pw, uw, uw / pw);
}

TEST(QuantEvalRigor, KlOptionMeasuresInTheSamePassWithTheSameLosses) {
  auto text = chainTokens(64 * 8, 7);
  auto windows = eval::planWindows(std::int64_t(text.size()), {64});
  auto plainModel = tinyModel();
  QuantEvalResult plain = quantizeAndEvaluate(*plainModel, {}, text, windows, rtn(3));
  EXPECT_FALSE(plain.klDivergence);

  auto klModel = tinyModel();
  QuantEvalOptions o = rtn(3);
  o.klDivergence = true;
  int evalPasses = 0;
  o.eval.progress = [&](const Progress& p) {
    evalPasses += p.done == 0;
    return true;
  };
  QuantEvalResult kl = quantizeAndEvaluate(*klModel, {}, text, windows, o);
  EXPECT_EQ(evalPasses, 1) << "one pass scores both models";
  ASSERT_TRUE(kl.klDivergence);
  EXPECT_GT(*kl.klDivergence, 0.0);
  EXPECT_GT(kl.klStderr, 0.0);
  EXPECT_EQ(kl.windowKl.size(), windows.size());
  ASSERT_TRUE(kl.topTokenAgreement);
  EXPECT_LE(*kl.topTokenAgreement, 1.0);
  EXPECT_NEAR(kl.loss16, plain.loss16, 1e-9);
  EXPECT_NEAR(kl.lossq, plain.lossq, 1e-9);
  EXPECT_NEAR(kl.deltaStderr, plain.deltaStderr, 1e-9);
  // More bits, less divergence.
  auto m4 = tinyModel();
  o.pipeline.method.bits = 4;
  QuantEvalResult kl4 = quantizeAndEvaluate(*m4, {}, text, windows, o);
  EXPECT_LT(*kl4.klDivergence, *kl.klDivergence);
  // With a precomputed baseline the 16-bit numbers are the given ones.
  auto m5 = tinyModel();
  QuantEvalResult withBase = quantizeAndEvaluate(*m5, {}, text, windows, o, &plain.baseline);
  EXPECT_EQ(withBase.loss16, plain.loss16);
  EXPECT_NEAR(*withBase.klDivergence, *kl4.klDivergence, 1e-12);
}
