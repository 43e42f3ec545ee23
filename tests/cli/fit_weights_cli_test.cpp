// qidlab-cli fit --weighted / --ci-columns: fits weighted by each point's
// ΔqLoss uncertainty, reported as such.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "test_support.h"

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"  // GCC bug 105651, as in laws_cli_test.cpp
#endif

using qid::test::runCli;
using qid::test::TempDir;

namespace {

// Unified-law points; every other point is 40x noisier and says so.
std::string noisyCsv() {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> eps(0, 1);
  std::string csv = "N,D,bits,delta_q_loss,stderr,delta_ci_lo,delta_ci_hi\n";
  int i = 0;
  for (double n : {7e7, 4.1e8, 1e9, 2.8e9})
    for (double d : {1e9, 1e10, 1e11, 3e11})
      for (double p : {2.0, 3.0, 4.0}) {
        double rel = (i++ % 2) ? 0.6 : 0.015;
        double y = 0.017 * std::pow(d, 0.5251) / (std::pow(n, 0.2261) * std::pow(p, 5.4967)) * std::exp(rel * eps(rng));
        char line[200];
        std::snprintf(line, sizeof line, "%g,%g,%g,%.10g,%.10g,%.10g,%.10g\n", n, d, p, y, rel * y,
                      y - 1.959964 * rel * y, y + 1.959964 * rel * y);
        csv += line;
      }
  return csv;
}

}  // namespace

TEST(CliFitWeights, WeightedFitsUseTheStandardErrorsOrTheIntervals) {
  TempDir tmp;
  qid::test::writeFile(tmp / "d.csv", noisyCsv());
  const std::string base = "fit --data '" + (tmp / "d.csv").string() + "' --law ouyang-unified --bootstrap 0 ";
  auto plain = runCli(base + "--json");
  auto weighted = runCli(base + "--weighted --json");
  auto ci = runCli(base + "--ci-columns delta_ci_lo,delta_ci_hi --json");
  ASSERT_EQ(plain.exitCode, 0) << plain.err;
  ASSERT_EQ(weighted.exitCode, 0) << weighted.err;
  ASSERT_EQ(ci.exitCode, 0) << ci.err;
  auto p = nlohmann::json::parse(plain.out), w = nlohmann::json::parse(weighted.out), c = nlohmann::json::parse(ci.out);
  EXPECT_TRUE(p["weighting"].is_null());
  EXPECT_NE(w["weighting"].get<std::string>().find("stderr"), std::string::npos) << w["weighting"];
  EXPECT_NE(c["weighting"].get<std::string>().find("delta_ci_lo..delta_ci_hi"), std::string::npos);
  const double bw = w["params"]["beta"], bp = p["params"]["beta"], bc = c["params"]["beta"];
  EXPECT_LT(std::abs(bw - 0.5251), std::abs(bp - 0.5251));
  EXPECT_NEAR(bw, bc, 1e-5);
  auto text = runCli(base + "--weighted");
  EXPECT_NE(text.out.find("weighted by inverse variance from the standard-error column stderr"), std::string::npos)
      << text.out;
  auto bad = runCli(base + "--ci-columns delta_ci_lo");
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("is not LO,HI"), std::string::npos) << bad.err;
}
