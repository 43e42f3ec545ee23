// Bad input to every quantizer and to the layer-wise pipeline: a clear
// qid::Error naming the problem, never NaN weights written out. Also partial
// last groups, which are accepted and must still lie on a valid grid.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include <cmath>

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/gpt_neox.h"
#include "model/random_checkpoint.h"
#include "quant/pipeline.h"
#include "quant/quant_method.h"
#include "quant/rtn.h"

using namespace qid;
using namespace qid::quant;

namespace {

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

MethodOptions methodOf(Method m, int bits, int group = 16) {
  MethodOptions o;
  o.method = m;
  o.bits = bits;
  o.groupSize = group;
  return o;
}

const Method kAll[] = {Method::RTN, Method::GPTQ, Method::AWQ, Method::NF4, Method::FP4, Method::INT8};

int bitsFor(Method m) { return m == Method::INT8 ? 8 : 4; }

}  // namespace

TEST(QuantBadInput, NaNWeightsAreRefusedByEveryMethod) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
  at::Tensor x = at::randn({64, 32}, gen);
  for (Method m : kAll) {
    at::Tensor w = at::randn({8, 32}, gen);
    w[5][7] = std::nan("");
    const std::string err = errorOf([&] { quantizeMatrix(w, x, methodOf(m, bitsFor(m))); });
    EXPECT_NE(err.find("NaN"), std::string::npos) << methodName(m) << ": " << err;
    EXPECT_NE(err.find("[5, 7]"), std::string::npos) << methodName(m) << ": " << err;
    w[5][7] = INFINITY;
    EXPECT_THROW(quantizeMatrix(w, x, methodOf(m, bitsFor(m))), Error) << methodName(m);
  }
}

TEST(QuantBadInput, BitsOutsideOneToEight) {
  at::Tensor w = at::randn({4, 32});
  at::Tensor x = at::randn({16, 32});
  for (Method m : {Method::RTN, Method::GPTQ, Method::AWQ})
    for (int bits : {0, -1, 9, 16}) {
      const std::string err = errorOf([&] { quantizeMatrix(w, x, methodOf(m, bits)); });
      EXPECT_NE(err.find("bits"), std::string::npos) << methodName(m) << " " << bits << ": " << err;
    }
  for (Method m : {Method::NF4, Method::FP4}) EXPECT_THROW(quantizeMatrix(w, x, methodOf(m, 3)), Error);
  EXPECT_THROW(quantizeMatrix(w, x, methodOf(Method::INT8, 4)), Error);
  // 1 and 8 bits are the edges of the accepted range.
  for (int bits : {1, 8}) {
    QuantizedWeight q = quantizeMatrix(w, x, methodOf(Method::GPTQ, bits));
    EXPECT_LE(q.codes.max().item<int>(), (1 << bits) - 1);
  }
}

TEST(QuantBadInput, ShapeMismatches) {
  at::Tensor w = at::randn({4, 32});
  for (Method m : {Method::GPTQ, Method::AWQ, Method::INT8}) {
    const std::string err = errorOf([&] { quantizeMatrix(w, at::randn({16, 31}), methodOf(m, bitsFor(m))); });
    EXPECT_NE(err.find("31"), std::string::npos) << methodName(m) << ": " << err;
  }
  for (Method m : kAll) {
    EXPECT_THROW(quantizeMatrix(at::randn({32}), at::randn({16, 32}), methodOf(m, bitsFor(m))), Error)
        << methodName(m);
    EXPECT_THROW(quantizeMatrix(at::randn({2, 4, 8}), at::randn({16, 8}), methodOf(m, bitsFor(m))), Error)
        << methodName(m);
  }
  // A replacement weight of the wrong shape is refused by the model.
  auto model = model::createCausalLM(model::tinyGptNeoxConfig(), 1);
  const std::string err = errorOf([&] { model->setLinearWeight(0, "dense", at::zeros({64, 63})); });
  EXPECT_NE(err.find("[64, 63]"), std::string::npos) << err;
}

TEST(QuantBadInput, GroupNotDividingColumnsLeavesAValidPartialLastGroup) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
  at::Tensor w = at::randn({6, 40}, gen);
  at::Tensor x = at::randn({128, 40}, gen);
  for (Method m : {Method::RTN, Method::GPTQ, Method::AWQ}) {
    QuantizedWeight q = quantizeMatrix(w, x, methodOf(m, 3, 16));  // groups of 16, 16, 8
    ASSERT_EQ(q.scales.size(1), 3) << methodName(m);
    EXPECT_EQ(q.groupIndex[39].item<std::int64_t>(), 2) << methodName(m);
    EXPECT_EQ(q.groupIndex[32].item<std::int64_t>(), 2) << methodName(m);
    EXPECT_EQ(q.groupIndex[31].item<std::int64_t>(), 1) << methodName(m);
    EXPECT_GE(q.codes.min().item<int>(), 0);
    EXPECT_LE(q.codes.max().item<int>(), 7);
    EXPECT_TRUE(at::allclose(reconstructFromCodes(q), q.dequantized, 1e-5, 1e-6)) << methodName(m);
    EXPECT_TRUE(at::isfinite(q.dequantized).all().item<bool>());
  }
  EXPECT_THROW(quantizeMatrix(w, x, methodOf(Method::RTN, 3, 0)), Error);
  EXPECT_THROW(quantizeMatrix(w, x, methodOf(Method::RTN, 3, -5)), Error);
}

TEST(QuantBadInput, NaNWeightInAModelNamesTheTensor) {
  std::vector<std::uint32_t> calib(2000);
  for (std::size_t i = 0; i < calib.size(); ++i) calib[i] = static_cast<std::uint32_t>((i * 37) % 512);
  for (Method m : {Method::RTN, Method::GPTQ, Method::NF4}) {
    PipelineOptions o;
    o.method = methodOf(m, 4, 32);
    o.calibration.samples = 4;
    o.calibration.seqlen = 32;
    auto copy = model::createCausalLM(model::tinyGptNeoxConfig(2, 64, 4, 512), 2);
    {
      at::NoGradGuard guard;
      copy->linearWeight(1, "dense_h_to_4h")[3][9] = std::nan("");
    }
    const std::string err = errorOf([&] { quantizeModel(*copy, calib, o); });
    EXPECT_NE(err.find("gpt_neox.layers.1.mlp.dense_h_to_4h.weight"), std::string::npos)
        << methodName(m) << ": " << err;
    EXPECT_NE(err.find("NaN"), std::string::npos) << methodName(m) << ": " << err;
  }
}

TEST(QuantBadInput, PipelineRefusesBadOptionsAndShortCalibration) {
  auto model = model::createCausalLM(model::tinyGptNeoxConfig(), 4);
  std::vector<std::uint32_t> calib(100, 7);
  PipelineOptions o;
  o.method = methodOf(Method::GPTQ, 4, 32);
  o.calibration.samples = 4;
  o.calibration.seqlen = 128;  // more than the text holds
  EXPECT_THROW(quantizeModel(*model, calib, o), Error);
  o.calibration.seqlen = 32;
  o.method.bits = 0;
  EXPECT_NE(errorOf([&] { quantizeModel(*model, calib, o); }).find("bits"), std::string::npos);
  o.method.bits = 4;
  std::vector<std::uint32_t> outOfVocab(200, 600);  // vocab is 512
  EXPECT_NE(errorOf([&] { quantizeModel(*model, outOfVocab, o); }).find("vocabulary"), std::string::npos);
}
