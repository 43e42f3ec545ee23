#include "train/corpus.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/error.h"
#include "test_support.h"

using namespace qid::train;

TEST(Corpus, BibleOutputBecomesPlainText) {
  const std::string raw =
      "Ge1:1 In the beginning God created the heaven and the earth.\n"
      "Ge1:2 And the earth was without form.\n"
      "Ge2:1 Thus the heavens and the earth were finished.\n";
  EXPECT_EQ(kjvPlainText(raw),
            "In the beginning God created the heaven and the earth.\n"
            "And the earth was without form.\n\n"
            "Thus the heavens and the earth were finished.\n");
}

TEST(Corpus, HoldoutIsDeterministicLineAlignedAndComplete) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line number " + std::to_string(i) + " of the corpus\n";
  HoldoutOptions opt;
  opt.blockBytes = 256;
  opt.evalEvery = 10;
  const CorpusSplit a = holdOut(text, opt);
  const CorpusSplit b = holdOut(text, opt);
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.eval, b.eval);
  EXPECT_EQ(a.train.size() + a.eval.size(), text.size());
  EXPECT_NEAR(static_cast<double>(a.eval.size()) / static_cast<double>(text.size()), 0.1, 0.03);
  EXPECT_EQ(a.eval.back(), '\n');
  EXPECT_EQ(a.eval.find("line number 0 "), std::string::npos);  // first block trains
  EXPECT_THROW(holdOut("tiny", opt), qid::Error);
}

TEST(Corpus, FilesAreJoinedAndMissingOnesNamed) {
  qid::test::TempDir dir;
  qid::test::writeFile(dir / "a.txt", "alpha");
  qid::test::writeFile(dir / "b.txt", "beta");
  EXPECT_EQ(readCorpusFiles({dir / "a.txt", dir / "b.txt"}), "alpha\n\nbeta");
  try {
    readCorpusFiles({dir / "missing.txt"});
    FAIL() << "expected an error";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.txt"), std::string::npos);
  }
}

TEST(Corpus, KingJamesBibleIsExtractedOnceIntoTheCache) {
  if (std::system("command -v bible >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "Debian package bible-kjv is not installed (scripts/setup-deps installs it)";
  qid::test::TempDir dir;
  const char* old = std::getenv("QIDLAB_CACHE");
  const std::string saved = old ? old : "";
  ::setenv("QIDLAB_CACHE", dir.path().c_str(), 1);
  const auto file = kjvTextFile();
  const CorpusSplit split = loadCorpus({});
  if (old) ::setenv("QIDLAB_CACHE", saved.c_str(), 1); else ::unsetenv("QIDLAB_CACHE");
  EXPECT_EQ(file, dir.path() / "bible-kjv.txt");
  const std::string text = qid::test::readFile(file);
  EXPECT_GT(text.size(), 4000000u);
  EXPECT_EQ(text.rfind("In the beginning God created the heaven and the earth.\n", 0), 0u);
  EXPECT_EQ(text.find("Ge1:1"), std::string::npos);
  EXPECT_EQ(split.source, "bible-kjv");
  EXPECT_GT(split.eval.size(), 50000u);
}
