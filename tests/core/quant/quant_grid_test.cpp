#include "quant/quant_grid.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "common/error.h"

using namespace qid::quant;

TEST(QuantGrid, GoldenAsymmetricTwoBits) {
  at::Tensor x = at::tensor({-1.0f, 0.5f, 2.0f}).view({1, 3});
  GridParams p = fitMinMax(x, 2, false);
  EXPECT_FLOAT_EQ(p.scale.item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(p.zero.item<float>(), 1.0f);
  at::Tensor c = quantizeCodes(x, p, 2);
  // round(0.5) is 0 (half to even), so 0.5 -> code 1 -> 0.
  EXPECT_TRUE(at::equal(c, at::tensor({0.0f, 1.0f, 3.0f}).view({1, 3})));
  EXPECT_TRUE(at::allclose(dequantizeCodes(c, p), at::tensor({-1.0f, 0.0f, 2.0f}).view({1, 3})));
}

TEST(QuantGrid, GoldenSymmetricTwoBits) {
  at::Tensor x = at::tensor({-1.0f, 0.5f, 2.0f}).view({1, 3});
  GridParams p = fitMinMax(x, 2, true);
  EXPECT_FLOAT_EQ(p.scale.item<float>(), 4.0f / 3.0f);
  EXPECT_FLOAT_EQ(p.zero.item<float>(), 2.0f);  // 2^(b-1)
  at::Tensor c = quantizeCodes(x, p, 2);
  EXPECT_TRUE(at::equal(c, at::tensor({1.0f, 2.0f, 3.0f}).view({1, 3})));
}

TEST(QuantGrid, ZeroRowGetsUnitRange) {
  at::Tensor x = at::zeros({1, 4});
  GridParams p = fitMinMax(x, 4, false);
  EXPECT_FLOAT_EQ(p.scale.item<float>(), 2.0f / 15.0f);
  EXPECT_TRUE(at::equal(fakeQuantize(x, p, 4), x));
}

TEST(QuantGrid, AwqRangeDoesNotIncludeZero) {
  at::Tensor x = at::tensor({1.0f, 2.0f, 4.0f}).view({1, 3});
  GridParams p = fitAwq(x, 2);
  EXPECT_FLOAT_EQ(p.scale.item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(p.zero.item<float>(), 0.0f);  // clamp(-round(1/1)) = 0
  EXPECT_TRUE(at::allclose(fakeQuantize(x, p, 2), at::tensor({1.0f, 2.0f, 3.0f}).view({1, 3})));
}

TEST(QuantGrid, CodesInRangeAndValuesOnGrid) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
  at::Tensor x = at::randn({32, 96}, gen) * 3 + 0.5;
  for (int bits = 1; bits <= 8; ++bits) {
    for (bool sym : {false, true}) {
      for (int awq = 0; awq < 2; ++awq) {
        GridParams p = awq ? fitAwq(x, bits) : fitMinMax(x, bits, sym);
        at::Tensor c = quantizeCodes(x, p, bits);
        EXPECT_GE(c.min().item<float>(), 0.0f);
        EXPECT_LE(c.max().item<float>(), float((1 << bits) - 1));
        EXPECT_TRUE(at::equal(c, at::round(c)));
        at::Tensor d = dequantizeCodes(c, p);
        at::Tensor onGrid = d / p.scale + p.zero;
        EXPECT_TRUE(at::allclose(onGrid, at::round(onGrid), 0, 1e-3)) << bits << sym << awq;
        // Inside the range every value is within half a step of its original.
        if (!sym && !awq) {
          EXPECT_LE(((d - x).abs() / p.scale).max().item<float>(), 0.5f + 1e-4f) << bits;
        }
      }
    }
  }
}

TEST(QuantGrid, RejectsBitsOutsideOneToEight) {
  at::Tensor x = at::ones({2, 2});
  EXPECT_THROW(fitMinMax(x, 0, false), qid::Error);
  EXPECT_THROW(fitMinMax(x, 9, false), qid::Error);
  EXPECT_THROW(fitAwq(x, 9), qid::Error);
}
