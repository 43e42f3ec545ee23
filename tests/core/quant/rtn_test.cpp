#include "quant/rtn.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "quant/quant_grid.h"

using namespace qid::quant;

TEST(Rtn, PerRowMatchesGrid) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(2);
  at::Tensor w = at::randn({8, 40}, gen);
  QuantizedWeight q = rtnQuantize(w, {3, -1, false});
  EXPECT_TRUE(at::allclose(q.dequantized, fakeQuantize(w, fitMinMax(w, 3, false), 3)));
  EXPECT_EQ(q.scales.sizes(), (at::IntArrayRef{8, 1}));
  EXPECT_TRUE(at::allclose(reconstructFromCodes(q), q.dequantized));
}

TEST(Rtn, PartialLastGroup) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
  at::Tensor w = at::randn({4, 40}, gen);
  QuantizedWeight q = rtnQuantize(w, {4, 16, true});
  ASSERT_EQ(q.scales.size(1), 3);  // 16 + 16 + 8
  EXPECT_EQ(q.groupIndex[39].item<int64_t>(), 2);
  at::Tensor last = w.slice(1, 32, 40);
  EXPECT_TRUE(at::allclose(q.dequantized.slice(1, 32, 40),
                           fakeQuantize(last, fitMinMax(last, 4, true), 4)));
  EXPECT_TRUE(at::allclose(reconstructFromCodes(q), q.dequantized));
  EXPECT_LE(q.codes.max().item<int>(), 15);
}

TEST(Rtn, MoreBitsLessError) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(4);
  at::Tensor w = at::randn({16, 64}, gen);
  double prev = 1e9;
  for (int bits = 2; bits <= 8; ++bits) {
    double e = (rtnQuantize(w, {bits, 32, false}).dequantized - w).pow(2).sum().item<double>();
    EXPECT_LT(e, prev);
    prev = e;
  }
}

TEST(Rtn, BadInput) {
  at::Tensor w = at::ones({2, 4});
  EXPECT_THROW(rtnQuantize(w, {0, -1, false}), qid::Error);
  EXPECT_THROW(rtnQuantize(w, {4, 0, false}), qid::Error);
  EXPECT_THROW(rtnQuantize(at::ones({4}), {4, -1, false}), qid::Error);
  w[1][2] = std::nan("");
  try {
    rtnQuantize(w, {4, -1, false});
    FAIL() << "NaN accepted";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("NaN"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("[1, 2]"), std::string::npos) << e.what();
  }
}
