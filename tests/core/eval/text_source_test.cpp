#include "eval/text_source.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/tokenizer.h"
#include "model/tokenizer_json.h"
#include "test_support.h"

namespace {

using Ids = std::vector<std::uint32_t>;
using qid::test::TempDir;
using qid::test::writeFile;

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const qid::Error& e) {
    return e.what();
  }
  return "";
}

TEST(TextSource, ReadsBytesExactly) {
  TempDir dir;
  const std::string text = "line one\r\nline two\n\n\ttab \xC3\xA9 no final newline";
  writeFile(dir / "a.txt", text);
  EXPECT_EQ(qid::eval::readTextFile(dir / "a.txt"), text);
  writeFile(dir / "empty.txt", "");
  EXPECT_EQ(qid::eval::readTextFile(dir / "empty.txt"), "");
}

TEST(TextSource, NonUtf8NamesFileAndOffset) {
  TempDir dir;
  writeFile(dir / "latin1.txt", "caf\xE9 au lait");
  const std::string what = errorOf([&] { qid::eval::readTextFile(dir / "latin1.txt"); });
  EXPECT_NE(what.find("latin1.txt: not valid UTF-8 at byte offset 3 (byte 0xE9)"), std::string::npos) << what;
  EXPECT_NE(errorOf([&] { qid::eval::readTextFile(dir / "none.txt"); }).find("none.txt: cannot open"),
            std::string::npos);
}

TEST(TextSource, JsonlHasOneDocumentPerLine) {
  TempDir dir;
  writeFile(dir / "d.jsonl", "{\"text\": \"first\\nline\"}\n\n  \r\n{\"id\": 2, \"text\": \"second \\u00e9\"}\n");
  EXPECT_TRUE(qid::eval::isJsonlPath(dir / "d.jsonl"));
  EXPECT_TRUE(qid::eval::isJsonlPath("X.JSONL"));
  EXPECT_FALSE(qid::eval::isJsonlPath("x.txt"));
  EXPECT_EQ(qid::eval::readDocuments(dir / "d.jsonl"),
            (std::vector<std::string>{"first\nline", "second \u00E9"}));
}

TEST(TextSource, BadJsonlNamesFileAndLine) {
  TempDir dir;
  writeFile(dir / "a.jsonl", "{\"text\": \"ok\"}\n{\"body\": \"x\"}\n");
  EXPECT_NE(errorOf([&] { qid::eval::readJsonlTexts(dir / "a.jsonl"); }).find("a.jsonl:2: the line has no \"text\" field"),
            std::string::npos);
  writeFile(dir / "b.jsonl", "{\"text\": 5}\n");
  EXPECT_NE(errorOf([&] { qid::eval::readJsonlTexts(dir / "b.jsonl"); }).find("b.jsonl:1: \"text\" is not a string"),
            std::string::npos);
  writeFile(dir / "c.jsonl", "{\"text\": \"ok\"}\n{\"text\": \n");
  EXPECT_NE(errorOf([&] { qid::eval::readJsonlTexts(dir / "c.jsonl"); }).find("c.jsonl:2: not valid JSON"),
            std::string::npos);
}

TEST(TextSource, DocumentsAreJoinedByEndOfText) {
  const auto tok = qid::model::Tokenizer::fromJson(qid::model::byteLevelTokenizerJson());
  EXPECT_EQ(qid::eval::tokenizeDocuments(tok, {"ab", "c", ""}), (Ids{97, 98, 256, 99, 256}));
  EXPECT_EQ(qid::eval::tokenizeDocuments(tok, {"x"}), (Ids{120}));
  EXPECT_TRUE(qid::eval::tokenizeDocuments(tok, {}).empty());

  TempDir dir;
  writeFile(dir / "d.jsonl", "{\"text\": \"hi\"}\n{\"text\": \"yo\"}\n");
  std::int64_t lastDone = 0, total = 0;
  const Ids ids = qid::eval::tokenizeFile(tok, dir / "d.jsonl", [&](const qid::Progress& p) {
    lastDone = p.done;
    total = p.total;
    return true;
  });
  EXPECT_EQ(ids, (Ids{104, 105, 256, 121, 111}));
  EXPECT_EQ(total, 4);
  EXPECT_EQ(lastDone, 4);
}

TEST(TextSource, JoiningNeedsAnEndOfTextToken) {
  auto j = nlohmann::json::parse(qid::model::byteLevelTokenizerJson());
  j["added_tokens"] = nlohmann::json::array();
  j["model"]["vocab"].erase("<|endoftext|>");
  const auto tok = qid::model::Tokenizer::fromJson(j.dump(), "no-eos.json");
  EXPECT_NE(errorOf([&] { qid::eval::tokenizeDocuments(tok, {"a", "b"}); }).find("no-eos.json has no end-of-text token"),
            std::string::npos);
  EXPECT_EQ(qid::eval::tokenizeDocuments(tok, {"a"}), (Ids{97}));
}

}  // namespace
