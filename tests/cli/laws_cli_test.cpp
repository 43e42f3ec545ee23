// End-to-end tests of qidlab-cli laws, predict, table, fit and demo.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

#include "test_support.h"

// GCC 12 reports a false -Wrestrict inside std::string for "literal" + string
// (GCC bug 105651); the command lines below are built that way.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

using qid::test::runCli;
using qid::test::TempDir;
using qid::test::writeFile;

namespace {

// One line on stderr that starts with the CLI's error prefix, exit 1.
void expectOneLineError(const qid::test::RunResult& r, const std::string& needle) {
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_EQ(r.err.rfind("qidlab-cli: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

std::string unifiedCsv(double noise, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> eps(0, noise);
  std::string csv = "N,D,bits,delta_q_loss,model\n";
  for (double n : {7e7, 1.6e8, 4.1e8, 1e9, 2.8e9})
    for (double d : {1e9, 1e10, 3e10, 1e11, 3e11})
      for (double p : {2.0, 3.0, 4.0}) {
        double y = 0.017 * std::pow(d, 0.5251) / (std::pow(n, 0.2261) * std::pow(p, 5.4967)) *
                   std::exp(eps(rng));
        char line[160];
        std::snprintf(line, sizeof line, "%g,%g,%g,%.10g,pythia\n", n, d, p, y);
        csv += line;
      }
  return csv;
}

}  // namespace

TEST(CliLaws, ListsPresetsAndFamilies) {
  auto r = runCli("laws --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["presets"].size(), 7u);
  EXPECT_GE(j["families"].size(), 9u);
  auto text = runCli("laws");
  EXPECT_NE(text.out.find("ouyang2025-perbit"), std::string::npos);
  EXPECT_NE(text.out.find("kumar2024"), std::string::npos);
}

TEST(CliPredict, UnifiedAt7BAnd1e14TokensGivesFigure1Numbers) {
  auto r = runCli("predict --law ouyang2025-unified --N 7e9 --D 1e14 --bits 2,3,4");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("50.26"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5.411"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1.113"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning: D=1e+14"), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(runCli("predict --law ouyang2025-unified --N 7e9 --D 1e14 --bits 2,3,4 --json").out);
  ASSERT_EQ(j["predictions"].size(), 3u);
  EXPECT_NEAR(j["predictions"][0]["delta_q_loss"].get<double>(), 50.26, 0.005);
  EXPECT_NEAR(j["predictions"][1]["delta_q_loss"].get<double>(), 5.411, 0.0005);
  EXPECT_NEAR(j["predictions"][2]["delta_q_loss"].get<double>(), 1.113, 0.0005);
  EXPECT_TRUE(j["predictions"][0]["worse_than_random"].get<bool>());
  EXPECT_FALSE(j["predictions"][2]["worse_than_random"].get<bool>());
  EXPECT_NEAR(j["random_loss"].get<double>(), 10.826, 0.001);
}

TEST(CliPredict, GridAndVocabulary) {
  auto j = nlohmann::json::parse(
      runCli("predict --law ouyang2025-unified --N 7e9,70e9,405e9 --D 1e12,1e14 --bits 3,4 --vocab 1000 --json").out);
  EXPECT_EQ(j["predictions"].size(), 12u);
  EXPECT_NEAR(j["random_loss"].get<double>(), std::log(1000.0), 1e-9);
}

TEST(CliPredict, BadInput) {
  expectOneLineError(runCli("predict --law no-such-law --N 7e9 --D 1e14 --bits 4"), "unknown law 'no-such-law'");
  expectOneLineError(runCli("predict --law ouyang2025-unified --N 7e9,abc --D 1e14 --bits 4"), "--N: 'abc'");
  expectOneLineError(runCli("predict --law ouyang2025-unified --N 7e9 --bits 4"), "needs --D");
  expectOneLineError(runCli("predict --law ouyang2025-tokens --D 1e12"), "does not state its parameter k");
}

TEST(CliTable, PerBitPresetReproducesTable1) {
  auto r = runCli("table --law ouyang2025-perbit --sizes 1e9,7e9,70e9,405e9 --targets 0.2,0.3,0.4,0.5 --bits 2,3,4 --format csv");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("4.05e+11,0.5,4,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(",196.3829\n"), std::string::npos) << r.out;
  auto latex = runCli("table --law ouyang2025-perbit --format latex");
  EXPECT_NE(latex.out.find("\\toprule"), std::string::npos);
  EXPECT_NE(latex.out.find("405B & 0.0151 / 2.5807 / 48.4861"), std::string::npos) << latex.out;
  auto md = runCli("table --law ouyang2025-perbit --format markdown");
  EXPECT_NE(md.out.find("| 7B | 0.0026 / 0.3038 / 4.5066 |"), std::string::npos) << md.out;
  auto j = nlohmann::json::parse(runCli("table --law ouyang2025-perbit --format json").out);
  EXPECT_EQ(j["cells"].size(), 48u);
  expectOneLineError(runCli("table --law ouyang2025-perbit --format pdf"), "unknown table format 'pdf'");
}

TEST(CliFit, UnifiedFitJsonSaveAndPredictWithTheSavedLaw) {
  TempDir tmp;
  writeFile(tmp / "d.csv", unifiedCsv(0.03, 1));
  std::string law = (tmp / "mine.json").string();
  auto r = runCli("fit --data '" + (tmp / "d.csv").string() + "' --law ouyang-unified --bootstrap 200 --json --save-law '" + law + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"params", "stderr", "rss", "aic", "bic", "ci", "cv", "backtest", "multistart"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_NEAR(j["params"]["beta"].get<double>(), 0.5251, 0.02);
  EXPECT_TRUE(j["backtest"]["done"].get<bool>());
  EXPECT_LE(j["ci"]["beta"][0].get<double>(), 0.5251);
  EXPECT_GE(j["ci"]["beta"][1].get<double>(), 0.5251);
  auto p = runCli("predict --law '" + law + "' --N 1e9 --D 1e11 --bits 3 --json");
  ASSERT_EQ(p.exitCode, 0) << p.err;
  auto pj = nlohmann::json::parse(p.out);
  EXPECT_TRUE(pj["predictions"][0].contains("ci"));
  auto text = runCli("fit --data '" + (tmp / "d.csv").string() + "' --law ouyang-unified --bootstrap 50");
  EXPECT_NE(text.out.find("backtest: fitted on"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("cross-validation: leave-one-size-out"), std::string::npos) << text.out;
}

TEST(CliFit, HuberOption) {
  TempDir tmp;
  writeFile(tmp / "d.csv", unifiedCsv(0.03, 2));
  auto r = runCli("fit --data '" + (tmp / "d.csv").string() + "' --law ouyang-unified --huber 0.1 --bootstrap 0 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["huber_delta"].get<double>(), 0.1);
  EXPECT_GE(j["multistart"]["starts"].get<int>(), 2);
}

TEST(CliFit, FormulaSolvesMisra1a) {
  TempDir tmp;
  writeFile(tmp / "misra.csv",
            "x,y\n77.6,10.07\n114.9,14.73\n141.1,17.94\n190.8,23.93\n239.9,29.61\n289.0,35.18\n"
            "332.8,40.02\n378.4,44.82\n434.8,50.76\n477.3,55.05\n536.8,61.01\n593.1,66.40\n"
            "689.1,75.47\n760.0,81.78\n");
  auto r = runCli("fit --data '" + (tmp / "misra.csv").string() +
                  "' --formula 'b1*(1-exp(-b2*x))' --start b1=500,b2=1e-4 --y y --bootstrap 0 --starts 1 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["params"]["b1"].get<double>() / 2.3894212918E+02, 1.0, 5e-7);
  EXPECT_NEAR(j["params"]["b2"].get<double>() / 5.5015643181E-04, 1.0, 5e-7);
}

TEST(CliFit, BadInputGivesOneLineErrors) {
  TempDir tmp;
  auto file = [&](const std::string& name, const std::string& content) {
    writeFile(tmp / name, content);
    return "'" + (tmp / name).string() + "'";
  };
  expectOneLineError(runCli("fit --data " + file("m.csv", "N,D,bits,delta_q_loss\n1e9,1e11,3\n") + " --law ouyang-unified"),
                     "m.csv line 2: 3 cells, but the header has 4 columns");
  expectOneLineError(runCli("fit --data " + file("c.csv", "N,D,delta_q_loss\n1e9,1e11,0.1\n") + " --law ouyang-unified"),
                     "c.csv: missing column 'bits'");
  expectOneLineError(runCli("fit --data " + file("z.csv", "N,D,bits,delta_q_loss\n1e9,1e11,3,0.1\n1e9,0,3,0.1\n") +
                            " --law ouyang-unified"),
                     "z.csv line 3: D=0 is not positive");
  expectOneLineError(runCli("fit --data " + file("t.csv", "N,D,bits,delta_q_loss\n1e9,1e11,3,0.1\n2e9,1e11,3,0.1\n") +
                            " --law ouyang-unified"),
                     "2 points, but ouyang-unified has 4 parameters");
  std::string xy = file("xy.csv", "x,y\n1,2\n2,3\n3,5\n");
  expectOneLineError(runCli("fit --data " + xy + " --formula 'a*(x+' --start a=1"), "does not parse");
  expectOneLineError(runCli("fit --data " + xy + " --formula 'a*x+q' --start a=1"), "unknown variable 'q'");
  expectOneLineError(runCli("fit --data " + xy + " --formula 'a*x' --start a=1,b=2"), "--start names 'b'");
  expectOneLineError(runCli("fit --data " + xy + " --formula 'a*x'"), "needs --start");
  expectOneLineError(runCli("fit --data " + xy + " --law nope"), "unknown law 'nope'");
  expectOneLineError(runCli("fit --data " + (tmp / "absent.csv").string() + " --law ouyang-unified"), "absent.csv: cannot open");
}

TEST(CliFit, NonConvergenceIsAnErrorNotNaN) {
  TempDir tmp;
  writeFile(tmp / "n.csv", "x,y\n1,1\n2,-1\n3,1\n4,-1\n5,1\n");
  auto r = runCli("fit --data '" + (tmp / "n.csv").string() +
                  "' --formula 'a*exp(b*x)' --start a=1,b=300 --y y --starts 1 --bootstrap 0");
  expectOneLineError(r, "did not converge");
  EXPECT_EQ(r.out.find("nan"), std::string::npos);
}

TEST(CliDemo, PrintsLawsFigure1AndTable1) {
  auto r = runCli("demo");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("ouyang2025-unified"), std::string::npos);
  EXPECT_NE(r.out.find("50.26"), std::string::npos);
  EXPECT_NE(r.out.find("worse than random"), std::string::npos);
  EXPECT_NE(r.out.find("Table 1"), std::string::npos);
  EXPECT_NE(r.out.find("196.3829"), std::string::npos);
}
