#include "quant/quant_method.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "quant/rtn.h"

using namespace qid::quant;

TEST(QuantMethod, ParsesNames) {
  EXPECT_EQ(parseMethod("GPTQ"), Method::GPTQ);
  EXPECT_EQ(parseMethod("nf4"), Method::NF4);
  EXPECT_EQ(methodName(parseMethod("awq")), "awq");
  EXPECT_THROW(parseMethod("gguf"), qid::Error);
}

TEST(QuantMethod, ValidatesOptions) {
  MethodOptions o;
  o.bits = 0;
  EXPECT_THROW(validate(o), qid::Error);
  o.bits = 9;
  EXPECT_THROW(validate(o), qid::Error);
  o.bits = 3;
  o.method = Method::NF4;
  EXPECT_THROW(validate(o), qid::Error);
  o.method = Method::RTN;
  o.groupSize = 0;
  EXPECT_THROW(validate(o), qid::Error);
  o.groupSize = -2;
  EXPECT_THROW(validate(o), qid::Error);
  o.groupSize = 128;
  o.percdamp = -1;
  EXPECT_THROW(validate(o), qid::Error);
}

TEST(QuantMethod, EveryMethodRuns) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(41);
  at::Tensor w = at::randn({32, 128}, gen);
  at::Tensor x = at::randn({256, 128}, gen);
  x.select(1, 9).mul_(20.0);  // an outlier column for int8
  for (auto m : {Method::RTN, Method::GPTQ, Method::AWQ, Method::NF4, Method::FP4, Method::INT8}) {
    MethodOptions o;
    o.method = m;
    o.bits = m == Method::INT8 ? 8 : 4;
    o.groupSize = 64;
    QuantizedWeight q = quantizeMatrix(w, x, o);
    double e = relativeOutputError(w, q.dequantized, x);
    EXPECT_GT(e, 0.0) << methodName(m);
    EXPECT_LT(e, 0.05) << methodName(m);
    EXPECT_TRUE(at::allclose(reconstructFromCodes(q), q.dequantized, 1e-5, 1e-6)) << methodName(m);
  }
}

TEST(QuantMethod, Int8KeepsOutlierColumns) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(42);
  at::Tensor w = at::randn({8, 16}, gen);
  at::Tensor x = at::randn({64, 16}, gen) * 0.5;
  x[5][11] = 9.0;
  MethodOptions o;
  o.method = Method::INT8;
  o.bits = 8;
  QuantizedWeight q = quantizeMatrix(w, x, o);
  ASSERT_EQ(q.keptColumns.numel(), 1);
  EXPECT_EQ(q.keptColumns[0].item<int64_t>(), 11);
  EXPECT_TRUE(at::equal(q.dequantized.select(1, 11), w.select(1, 11)));
}

TEST(QuantMethod, BadInput) {
  MethodOptions o;
  o.method = Method::GPTQ;
  at::Tensor w = at::randn({4, 8});
  EXPECT_THROW(quantizeMatrix(w, at::Tensor(), o), qid::Error);   // needs inputs
  EXPECT_THROW(quantizeMatrix(w, at::randn({10, 7}), o), qid::Error);  // shape mismatch
  at::Tensor x = at::randn({10, 8});
  x[3][3] = INFINITY;
  EXPECT_THROW(quantizeMatrix(w, x, o), qid::Error);
  EXPECT_THROW(quantizeMatrix(at::randn({2, 3, 4}), at::Tensor(), MethodOptions{Method::RTN}),
               qid::Error);
}
