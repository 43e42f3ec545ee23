// qidlab-plot renders every chart offscreen into valid figures, and
// `qidlab-cli plot` runs it with the same arguments.
#include <gtest/gtest.h>

#include <QImage>
#include <filesystem>

#include "test_support.h"

namespace {

// "'.../qidlab-plot'", built by appending (GCC 12 warns on "literal" + string).
std::string plotter() {
  std::string q(1, '\'');
  q += (std::filesystem::path(QIDLAB_CLI_PATH).parent_path() / "qidlab-plot").string();
  q += '\'';
  return q;
}

TEST(PlotCommand, RendersEveryChartToPng) {
  qid::test::TempDir dir;
  for (const char* chart : {"tokens", "size", "bits", "lossq", "map", "predicted"}) {
    const auto out = dir / (std::string(chart) + ".png");
    const auto r = qid::test::runShell(plotter() + " --chart " + chart + " --out '" + out.string() + "' --dpi 100");
    ASSERT_EQ(r.exitCode, 0) << chart << ": " << r.err;
    QImage img(QString::fromStdString(out.string()));
    ASSERT_FALSE(img.isNull()) << chart;
    EXPECT_EQ(img.width(), 350);  // single column, 3.5 in at 100 DPI
  }
}

TEST(PlotCommand, CliPlotRunsItWithTheSameArgumentsAndJson) {
  qid::test::TempDir dir;
  const auto out = dir / "fig.pdf";
  const auto r = qid::test::runCli("plot --chart tokens --law ouyang2025-unified --out '" + out.string() +
                                   "' --extrapolate 1e13 --style double --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("\"chart\":\"tokens\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"extrapolate\":10000000000000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"width_in\":7"), std::string::npos) << r.out;
  EXPECT_EQ(qid::test::readFile(out).rfind("%PDF-", 0), 0u);
}

TEST(PlotCommand, DrawsALawFileAndReproduceGetsItsCharts) {
  qid::test::TempDir dir;
  // A law file (what `fit --save-law` and `reproduce` write) is drawn under its name.
  const auto lawFile = dir / "mylaw.json";
  std::string fit = "fit --data '";
  fit += std::string(QIDLAB_SOURCE_DIR) + "/resources/datasets/ouyang2025-table1.csv' --law ouyang-unified";
  fit += " --bootstrap 0 --quiet --save-law '" + lawFile.string() + "'";
  auto r = qid::test::runCli(fit);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto out = dir / "law.svg";
  r = qid::test::runShell(plotter() + " --chart tokens --law '" + lawFile.string() + "' --out '" + out.string() + "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("\"law\":\"mylaw\""), std::string::npos) << r.out;
  EXPECT_NE(qid::test::readFile(out).find("<svg"), std::string::npos);

  // reproduce renders its charts through qidlab-plot with the laws it fitted.
  const auto study = dir / "study";
  r = qid::test::runCli("reproduce --tiny --quiet --out '" + study.string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  int pngs = 0;
  for (const auto& e : std::filesystem::directory_iterator(study / "charts")) pngs += e.path().extension() == ".png";
  EXPECT_GE(pngs, 6) << qid::test::readFile(study / "charts" / "qidlab-plot.log");
}

TEST(PlotCommand, BadInputIsOneClearLine) {
  qid::test::TempDir dir;
  std::string out = "--out '";
  out += (dir / "x.svg").string() + "'";
  auto r = qid::test::runShell(plotter() + " --chart pie " + out);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("unknown chart 'pie'"), std::string::npos) << r.err;
  r = qid::test::runShell(plotter() + " --law nosuchlaw " + out);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("unknown law 'nosuchlaw'"), std::string::npos) << r.err;
  r = qid::test::runShell(plotter() + " --project /no/such.qidlab " + out);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("/no/such.qidlab"), std::string::npos) << r.err;
  r = qid::test::runShell(plotter() + " --extrapolate 1e20 " + out);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("outside"), std::string::npos) << r.err;
  r = qid::test::runShell(plotter() + " --chart tokens --out '" + (dir / "x.bmp").string() + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("unknown figure format"), std::string::npos) << r.err;
  r = qid::test::runCli("plot --help");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("--extrapolate"), std::string::npos) << r.out;
}

}  // namespace
