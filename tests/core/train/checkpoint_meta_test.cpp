#include "train/checkpoint_meta.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "test_support.h"

using namespace qid::train;

TEST(CheckpointMeta, RoundTripsAndListsRunsByStep) {
  qid::test::TempDir dir;
  for (std::int64_t step : {16, 2, 0}) {
    CheckpointMeta m;
    m.step = step;
    m.tokensSeen = step * 512;
    m.learningRate = 1e-3 / static_cast<double>(step + 1);
    m.run = "r";
    std::filesystem::create_directories(dir / "r" / stepFolderName(step));
    writeCheckpointMeta(dir / "r" / stepFolderName(step), m);
  }
  std::filesystem::create_directories(dir / "r" / "step32.partial");  // torn write: ignored
  std::filesystem::create_directories(dir / "empty");
  const auto list = listRunCheckpoints(dir / "r");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].meta.step, 0);
  EXPECT_EQ(list[2].meta.step, 16);
  EXPECT_EQ(list[2].meta.tokensSeen, 8192);
  EXPECT_DOUBLE_EQ(list[1].meta.learningRate, 1e-3 / 3);
  EXPECT_TRUE(std::isnan(list[1].meta.trainLoss));
  const auto runs = listSuiteRuns(dir.path());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].filename(), "r");
}

TEST(CheckpointMeta, BadFilesAreNamed) {
  qid::test::TempDir dir;
  qid::test::writeFile(dir / kMetaFile, "{\"step\": 3}");
  try {
    readCheckpointMeta(dir.path());
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("tokens_seen"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find(kMetaFile), std::string::npos);
  }
  qid::test::writeFile(dir / kMetaFile, "{not json");
  EXPECT_THROW(readCheckpointMeta(dir.path()), qid::Error);
  EXPECT_THROW(listSuiteRuns(dir / "nope"), qid::Error);
}
