#include "quant/calibration.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "quant/python_random.h"

using namespace qid::quant;

TEST(PythonRandom, MatchesCPython) {
  // CPython: random.seed(0); random.random(), random.random()
  PythonRandom r(0);
  EXPECT_DOUBLE_EQ(r.uniform(), 0.8444218515250481);
  EXPECT_DOUBLE_EQ(r.uniform(), 0.7579544029403025);
  // random.seed(42); random.random()
  PythonRandom r42(42);
  EXPECT_DOUBLE_EQ(r42.uniform(), 0.6394267984578837);
}

TEST(Calibration, SeededWindowsInRange) {
  CalibrationOptions o;
  o.samples = 50;
  o.seqlen = 100;
  auto a = calibrationWindows(1000, o);
  auto b = calibrationWindows(1000, o);
  ASSERT_EQ(a.size(), 50u);
  bool differ = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].start, b[i].start);
    EXPECT_GE(a[i].start, 0);
    EXPECT_LE(a[i].start + a[i].length, 999);  // randint(0, n - seqlen - 1)
    EXPECT_EQ(a[i].length, 100);
    differ |= a[i].start != a[0].start;
  }
  EXPECT_TRUE(differ);
  o.seed = 1;
  EXPECT_NE(calibrationWindows(1000, o)[0].start, a[0].start);
}

TEST(Calibration, RejectsShortText) {
  CalibrationOptions o;
  o.seqlen = 100;
  EXPECT_THROW(calibrationWindows(100, o), qid::Error);
  EXPECT_NO_THROW(calibrationWindows(101, o));
  o.samples = 0;
  EXPECT_THROW(calibrationWindows(1000, o), qid::Error);
}
