// Tokenizers the tests build themselves, from the byte-level tokenizer.json
// the micro-suite trainer writes. Expected ids for the custom ones come from
// HF tokenizers 0.23 on the same JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/tokenizer.h"
#include "model/tokenizer_byte_level.h"
#include "model/tokenizer_json.h"
#include "test_support.h"

namespace {

using nlohmann::json;
using qid::model::Tokenizer;
using Ids = std::vector<std::uint32_t>;

std::string alias(const std::string& bytes) { return qid::model::bytesToAliases(bytes); }

TEST(ByteLevelTokenizer, OneIdPerByteAndEndOfText) {
  const Tokenizer tok = Tokenizer::fromJson(qid::model::byteLevelTokenizerJson());
  EXPECT_EQ(tok.vocabSize(), 257u);
  EXPECT_EQ(tok.eosId(), 256u);
  EXPECT_FALSE(tok.normalizesNfc());
  EXPECT_EQ(tok.encode("Hi there"), (Ids{72, 105, 32, 116, 104, 101, 114, 101}));
  EXPECT_EQ(tok.encode("a<|endoftext|>b"), (Ids{97, 256, 98}));
  // No normalizer: a decomposed letter stays decomposed, byte for byte.
  EXPECT_EQ(tok.encode("e\u0301"), (Ids{101, 0xCC, 0x81}));
}

TEST(ByteLevelTokenizer, RoundTripsEveryByteSequenceOfValidText) {
  const Tokenizer tok = Tokenizer::fromJson(qid::model::byteLevelTokenizerJson());
  std::string text;
  for (int c = 1; c < 0x80; ++c) text.push_back(static_cast<char>(c));
  text += "\r\n\t  é 日本 \U0001F600 \u0301";
  const Ids ids = tok.encode(text);
  ASSERT_EQ(ids.size(), text.size());
  for (std::size_t i = 0; i < text.size(); ++i) EXPECT_EQ(ids[i], static_cast<unsigned char>(text[i]));
  EXPECT_EQ(tok.decode(ids), text);
}

TEST(ByteLevelTokenizer, WrittenFileLoadsAgain) {
  qid::test::TempDir dir;
  const auto path = dir / "tokenizer.json";
  qid::model::writeByteLevelTokenizerJson(path);
  const Tokenizer tok = Tokenizer::fromFile(path);
  EXPECT_EQ(tok.encode("ok"), (Ids{111, 107}));
  const json j = json::parse(qid::test::readFile(path));
  EXPECT_EQ(j["model"]["merges"].size(), 0u);
  EXPECT_EQ(j["model"]["vocab"].size(), 257u);
  EXPECT_EQ(j["model"]["vocab"][alias(" ")], 32);
  EXPECT_EQ(j["added_tokens"][0]["content"], "<|endoftext|>");
  EXPECT_TRUE(j["added_tokens"][0]["special"].get<bool>());
  EXPECT_THROW(qid::model::writeByteLevelTokenizerJson(dir / "missing" / "t.json"), qid::Error);
}

// A small BPE with merges and added tokens of every kind of flag.
json customTokenizer(bool mergesAsPairs) {
  json t = json::parse(qid::model::byteLevelTokenizerJson());
  const std::vector<std::pair<std::string, std::string>> merges = {
      {alias(" "), "t"}, {"h", "e"}, {alias(" t"), "he"}, {"a", "t"}, {"c", "at"}, {alias(" "), "cat"},
      {"e", "e"}, {"ee", "e"}, {"e", "ee"}, {"a", "a"}, {"aa", "a"}, {"a", "aa"}};
  std::uint32_t next = 257;
  t["model"]["merges"] = json::array();
  for (const auto& [a, b] : merges) {
    if (!t["model"]["vocab"].contains(a + b)) t["model"]["vocab"][a + b] = next++;
    t["model"]["merges"].push_back(mergesAsPairs ? json::array({a, b}) : json(a + " " + b));
  }
  t["normalizer"] = {{"type", "Sequence"}, {"normalizers", json::array({{{"type", "NFC"}}})}};
  t["pre_tokenizer"]["add_prefix_space"] = true;
  auto added = [&](const std::string& content, json flags) {
    json a = {{"id", next++}, {"content", content}, {"single_word", false}, {"lstrip", false},
              {"rstrip", false}, {"normalized", true}, {"special", false}};
    a.update(flags);
    t["added_tokens"].push_back(a);
  };
  added("<mask>", {{"lstrip", true}, {"special", true}, {"normalized", false}});
  added("[X]", {{"rstrip", true}});
  added("dog", {{"single_word", true}});
  added("caf\u00E9", json::object());
  added("<b>", {{"lstrip", true}, {"rstrip", true}, {"normalized", false}});
  return t;
}

struct Case {
  std::string text;
  Ids ids;
};

TEST(CustomTokenizer, AddedTokenFlagsMatchHf) {
  const std::vector<Case> cases = {
      {"the cat sat on the mat", {259, 262, 32, 115, 260, 32, 111, 110, 259, 32, 109, 260}},
      {"thecat  cat dog dogs hotdog dog.",
       {259, 261, 32, 262, 32, 269, 32, 100, 111, 103, 115, 32, 104, 111, 116, 100, 111, 103, 32, 269, 32, 46}},
      {"x <mask> y<mask>z   <mask>", {32, 120, 267, 32, 121, 267, 32, 122, 267}},
      {"a [X]   b [X]c", {32, 97, 32, 268, 32, 98, 32, 268, 32, 99}},
      {"caf\u00E9 cafe\u0301 CAF\u00C9", {270, 32, 270, 32, 67, 65, 70, 195, 137}},
      {"eeeee aaaaaaa eeee", {32, 263, 264, 32, 265, 265, 266, 32, 263, 263}},
      {"<b>  <b>x <b> ", {271, 271, 32, 120, 271}},
      {"e\u0301\u0301 <|endoftext|>x", {32, 195, 169, 204, 129, 32, 256, 32, 120}},
  };
  for (bool pairs : {false, true}) {
    const Tokenizer tok = Tokenizer::fromJson(customTokenizer(pairs).dump());
    EXPECT_TRUE(tok.warnings().empty());
    for (const auto& c : cases) EXPECT_EQ(tok.encode(c.text), c.ids) << c.text << " pairs=" << pairs;
  }
}

TEST(CustomTokenizer, SplitRegexIgnoreMergesAndReassignedIdsMatchHf) {
  // Llama-3 style: a Split regex, then ByteLevel without its own regex.
  json t = customTokenizer(false);
  t["pre_tokenizer"] = {
      {"type", "Sequence"},
      {"pretokenizers",
       json::array({{{"type", "Split"},
                     {"pattern", {{"Regex", R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"}}},
                     {"behavior", "Isolated"},
                     {"invert", false}},
                    {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}})}};
  t["model"]["ignore_merges"] = true;
  t["model"]["vocab"][alias("eeeee")] = 277;  // a sparse id: HF then shifts the added tokens
  t["normalizer"] = nullptr;
  const Tokenizer tok = Tokenizer::fromJson(t.dump(), "llama-like.json");
  const std::vector<Case> cases = {
      {"the cat sat on the mat", {116, 258, 262, 32, 115, 260, 32, 111, 110, 259, 32, 109, 260}},
      {"x <mask> y<mask>z   <mask>", {120, 268, 32, 121, 268, 122, 268}},
      {"caf\u00E9 cafe\u0301 CAF\u00C9", {271, 32, 99, 97, 102, 101, 204, 129, 32, 67, 65, 70, 195, 137}},
      {"eeeee aaaaaaa eeee", {277, 32, 265, 265, 266, 32, 263, 263}},
      {"It's THE'LL 12345 don't",
       {73, 116, 39, 115, 32, 84, 72, 69, 39, 76, 76, 32, 49, 50, 51, 52, 53, 32, 100, 111, 110, 39, 116}},
      {"<b>  <b>x <b> ", {272, 272, 120, 272}},
  };
  for (const auto& c : cases) EXPECT_EQ(tok.encode(c.text), c.ids) << c.text;
  ASSERT_EQ(tok.warnings().size(), 5u);
  EXPECT_NE(tok.warnings()[0].find("\"<mask>\" is written with id 267 but gets id 268"), std::string::npos)
      << tok.warnings()[0];
  EXPECT_EQ(tok.tokenId("<mask>"), 268u);
  EXPECT_EQ(tok.decode(Ids{268, 120}), "<mask>x");
}

TEST(CustomTokenizer, EqualRanksMergeLeftmostFirst) {
  const Tokenizer tok = Tokenizer::fromJson(customTokenizer(false).dump());
  // "aaa" has the pair (a,a) twice: the left one merges first, giving "aa" + "a",
  // which the rank-10 merge (aa,a) joins into "aaa" (266); (a,aa) never applies.
  EXPECT_EQ(tok.encode("aaa"), (Ids{32, 266}));
  // Seven: aa|aa|aaa, as HF gives (the rank of (aa,a) is above (a,a)).
  EXPECT_EQ(tok.encode("aaaaaaa"), (Ids{32, 265, 265, 266}));
  EXPECT_EQ(tok.decode(tok.encode("aaaa")), " aaaa");  // add_prefix_space added the space
}

// Each malformed tokenizer.json gives a qid::Error naming the file and the problem.
void expectError(const std::string& text, const std::string& fragment) {
  try {
    Tokenizer::fromJson(text, "bad.json");
    ADD_FAILURE() << "no error for: " << text.substr(0, 200);
  } catch (const qid::Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("bad.json: ", 0), 0u) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
  }
}

TEST(TokenizerJson, BadFilesGiveClearErrors) {
  const json good = json::parse(qid::model::byteLevelTokenizerJson());
  auto with = [&](auto change) {
    json t = good;
    change(t);
    return t.dump();
  };
  expectError("{\"model\": ", "not valid JSON");
  expectError("[1, 2]", "not a tokenizer.json");
  expectError("{}", "\"model\" is missing");
  expectError(with([](json& t) { t["model"]["type"] = "WordPiece"; }), "\"WordPiece\" is not supported");
  expectError(with([](json& t) { t["model"].erase("vocab"); }), "model.vocab is missing");
  expectError(with([](json& t) { t["model"]["vocab"]["x"] = -3; }), "model.vocab[\"x\"] is not a valid id");
  expectError(with([](json& t) { t["model"]["merges"] = 5; }), "model.merges is missing or not a list");
  expectError(with([](json& t) { t["model"]["merges"] = {"a b c"}; }), "merge #0 \"a b c\" is not two tokens");
  expectError(with([](json& t) { t["model"]["merges"] = {"a"}; }), "merge #0 \"a\"");
  expectError(with([](json& t) { t["model"]["merges"] = json::array({json::array({"a", 1})}); }),
              "merge #0 is neither");
  expectError(with([](json& t) { t["model"]["merges"] = {"a b"}; }), "the merged token \"ab\" is not in the vocabulary");
  expectError(with([](json& t) { t["model"]["merges"] = {"a zz"}; }), "\"zz\" is not in the vocabulary");
  expectError(with([](json& t) { t["model"]["byte_fallback"] = true; }), "byte_fallback is not supported");
  expectError(with([](json& t) { t["model"]["continuing_subword_prefix"] = "##"; }), "continuing_subword_prefix");
  expectError(with([](json& t) { t["normalizer"] = {{"type", "Lowercase"}}; }), "unsupported normalizer \"Lowercase\"");
  expectError(with([](json& t) { t["normalizer"] = {{"kind", "NFC"}}; }), "normalizer has no \"type\"");
  expectError(with([](json& t) { t["pre_tokenizer"] = nullptr; }), "pre_tokenizer is missing");
  expectError(with([](json& t) { t["pre_tokenizer"] = {{"type", "Whitespace"}}; }), "unsupported pre_tokenizer \"Whitespace\"");
  expectError(with([](json& t) {
                t["pre_tokenizer"] = {{"type", "Sequence"},
                                      {"pretokenizers", json::array({{{"type", "Split"},
                                                                      {"pattern", {{"Regex", "(["}}},
                                                                      {"behavior", "Isolated"}},
                                                                     {{"type", "ByteLevel"}, {"use_regex", false}}})}};
              }),
              "pattern does not compile");
  expectError(with([](json& t) { t["decoder"] = {{"type", "WordPiece"}}; }), "unsupported decoder \"WordPiece\"");
  expectError(with([](json& t) { t["added_tokens"] = {{{"content", "x"}}}; }), "added_tokens[0] needs an id");
  expectError(with([](json& t) {
                t["model"]["vocab"] = json::object();
                t["added_tokens"] = json::array();
              }),
              "the vocabulary is empty");
}

TEST(TokenizerJson, MissingFileNamesIt) {
  try {
    Tokenizer::fromFile("/nonexistent/dir/tokenizer.json");
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/tokenizer.json: cannot open"), std::string::npos);
  }
}

}  // namespace
