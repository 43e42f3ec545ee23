#include "store/paired_bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "common/error.h"

using namespace qid::store;

namespace {
// Windows vary a lot in difficulty; quantization adds a small, steady amount.
void makeWindows(std::vector<float>& a, std::vector<float>& b, int n, double delta) {
  std::mt19937 rng(7);
  std::normal_distribution<double> hard(3.0, 0.5), jitter(0.0, 0.01);
  for (int i = 0; i < n; ++i) {
    double h = hard(rng);
    a.push_back(float(h));
    b.push_back(float(h + delta + jitter(rng)));
  }
}
}  // namespace

TEST(PairedBootstrap, IntervalCoversTheMeanAndIsTighterThanUnpaired) {
  std::vector<float> a, b;
  makeWindows(a, b, 140, 0.05);
  auto paired = pairedBootstrap(a, b, 2000, 1);
  auto unpaired = unpairedBootstrap(a, b, 2000, 1);
  EXPECT_NEAR(paired.delta, 0.05, 0.005);
  EXPECT_DOUBLE_EQ(paired.delta, unpaired.delta);
  EXPECT_LT(paired.lo, paired.delta);
  EXPECT_GT(paired.hi, paired.delta);
  EXPECT_GT(paired.lo, 0.0);  // clearly positive when paired
  EXPECT_LT(unpaired.lo, 0.0);  // lost in window noise when not
  EXPECT_LT((paired.hi - paired.lo) * 10, unpaired.hi - unpaired.lo);
  // Analytic check: stderr of the mean difference is sd(d)/sqrt(n) = 0.01/sqrt(140).
  EXPECT_NEAR(paired.stderr_, 0.01 / std::sqrt(140.0), 0.0004);
}

TEST(PairedBootstrap, DeterministicForASeed) {
  std::vector<float> a, b;
  makeWindows(a, b, 30, 0.1);
  auto x = pairedBootstrap(a, b, 500, 3), y = pairedBootstrap(a, b, 500, 3);
  EXPECT_EQ(x.lo, y.lo);
  EXPECT_EQ(x.hi, y.hi);
}

TEST(PairedBootstrap, RejectsMismatchedRuns) {
  EXPECT_THROW(pairedBootstrap({1, 2}, {1}), qid::Error);
  EXPECT_THROW(pairedBootstrap({}, {}), qid::Error);
  EXPECT_THROW(pairedBootstrap({1}, {1}, 2), qid::Error);
}
