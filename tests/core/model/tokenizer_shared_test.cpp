// The tokenizer against the facts in shared/data/README.md: HF tokenizers'
// id counts and leading ids for two files with the GPT-NeoX-20B tokenizer.
#include <gtest/gtest.h>

#include <vector>

#include "eval/text_source.h"
#include "model/tokenizer.h"
#include "test_support.h"

namespace {

using qid::model::Tokenizer;

const Tokenizer& neox(const std::filesystem::path& path) {
  static const Tokenizer tok = Tokenizer::fromFile(path);
  return tok;
}

TEST(TokenizerShared, WikitextTestCountAndLeadingIds) {
  QID_REQUIRE_SHARED(tokPath, "tokenizers/gpt-neox-20b.tokenizer.json");
  QID_REQUIRE_SHARED(textPath, "wikitext-2-raw/wiki.test.raw");
  const std::string text = qid::eval::readTextFile(textPath);
  const auto ids = neox(tokPath).encode(text);
  EXPECT_EQ(ids.size(), 288722u);
  const std::vector<std::uint32_t> lead{426, 6911, 378, 3941, 350, 426, 209, 2379, 6911, 378, 3941, 350};
  ASSERT_GE(ids.size(), lead.size());
  EXPECT_EQ(std::vector<std::uint32_t>(ids.begin(), ids.begin() + 12), lead);
  EXPECT_EQ(neox(tokPath).decode(ids), text);
}

TEST(TokenizerShared, TinyShakespeareCountAndLeadingIds) {
  QID_REQUIRE_SHARED(tokPath, "tokenizers/gpt-neox-20b.tokenizer.json");
  QID_REQUIRE_SHARED(textPath, "corpora/tinyshakespeare.txt");
  const std::string text = qid::eval::readTextFile(textPath);
  const auto ids = neox(tokPath).encode(text);
  EXPECT_EQ(ids.size(), 340240u);
  const std::vector<std::uint32_t> lead{6407, 47422, 27, 187, 8639, 359, 4262, 667, 2007, 13, 4089, 479};
  ASSERT_GE(ids.size(), lead.size());
  EXPECT_EQ(std::vector<std::uint32_t>(ids.begin(), ids.begin() + 12), lead);
  EXPECT_EQ(neox(tokPath).decode(ids), text);
}

}  // namespace
