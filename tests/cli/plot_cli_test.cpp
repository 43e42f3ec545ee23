// `qidlab-cli plot` without the GUI: the sibling qidlab-plot is missing, and
// the command says so in one line, naming where it looked.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.h"

TEST(PlotCli, WithoutQidlabPlotNextToItSaysTheGuiWasNotBuilt) {
  qid::test::TempDir dir;
  const auto copy = dir / "qidlab-cli";
  std::filesystem::copy_file(QIDLAB_CLI_PATH, copy);
  std::filesystem::permissions(copy, std::filesystem::perms::owner_all);
  std::string command(1, '\'');  // built by appending: GCC 12 warns on "literal" + string
  command += copy.string();
  command += "' plot --chart tokens --out x.pdf";
  const auto r = qid::test::runShell(command);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("qidlab-plot"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find((dir / "qidlab-plot").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-DQIDLAB_GUI=ON"), std::string::npos) << r.err;
}
