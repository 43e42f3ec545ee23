// Rigour of fits: weighting by each point's ΔqLoss uncertainty, the
// multi-start report, unrounded parameters, and extrapolation warnings for
// a fitted law.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "common/error.h"
#include "laws/law_fit.h"
#include "laws/law_predict.h"
#include "test_support.h"

using namespace qid::laws;

namespace {

constexpr double kZ95 = 1.959963984540054;

// Unified-law points whose relative noise alternates between small and large;
// each point states its standard error (stderr = rel * y).
DataTable heteroscedastic(unsigned seed, double small, double large) {
  Law truth;
  truth.family = makeFamily("ouyang-unified");
  truth.params = {0.017, 0.2261, 0.5251, 5.4967};
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  DataTable t;
  t.source = "hetero";
  int i = 0;
  for (double n : {7e7, 4.1e8, 1e9, 6.9e9})
    for (double d : {1e9, 1e10, 1e11, 3e11})
      for (double p : {2.0, 3.0, 4.0}) {
        double rel = (i++ % 2) ? large : small;
        double y = truth.evaluate({{"N", n}, {"D", d}, {"P", p}}) * std::exp(rel * noise(rng));
        t.addRow({{"N", n}, {"D", d}, {"bits", p}, {"delta_q_loss", y}, {"stderr", rel * y},
                  {"delta_ci_lo", y - kZ95 * rel * y}, {"delta_ci_hi", y + kZ95 * rel * y}});
      }
  return t;
}

double paramError(const FitResult& f) {
  const double truth[4] = {0.017, 0.2261, 0.5251, 5.4967};
  double e = 0;
  for (int j = 1; j < 4; ++j) e += std::pow(f.law.params[size_t(j)] - truth[j], 2);  // the exponents
  return e;
}

}  // namespace

TEST(LawFitWeights, WeightedLogSpaceLeastSquaresMatchesTheClosedForm) {
  // y = k D^beta with weights w_i = (y_i / sigma_i)^2 in log space.
  const std::vector<double> D = {1e9, 1e10, 1e11, 1e12}, y = {0.02, 0.07, 0.2, 0.9}, s = {0.001, 0.02, 0.002, 0.3};
  DataTable t;
  t.source = "golden";
  for (size_t i = 0; i < D.size(); ++i) t.addRow({{"D", D[i]}, {"delta_q_loss", y[i]}, {"se", s[i]}});
  double sw = 0, sx = 0, sz = 0;
  for (size_t i = 0; i < D.size(); ++i) {
    double w = std::pow(y[i] / s[i], 2);
    sw += w, sx += w * std::log(D[i]), sz += w * std::log(y[i]);
  }
  double xb = sx / sw, zb = sz / sw, num = 0, den = 0;
  for (size_t i = 0; i < D.size(); ++i) {
    double w = std::pow(y[i] / s[i], 2), x = std::log(D[i]) - xb;
    num += w * x * (std::log(y[i]) - zb);
    den += w * x * x;
  }
  const double beta = num / den, k = std::exp(zb - beta * xb);
  BindOptions b;
  b.sigmaColumn = "se";
  FitResult f = fitLaw(makeFamily("ouyang-tokens"), t, {}, b);
  ASSERT_TRUE(f.converged) << f.message;
  EXPECT_NEAR(f.law.params[0] / k, 1.0, 1e-10);
  EXPECT_NEAR(f.law.params[1], beta, 1e-10);
  EXPECT_NE(f.weighting.find("se"), std::string::npos) << f.weighting;
  // Unweighted, the noisy last point pulls beta elsewhere.
  FitResult plain = fitLaw(makeFamily("ouyang-tokens"), t);
  EXPECT_GT(std::abs(plain.law.params[1] - beta), 0.01);
  EXPECT_TRUE(plain.weighting.empty());
}

TEST(LawFitWeights, WeightingByUncertaintyRecoversNoisyDataBetter) {
  double weighted = 0, unweighted = 0;
  for (unsigned seed = 1; seed <= 4; ++seed) {
    DataTable t = heteroscedastic(seed, 0.01, 0.6);
    FitOptions o;
    o.weightByUncertainty = true;
    FitResult w = fitLaw(makeFamily("ouyang-unified"), t, o);
    FitResult u = fitLaw(makeFamily("ouyang-unified"), t);
    ASSERT_TRUE(w.converged && u.converged);
    EXPECT_NE(w.weighting.find("stderr"), std::string::npos) << w.weighting;  // picked the stderr column
    EXPECT_NEAR(w.law.params[2], 0.5251, 0.02);
    weighted += paramError(w);
    unweighted += paramError(u);
  }
  EXPECT_LT(weighted * 5, unweighted);
}

TEST(LawFitWeights, ConfidenceIntervalColumnsWeighLikeTheirStandardErrors) {
  DataTable t = heteroscedastic(9, 0.02, 0.3);
  BindOptions bs, bc;
  bs.sigmaColumn = "stderr";
  bc.ciLoColumn = "delta_ci_lo";
  bc.ciHiColumn = "delta_ci_hi";
  FitResult a = fitLaw(makeFamily("ouyang-unified"), t, {}, bs);
  FitResult c = fitLaw(makeFamily("ouyang-unified"), t, {}, bc);
  for (size_t j = 0; j < 4; ++j) EXPECT_NEAR(c.law.params[j] / a.law.params[j], 1.0, 1e-9);
  EXPECT_NE(c.weighting.find("95% CI columns delta_ci_lo..delta_ci_hi"), std::string::npos) << c.weighting;
  EXPECT_NEAR(twoSidedNormalQuantile(0.95), kZ95, 1e-12);
  EXPECT_NEAR(twoSidedNormalQuantile(0.6826894921370859), 1.0, 1e-12);
  // Without a stderr column the project's CI columns are used.
  int se = t.column("stderr");
  t.columns[size_t(se)] = "not_used";
  FitOptions o;
  o.weightByUncertainty = true;
  FitResult auto_ = fitLaw(makeFamily("ouyang-unified"), t, o);
  for (size_t j = 0; j < 4; ++j) EXPECT_NEAR(auto_.law.params[j] / a.law.params[j], 1.0, 1e-9);
}

TEST(LawFitWeights, MissingOrDegenerateUncertaintiesAreErrors) {
  DataTable t;
  t.source = "pts.csv";
  t.addRow({{"D", 1e9}, {"delta_q_loss", 0.1}, {"lo", 0.09}, {"hi", 0.11}});
  t.addRow({{"D", 1e10}, {"delta_q_loss", 0.3}, {"lo", 0.3}, {"hi", 0.3}});
  t.addRow({{"D", 1e11}, {"delta_q_loss", 0.9}, {"lo", 0.8}, {"hi", 1.0}});
  FitOptions o;
  o.weightByUncertainty = true;
  try {
    fitLaw(makeFamily("ouyang-tokens"), t, o);
    FAIL() << "weighted without uncertainties";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pts.csv: weighting by uncertainty needs a 'stderr' column"),
              std::string::npos) << e.what();
  }
  BindOptions b;
  b.ciLoColumn = "lo";
  b.ciHiColumn = "hi";
  try {
    fitLaw(makeFamily("ouyang-tokens"), t, {}, b);
    FAIL() << "a zero-width CI weighted a point";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pts.csv line 3: the confidence interval"), std::string::npos) << e.what();
  }
  b.ciHiColumn.clear();
  EXPECT_THROW(fitLaw(makeFamily("ouyang-tokens"), t, {}, b), qid::Error);
}

TEST(LawFitReport, MultiStartReportIsConsistent) {
  Law truth;
  truth.family = makeFamily("loss16-kaplan");
  truth.params = {4.74e19, 0.045, 7.63e10, 0.399};
  DataTable t;
  t.source = "kaplan";
  for (double n : {7e7, 4.1e8, 1e9, 6.9e9})
    for (double d : {1e9, 1e10, 1e11, 3e11}) t.addRow({{"N", n}, {"D", d}, {"loss16", truth.evaluate({{"N", n}, {"D", d}})}});
  FitOptions o;
  o.start = {1e19, 0.05, 1e11, 0.35};
  o.maxStarts = 12;
  FitResult f = fitLaw(truth.family, t, o);
  ASSERT_TRUE(f.converged) << f.message;
  const auto& ms = f.multiStart;
  EXPECT_EQ(ms.starts, 12);
  EXPECT_GE(ms.converged, ms.agreeing);
  EXPECT_GE(ms.agreeing, 1);
  EXPECT_LE(ms.converged, ms.starts);
  EXPECT_DOUBLE_EQ(ms.bestCost, f.objective);
  EXPECT_LE(ms.bestCost, ms.worstConvergedCost);
  o.maxStarts = 1;
  EXPECT_EQ(fitLaw(truth.family, t, o).multiStart.starts, 1);
}

TEST(LawFitReport, FittedParametersAreStoredUnrounded) {
  qid::test::TempDir tmp;
  DataTable t = heteroscedastic(3, 0.05, 0.05);
  FitResult f = fitLaw(makeFamily("ouyang-unified"), t);
  ASSERT_TRUE(f.converged);
  // Not rounded to the 4-5 digits a report prints.
  for (double p : f.law.params) {
    char rounded[32];
    std::snprintf(rounded, sizeof rounded, "%.5g", p);
    EXPECT_NE(p, std::stod(rounded));
  }
  std::string path = (tmp / "fit.json").string();
  saveLaw(f.law, path);
  Law back = loadLaw(path);
  ASSERT_EQ(back.params.size(), f.law.params.size());
  for (size_t j = 0; j < back.params.size(); ++j) EXPECT_EQ(back.params[j], f.law.params[j]) << j;  // bit for bit
  EXPECT_EQ(back.stderrs, f.law.stderrs);
  // The fitted range travels with the law, and predictions beyond it by more
  // than the stated factor are flagged (above and below).
  EXPECT_TRUE(extrapolationWarnings(back, {{"N", 1e9}, {"D", 5e11}, {"P", 3}}, 2.0).empty());
  auto far = extrapolationWarnings(back, {{"N", 1e9}, {"D", 1e14}, {"P", 3}}, 2.0);
  ASSERT_EQ(far.size(), 1u);
  EXPECT_NE(far[0].find("beyond the largest fitted D (3e+11)"), std::string::npos) << far[0];
  EXPECT_TRUE(extrapolationWarnings(back, {{"N", 1e9}, {"D", 1e14}, {"P", 3}}, 1000.0).empty());
  auto small = extrapolationWarnings(back, {{"N", 1e7}, {"D", 1e10}, {"P", 3}}, 2.0);
  ASSERT_EQ(small.size(), 1u);
  EXPECT_NE(small[0].find("below the smallest fitted N"), std::string::npos) << small[0];
}
