#include "quant/gptq.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "quant/hessian.h"
#include "quant/quant_method.h"
#include "quant/rtn.h"

using namespace qid::quant;

namespace {

// Tokens whose features are strongly correlated (a random mixing of a few
// latent factors plus noise), so H is far from diagonal.
at::Tensor correlatedInputs(int64_t tokens, int64_t cols, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  at::Tensor z = at::randn({tokens, 8}, gen);
  at::Tensor mix = at::randn({8, cols}, gen);
  return z.matmul(mix) + 0.1 * at::randn({tokens, cols}, gen);
}

at::Tensor hessianOf(const at::Tensor& x) {
  HessianAccumulator h(x.size(1));
  h.add(x.slice(0, 0, x.size(0) / 3));
  h.add(x.slice(0, x.size(0) / 3));
  return h.hessian();
}

void expectValidGrid(const QuantizedWeight& q) {
  EXPECT_GE(q.codes.min().item<int>(), 0);
  EXPECT_LE(q.codes.max().item<int>(), (1 << q.bits) - 1);
  EXPECT_TRUE(at::allclose(reconstructFromCodes(q), q.dequantized, 1e-5, 1e-6));
  EXPECT_TRUE(at::isfinite(q.dequantized).all().item<bool>());
}

}  // namespace

TEST(Hessian, RunningAverageEqualsBatch) {
  at::Tensor x = correlatedInputs(90, 12, 5);
  at::Tensor direct = 2.0 / 90 * x.t().matmul(x);
  EXPECT_TRUE(at::allclose(hessianOf(x), direct, 1e-4, 1e-5));
}

TEST(Gptq, BeatsRtnOnCorrelatedInputs) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(6);
  at::Tensor w = at::randn({48, 256}, gen);
  at::Tensor x = correlatedInputs(1024, 256, 7);
  for (int bits : {2, 3, 4}) {
    for (int group : {-1, 64}) {
      GptqOptions o;
      o.bits = bits;
      o.groupSize = group;
      QuantizedWeight g = gptqQuantize(w, hessianOf(x), o);
      QuantizedWeight r = rtnQuantize(w, {bits, group, false});
      double eg = relativeOutputError(w, g.dequantized, x);
      double er = relativeOutputError(w, r.dequantized, x);
      EXPECT_LT(eg, er) << "bits " << bits << " group " << group;
      expectValidGrid(g);
    }
  }
}

TEST(Gptq, IdentityHessianEqualsRtn) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(8);
  at::Tensor w = at::randn({16, 300}, gen);
  for (int group : {-1, 128, 50}) {
    for (bool sym : {false, true}) {
      GptqOptions o;
      o.bits = 3;
      o.groupSize = group;
      o.symmetric = sym;
      QuantizedWeight g = gptqQuantize(w, at::eye(300), o);
      QuantizedWeight r = rtnQuantize(w, {3, group, sym});
      EXPECT_TRUE(at::allclose(g.dequantized, r.dequantized, 0, 1e-6)) << group << sym;
      EXPECT_TRUE(at::equal(g.codes, r.codes));
    }
  }
}

TEST(Gptq, ActOrderAndStaticGroupsGiveValidGrids) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(9);
  at::Tensor w = at::randn({32, 200}, gen);
  at::Tensor x = correlatedInputs(800, 200, 10);
  x.slice(1, 0, 200, 7).mul_(5.0);  // spread diag(H) so act-order really permutes
  double rtnErr = relativeOutputError(w, rtnQuantize(w, {3, 64, false}).dequantized, x);
  for (bool act : {false, true}) {
    for (bool stat : {false, true}) {
      GptqOptions o;
      o.bits = 3;
      o.groupSize = 64;
      o.actOrder = act;
      o.staticGroups = stat;
      QuantizedWeight q = gptqQuantize(w, hessianOf(x), o);
      expectValidGrid(q);
      EXPECT_EQ(q.scales.size(1), 4);
      EXPECT_LT(relativeOutputError(w, q.dequantized, x), rtnErr) << act << stat;
      if (!act || stat) {
        EXPECT_EQ(q.groupIndex[199].item<int64_t>(), 3);
      }
    }
  }
}

TEST(Gptq, DeadColumnsAreZeroed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
  at::Tensor w = at::randn({8, 64}, gen);
  at::Tensor x = correlatedInputs(256, 64, 12);
  x.select(1, 3).zero_();
  x.select(1, 40).zero_();
  GptqOptions o;
  o.bits = 4;
  o.groupSize = 32;
  QuantizedWeight q = gptqQuantize(w, hessianOf(x), o);
  expectValidGrid(q);
  EXPECT_EQ(q.dequantized.select(1, 3).abs().max().item<float>(), 0.0f);
  EXPECT_EQ(q.dequantized.select(1, 40).abs().max().item<float>(), 0.0f);
  EXPECT_EQ(q.dampIncreases, 0);
}

TEST(Gptq, RaisesDampWhenCholeskyFails) {
  at::Tensor w = at::tensor({0.3f, -0.7f, 0.2f, 0.9f}).view({2, 2});
  GptqOptions o;
  o.bits = 4;
  // Eigenvalues 3 and -1: positive definite only once damp > 1 (0.01 -> 10).
  QuantizedWeight q = gptqQuantize(w, at::tensor({1.0f, 2.0f, 2.0f, 1.0f}).view({2, 2}), o);
  EXPECT_EQ(q.dampIncreases, 3);
  EXPECT_NEAR(q.damp, 10.0, 1e-9);
  // Eigenvalue -49: no damp up to 10 helps.
  EXPECT_THROW(gptqQuantize(w, at::tensor({1.0f, 50.0f, 50.0f, 1.0f}).view({2, 2}), o),
               qid::Error);
}

TEST(Gptq, BadInput) {
  at::Tensor w = at::ones({4, 8});
  GptqOptions o;
  EXPECT_THROW(gptqQuantize(w, at::eye(7), o), qid::Error);
  o.bits = 9;
  EXPECT_THROW(gptqQuantize(w, at::eye(8), o), qid::Error);
  o.bits = 4;
  at::Tensor h = at::eye(8);
  h[2][2] = std::nan("");
  EXPECT_THROW(gptqQuantize(w, h, o), qid::Error);
}
