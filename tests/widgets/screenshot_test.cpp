// `qidlab --screenshot` renders the main window offscreen and exits.
#include <gtest/gtest.h>

#include <QImage>

#include "test_support.h"

namespace {

#ifdef QIDLAB_GUI_PATH
TEST(Screenshot, RendersTheChartAndExits) {
  qid::test::TempDir dir;
  const auto png = dir / "shot.png";
  const auto r = qid::test::runShell("QT_QPA_PLATFORM=offscreen '" + std::string(QIDLAB_GUI_PATH) +
                                     "' --screenshot '" + png.string() + "' --chart size --size 1200x800");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  QImage img(QString::fromStdString(png.string()));
  ASSERT_FALSE(img.isNull());
  EXPECT_EQ(img.width(), 1200);
  EXPECT_EQ(img.height(), 800);
}

TEST(Screenshot, EveryTabRendersInChineseToo) {
  qid::test::TempDir dir;
  for (const char* chart : {"tokens", "map", "predicted", "table"}) {
    const auto png = dir / (std::string(chart) + ".png");
    std::string command = "QT_QPA_PLATFORM=offscreen '";
    command += QIDLAB_GUI_PATH;
    command += "' --screenshot '" + png.string() + "' --chart " + chart + " --lang zh_CN --size 900x600";
    const auto r = qid::test::runShell(command);
    ASSERT_EQ(r.exitCode, 0) << chart << ": " << r.err;
    EXPECT_EQ(QImage(QString::fromStdString(png.string())).width(), 900) << chart;
  }
}

TEST(Screenshot, UnknownChartIsAnError) {
  qid::test::TempDir dir;
  const auto r = qid::test::runShell("QT_QPA_PLATFORM=offscreen '" + std::string(QIDLAB_GUI_PATH) +
                                     "' --screenshot '" + (dir / "x.png").string() + "' --chart pie");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("unknown chart 'pie'"), std::string::npos) << r.err;
}
#endif

}  // namespace
