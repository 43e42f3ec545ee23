#include "quant/blockwise4bit.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "quant/rtn.h"

using namespace qid::quant;

TEST(Blockwise4bit, Nf4CodebookIsExact) {
  const auto& v = codebookValues(Codebook4::NF4);
  EXPECT_EQ(v[0], -1.0f);
  EXPECT_EQ(v[1], -0.6961928009986877f);
  EXPECT_EQ(v[7], 0.0f);
  EXPECT_EQ(v[8], 0.07958029955625534f);
  EXPECT_EQ(v[14], 0.7229568362236023f);
  EXPECT_EQ(v[15], 1.0f);
  for (int i = 1; i < 16; ++i) EXPECT_LT(v[i - 1], v[i]);
  const auto& f = codebookValues(Codebook4::FP4);
  EXPECT_FLOAT_EQ(f[1], 0.0625f / 12);
  EXPECT_FLOAT_EQ(f[3], 1.0f);
  EXPECT_FLOAT_EQ(f[13], -0.5f);
}

TEST(Blockwise4bit, CodesAreNearestWithBlocksOf64) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(31);
  for (Codebook4 which : {Codebook4::NF4, Codebook4::FP4}) {
    at::Tensor w = at::randn({6, 50}, gen);  // 300 values: 4 full blocks + 44
    QuantizedWeight q = blockwise4bitQuantize(w, which);
    ASSERT_EQ(q.scales.numel(), 5);
    at::Tensor flat = w.flatten();
    const auto& book = codebookValues(which);
    at::Tensor codes = q.codes.flatten();
    for (int64_t i = 0; i < flat.numel(); ++i) {
      const int64_t b = i / 64;
      float absmax = flat.slice(0, b * 64, std::min<int64_t>(300, b * 64 + 64)).abs().max().item<float>();
      ASSERT_FLOAT_EQ(q.scales[b].item<float>(), absmax);
      float x = flat[i].item<float>() / absmax;
      int code = codes[i].item<int>();
      ASSERT_GE(code, 0);
      ASSERT_LE(code, 15);
      float best = 1e9f;
      for (float c : book) best = std::min(best, std::abs(x - c));
      ASSERT_LE(std::abs(x - book[code]), best + 1e-6f) << i;
      ASSERT_FLOAT_EQ(q.dequantized.flatten()[i].item<float>(), book[code] * absmax);
      if (which == Codebook4::FP4) {
        ASSERT_NE(code, 8) << "FP4 -0 emitted";
      }
    }
    EXPECT_TRUE(at::allclose(reconstructFromCodes(q), q.dequantized));
  }
}

TEST(Blockwise4bit, BlockAbsmaxIsExactlyRepresented) {
  at::Tensor w = at::linspace(-3, 2, 128).view({2, 64});
  QuantizedWeight q = blockwise4bitQuantize(w, Codebook4::NF4);
  EXPECT_EQ(q.dequantized[0][0].item<float>(), -3.0f);   // -1 * absmax
  EXPECT_EQ(q.codes[0][0].item<int>(), 0);
  EXPECT_EQ(q.codes[1][63].item<int>(), 15);
}
