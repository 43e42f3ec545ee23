#include "jobs/token_cache.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <thread>

#include "common/error.h"
#include "model/tokenizer_json.h"
#include "test_support.h"

using qid::jobs::TokenCache;
namespace fs = std::filesystem;

TEST(TokenCache, TokenizesEachTextAndTokenizerPairOnce) {
  qid::test::TempDir tmp;
  fs::create_directories(tmp / "a");
  fs::create_directories(tmp / "b");
  qid::model::writeByteLevelTokenizerJson(tmp / "a" / "tokenizer.json");
  qid::model::writeByteLevelTokenizerJson(tmp / "b" / "tokenizer.json");  // same bytes, other folder
  qid::test::writeFile(tmp / "text.txt", "hello world");
  TokenCache cache(4);
  std::vector<std::shared_ptr<const qid::jobs::TokenIds>> got(6);
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] { got[size_t(i)] = cache.tokens(tmp / "text.txt", "", tmp / (i % 2 ? "a" : "b") / "tokenizer.json"); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(cache.tokenizations(), 1);
  for (const auto& g : got) EXPECT_EQ(g, got[0]);
  EXPECT_EQ(*got[0], (qid::jobs::TokenIds{104, 101, 108, 108, 111, 32, 119, 111, 114, 108, 100}));

  // Another tokenizer (different content) tokenizes again.
  auto j = nlohmann::json::parse(qid::model::byteLevelTokenizerJson());
  j["model"]["vocab"]["ll"] = 257;
  j["model"]["merges"] = {"l l"};
  qid::test::writeFile(tmp / "c" / "tokenizer.json", j.dump());
  auto merged = cache.tokens(tmp / "text.txt", "", tmp / "c" / "tokenizer.json");
  EXPECT_EQ(cache.tokenizations(), 2);
  EXPECT_EQ(merged->size(), got[0]->size() - 1);

  // Changed text content is a new entry too; the cache stays bounded.
  for (int i = 0; i < 6; ++i) {
    qid::test::writeFile(tmp / "text.txt", "text " + std::to_string(i));
    cache.tokens(tmp / "text.txt", "", tmp / "a" / "tokenizer.json");
  }
  EXPECT_EQ(cache.tokenizations(), 8);
  EXPECT_LE(cache.size(), 4u);
}

TEST(TokenCache, MissingFilesAreNamed) {
  qid::test::TempDir tmp;
  qid::test::writeFile(tmp / "text.txt", "x");
  TokenCache cache;
  try {
    cache.tokens(tmp / "text.txt", "", tmp / "ckpt" / "tokenizer.json");
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find((tmp / "ckpt" / "tokenizer.json").string()), std::string::npos) << e.what();
  }
  qid::model::writeByteLevelTokenizerJson(tmp / "tokenizer.json");
  try {
    cache.tokens(tmp / "missing.txt", "", tmp / "tokenizer.json");
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.txt"), std::string::npos) << e.what();
  }
  EXPECT_EQ(cache.tokenizations(), 0);
}
