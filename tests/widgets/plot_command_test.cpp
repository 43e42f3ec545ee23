// qidlab-plot renders every chart offscreen into valid figures, and
// `qidlab-cli plot` runs it with the same arguments.
#include <gtest/gtest.h>

#include <QImage>
#include <filesystem>

#include "laws/law.h"
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

TEST(PlotCommand, TakesALawFileAsReproduceWritesThem) {
  qid::test::TempDir dir;
  qid::laws::Law law = qid::laws::loadLaw("ouyang2025-unified");
  law.name = "my-fit";
  const auto file = dir / "my-fit.json";
  qid::laws::saveLaw(law, file.string());
  const auto out = dir / "fig.png";
  const auto r = qid::test::runShell(plotter() + " --chart tokens --law '" + file.string() + "' --out '" + out.string() +
                                     "' --dpi 100 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("\"law\":\"my-fit\""), std::string::npos) << r.out;
  EXPECT_FALSE(QImage(QString::fromStdString(out.string())).isNull());
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
