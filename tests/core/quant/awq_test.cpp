#include "quant/awq.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "quant/quant_method.h"
#include "quant/rtn.h"

using namespace qid::quant;

namespace {

// Activations with a few salient channels 30x larger than the rest, as in
// real LLM activations.
at::Tensor outlierInputs(int64_t tokens, int64_t cols, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  at::Tensor x = at::randn({tokens, cols}, gen);
  for (int64_t c : {3, 77, 130, 201}) x.select(1, c % cols).mul_(30.0);
  return x;
}

}  // namespace

TEST(Awq, BeatsRtnWithOutlierChannels) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(21);
  at::Tensor w = at::randn({64, 256}, gen);
  at::Tensor x = outlierInputs(512, 256, 22);
  for (int bits : {2, 3, 4}) {
    AwqOptions o;
    o.bits = bits;
    o.groupSize = 64;
    QuantizedWeight a = awqQuantize(w, x, o);
    double ea = relativeOutputError(w, a.dequantized, x);
    double er = relativeOutputError(w, rtnQuantize(w, {bits, 64, false}).dequantized, x);
    EXPECT_LT(ea, er) << "bits " << bits;
    EXPECT_LE(a.codes.max().item<int>(), (1 << bits) - 1);
    EXPECT_TRUE(at::allclose(reconstructFromCodes(a), a.dequantized, 1e-5, 1e-6));
  }
}

TEST(Awq, ScaleSearchPrefersActivationScalesAndIncludesIdentity) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(23);
  at::Tensor w = at::randn({32, 128}, gen);
  at::Tensor x = outlierInputs(256, 128, 24);
  AwqOptions o;
  o.bits = 3;
  o.groupSize = 32;
  at::Tensor ref = x.matmul(w.t());
  auto loss = [&](const at::Tensor& c) { return (x.matmul(c.t()) - ref).pow(2).mean().item<double>(); };
  AwqScaleResult r = awqSearchScales(w, x.abs().mean(0), o, loss);
  ASSERT_EQ(r.losses.size(), 20u);
  EXPECT_GT(r.ratio, 0.0);
  // r = 0 is the plain AWQ group quantizer.
  EXPECT_NEAR(r.losses[0], loss(awqFakeQuantize(w, 3, 32)), 1e-6 * r.losses[0]);
  for (double l : r.losses) EXPECT_GE(l, *std::min_element(r.losses.begin(), r.losses.end()));
  // The normalised scales have geometric mean of max and min equal to 1.
  EXPECT_NEAR((r.scales.max() * r.scales.min()).item<double>(), 1.0, 1e-4);
}

TEST(Awq, ClipNeverIncreasesGroupError) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(25);
  at::Tensor w = at::randn({16, 64}, gen);
  w[0][5] = 12.0;  // one wild weight: clipping it should pay off
  at::Tensor x = at::randn({300, 64}, gen);
  AwqOptions o;
  o.bits = 3;
  o.groupSize = 32;
  at::Tensor maxVal = awqSearchClip(w, x, o);
  ASSERT_EQ(maxVal.sizes(), (at::IntArrayRef{16, 2}));
  at::Tensor orgMax = w.abs().view({16, 2, 32}).amax(2);
  EXPECT_TRUE((maxVal <= orgMax + 1e-6).all().item<bool>());
  EXPECT_TRUE((maxVal >= orgMax * 0.55 - 1e-6).all().item<bool>());
  EXPECT_LT(maxVal[0][0].item<float>(), 12.0f);
}
