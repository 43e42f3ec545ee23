// qidlab-cli tokenize, end to end.
#include <gtest/gtest.h>

#include <initializer_list>
#include <nlohmann/json.hpp>

#include "model/tokenizer_json.h"
#include "test_support.h"

namespace {

using qid::test::readFile;
using qid::test::runCli;
using qid::test::TempDir;
using qid::test::writeFile;

// Shell-quoted path, followed by a space.
std::string q(const std::filesystem::path& p) {
  std::string s(1, '\'');
  s += p.string();
  s += "' ";
  return s;
}

// Joins command-line pieces (avoids GCC 12's false -Wrestrict on chained string +).
std::string cmd(std::initializer_list<std::string> parts) {
  std::string s;
  for (const auto& p : parts) s += p;
  return s;
}

TEST(CliTokenize, CountsWritesIdsAndRoundTrips) {
  TempDir dir;
  qid::model::writeByteLevelTokenizerJson(dir / "tok.json");
  writeFile(dir / "in.txt", "Hi\r\n<|endoftext|>\xC3\xA9");
  auto r = runCli(cmd({"tokenize --tokenizer ", q(dir / "tok.json"), " --input ", q(dir / "in.txt"), " --output ", q(dir / "ids.u32"), " --decode --decode-output ", q(dir / "back.txt")}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("tokens: 7\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("first ids: 72 105 13 10 256 195 169"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("round trip: exact"), std::string::npos) << r.out;
  const std::string ids = readFile(dir / "ids.u32");
  ASSERT_EQ(ids.size(), 7u * 4);
  EXPECT_EQ(ids.substr(16, 4), std::string("\x00\x01\x00\x00", 4));  // 256, little-endian
  EXPECT_EQ(readFile(dir / "back.txt"), readFile(dir / "in.txt"));
}

TEST(CliTokenize, JsonOutputAndJsonlInput) {
  TempDir dir;
  qid::model::writeByteLevelTokenizerJson(dir / "tok.json");
  writeFile(dir / "docs.jsonl", "{\"text\": \"ab\"}\n{\"text\": \"c\"}\n");
  auto r = runCli(cmd({"tokenize --json --decode --tokenizer ", q(dir / "tok.json"), " --input ", q(dir / "docs.jsonl")}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["tokens"], 4);
  EXPECT_EQ(j["documents"], 2);
  EXPECT_EQ(j["first_ids"], nlohmann::json::parse("[97, 98, 256, 99]"));
  EXPECT_TRUE(j["round_trip"]["exact"].get<bool>());
  EXPECT_TRUE(j["output"].is_null());
}

TEST(CliTokenize, SpecialTokensAsText) {
  TempDir dir;
  qid::model::writeByteLevelTokenizerJson(dir / "tok.json");
  writeFile(dir / "in.txt", "<|endoftext|>");
  auto r = runCli(cmd({"tokenize --json --special-as-text --tokenizer ", q(dir / "tok.json"), " --input ", q(dir / "in.txt")}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["tokens"], 13);
}

TEST(CliTokenize, ClearErrors) {
  TempDir dir;
  qid::model::writeByteLevelTokenizerJson(dir / "tok.json");
  writeFile(dir / "ok.txt", "fine");
  writeFile(dir / "bad.txt", "ok\xFF");
  writeFile(dir / "broken.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": [\"a b\"]}}");

  auto r = runCli(cmd({"tokenize --tokenizer ", q(dir / "tok.json"), " --input ", q(dir / "bad.txt")}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("bad.txt: not valid UTF-8 at byte offset 2"), std::string::npos) << r.err;

  r = runCli(cmd({"tokenize --tokenizer ", q(dir / "missing.json"), " --input ", q(dir / "ok.txt")}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("missing.json: cannot open the tokenizer file"), std::string::npos) << r.err;

  r = runCli(cmd({"tokenize --tokenizer ", q(dir / "broken.json"), " --input ", q(dir / "ok.txt")}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("broken.json: pre_tokenizer is missing"), std::string::npos) << r.err;

  r = runCli(cmd({"tokenize --tokenizer ", q(dir / "tok.json")}));
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("--input"), std::string::npos) << r.err;
}

TEST(CliTokenize, WikitextGivesHfCount) {
  QID_REQUIRE_SHARED(tok, "tokenizers/gpt-neox-20b.tokenizer.json");
  QID_REQUIRE_SHARED(text, "wikitext-2-raw/wiki.test.raw");
  auto r = runCli(cmd({"tokenize --json --decode --tokenizer ", q(tok), " --input ", q(text)}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["tokens"], 288722);
  EXPECT_EQ(j["first_ids"], nlohmann::json::parse("[426, 6911, 378, 3941, 350, 426, 209, 2379, 6911, 378, 3941, 350]"));
  EXPECT_TRUE(j["round_trip"]["exact"].get<bool>());
}

TEST(CliTokenize, HelpDescribesOptions) {
  auto r = runCli("tokenize --help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* opt : {"--tokenizer", "--input", "--output", "--decode", "--json"})
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

}  // namespace
