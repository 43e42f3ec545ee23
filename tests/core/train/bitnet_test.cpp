#include "train/bitnet.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

using namespace qid::train;

TEST(BitNet, WeightsAreTernaryWithAbsmeanScale) {
  at::manual_seed(0);
  const at::Tensor w = at::randn({32, 48});
  const TernaryWeight t = bitnetTernary(w);
  EXPECT_NEAR(t.scale.item<float>(), w.abs().mean().item<float>(), 1e-6);
  const at::Tensor vals = std::get<0>(at::_unique(t.codes));
  EXPECT_LE(vals.numel(), 3);
  EXPECT_GE(t.codes.min().item<int>(), -1);
  EXPECT_LE(t.codes.max().item<int>(), 1);
  // Hand-checked elements: round(w/s) clamped.
  const float s = t.scale.item<float>();
  for (int i = 0; i < 10; ++i) {
    const float x = w.view(-1)[i].item<float>() / s;
    const int expect = x > 1.5f ? 1 : (x < -1.5f ? -1 : static_cast<int>(std::nearbyint(x)));
    EXPECT_EQ(t.codes.view(-1)[i].item<int>(), std::max(-1, std::min(1, expect)));
  }
  const at::Tensor v = bitnetWeightValue(w);
  EXPECT_TRUE(at::allclose(v, t.codes.to(at::kFloat) * s));
}

TEST(BitNet, ActivationsUse8BitAbsmaxPerToken) {
  const at::Tensor x = at::tensor({0.5f, -1.0f, 0.25f, 0.001f}).view({1, 4});
  const at::Tensor q = bitnetActivationValue(x);
  // Scale 127: -1 -> -127/127, 0.5 -> 64/127 (63.5 rounds to even? no: 63.5 -> 64 away from 0).
  EXPECT_FLOAT_EQ(q[0][1].item<float>(), -1.0f);
  const float step = 1.0f / 127.0f;
  for (int i = 0; i < 4; ++i) {
    const float r = q[0][i].item<float>() / step;
    EXPECT_NEAR(r, std::nearbyint(r), 1e-3);
    EXPECT_NEAR(q[0][i].item<float>(), x[0][i].item<float>(), step / 2 + 1e-6);
  }
}

TEST(BitNet, StraightThroughPassesGradientsUnchanged) {
  at::manual_seed(1);
  const at::Tensor w = at::randn({4, 4}).set_requires_grad(true);
  const at::Tensor y = bitnetWeightSte(w);
  EXPECT_TRUE(at::allclose(y, bitnetWeightValue(w)));
  (y * at::arange(16).view({4, 4}).to(at::kFloat)).sum().backward();
  EXPECT_TRUE(at::allclose(w.grad(), at::arange(16).view({4, 4}).to(at::kFloat)));
  const at::Tensor x = at::randn({2, 8}).set_requires_grad(true);
  bitnetActivationSte(x).sum().backward();
  EXPECT_TRUE(at::allclose(x.grad(), at::ones({2, 8})));
}
