// End-to-end test of qidlab-cli reproduce --tiny: the CI-sized study gives a
// report in which the fitted beta and alpha are finite (the full --quick run
// is checked by bench/bench_reproduce, not here).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "test_support.h"

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

using qid::test::runCli;
using qid::test::TempDir;
using nlohmann::json;

namespace {

bool haveKjv() { return std::system("command -v bible > /dev/null 2>&1") == 0; }

bool finite(const json& v) { return v.is_number() && std::isfinite(v.get<double>()); }

}  // namespace

TEST(ReproduceCli, TinyGivesAReportWithFiniteBetaAndAlpha) {
  if (!haveKjv()) GTEST_SKIP() << "Debian package bible-kjv is not installed (scripts/setup-deps installs it)";
  TempDir dir;
  const std::string out = (dir / "study").string();
  const auto r = runCli("reproduce --tiny --out " + out + " --no-charts --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  // Progress for each phase on stderr.
  for (const char* phase : {"[1/6] train", "[2/6] sweep", "[3/6] fluctuation", "[4/6] fit", "[6/6] report"})
    EXPECT_NE(r.err.find(phase), std::string::npos) << phase << "\n" << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(json::parse(qid::test::readFile(dir / "study" / "report.json"))["laws"], j["laws"]);
  const json& u = j["laws"]["unified"];
  EXPECT_EQ(u["family"], "ouyang-unified");
  for (const char* p : {"beta", "alpha", "gamma"}) {
    EXPECT_TRUE(finite(u["params"][p])) << p << ": " << u.dump();
    ASSERT_TRUE(u["ci"][p].is_array()) << p;
    EXPECT_TRUE(finite(u["ci"][p][0]) && finite(u["ci"][p][1])) << p;
    EXPECT_TRUE(finite(u["paper"]["params"][p])) << p;
  }
  for (const char* law : {"tokens", "size", "bits", "perbit", "kumar2024"})
    EXPECT_TRUE(j["laws"][law]["params"].is_object()) << law;
  EXPECT_TRUE(j["trend"]["tokens"]["seen"].is_boolean());
  EXPECT_FALSE(j["trend"]["tokens"]["statement"].get<std::string>().empty());
  EXPECT_EQ(j["sweep"]["cells"], 3 * 9 * 6);  // sizes x checkpoints x (rtn, gptq) x (2, 3, 4 bits)
  EXPECT_EQ(j["sweep"]["failed"], 0);
  EXPECT_EQ(j["phases"].size(), 6u);
  EXPECT_NE(j["charts"]["note"].get<std::string>(), "");
  EXPECT_NE(qid::test::readFile(dir / "study" / "report.md").find("## Timing"), std::string::npos);

  // A rerun resumes: nothing is trained or measured again.
  const auto again = runCli("reproduce --tiny --out " + out + " --no-charts --json");
  ASSERT_EQ(again.exitCode, 0) << again.err;
  const json k = json::parse(again.out);
  EXPECT_EQ(k["sweep"]["already_done"], j["sweep"]["cells"]);
  EXPECT_EQ(k["sweep"]["finished_now"], 0);
  EXPECT_EQ(k["laws"]["unified"]["params"], u["params"]);
}

TEST(ReproduceCli, BadOptionsAreOneLineErrors) {
  TempDir dir;
  const auto both = runCli("reproduce --tiny --quick --out " + (dir / "x").string());
  EXPECT_NE(both.exitCode, 0);
  const auto preset = runCli("reproduce --preset no-such-suite --out " + (dir / "x").string());
  EXPECT_EQ(preset.exitCode, 1);
  EXPECT_NE(preset.err.find("no-such-suite"), std::string::npos) << preset.err;
  const auto plotter = runCli("reproduce --tiny --plotter /no/such/qidlab-plot --out " + (dir / "x").string());
  EXPECT_EQ(plotter.exitCode, 1);
  EXPECT_NE(plotter.err.find("/no/such/qidlab-plot"), std::string::npos) << plotter.err;
}
