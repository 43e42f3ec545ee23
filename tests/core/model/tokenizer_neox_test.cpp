// Edge cases with the GPT-NeoX-20B tokenizer (Pythia's). The expected ids
// were produced by HF tokenizers 0.23 (encode without special tokens).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "model/tokenizer.h"
#include "test_support.h"

namespace {

using qid::model::Tokenizer;
using Ids = std::vector<std::uint32_t>;

struct Case {
  const char* name;
  std::string text;
  Ids ids;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"emoji", "Hello \U0001F44B\U0001F3FD world \U0001F389\U0001F1FA\U0001F1F8 \U0001F468\u200D\U0001F469\u200D\U0001F467",
       {12092, 22692, 228, 222, 14931, 226, 123, 1533, 22692, 225, 220, 14931, 218, 120, 14931, 218,
        118, 22692, 228, 103, 325, 224, 14931, 228, 104, 325, 224, 14931, 228, 102}},
      {"cjk", "日本語のテキスト、中文文本。한국어 텍스트",
       {49868, 19119, 241, 3917, 28656, 33548, 38206, 4746, 13609, 20855, 20855, 18957, 4340,
        39742, 166, 115, 244, 39907, 25811, 216, 224, 33057, 99, 169, 221, 118}},
      // Decomposed letters, Hangul jamo and the Angstrom sign compose under NFC.
      {"combining", "Cafe\u0301 Zoe\u0308 n\u0303 \u1100\u1161\u11A8 \u212B A\u030A\u0323",
       {36, 2320, 860, 37759, 10093, 1325, 111, 42984, 212, 17732, 209, 9702, 243, 136, 221}},
      {"combining_stack", "e\u0301\u0301\u0327 c\u0327\u0301", {132, 104, 136, 212, 136, 212, 209, 31498, 220}},
      // Runs of 2..24 spaces are added tokens 50276..50254, matched before BPE.
      {"space_runs", "a b  c   d" + std::string(30, ' ') + "e", {66, 270, 50276, 68, 50275, 69, 50254, 50272, 70}},
      {"edge_spaces", "   leading and trailing   ", {50275, 16378, 285, 28417, 50275}},
      {"one_space", " ", {209}},
      {"two_spaces", "  ", {50276}},
      {"long_runs", "x" + std::string(25, ' ') + "y" + std::string(49, ' '), {89, 50254, 340, 50254, 50254, 209}},
      {"crlf", "line1\r\nline2\r\n\r\n  \r\n", {1282, 18, 190, 187, 1282, 19, 15971, 50276, 2379}},
      {"tabs", "\tindent\t\tx \t y\t", {186, 31808, 186, 186, 89, 28910, 340, 186}},
      {"newline_spaces", "a  \n  b\n\n\n   \n", {66, 50276, 187, 50276, 67, 2756, 50275, 187}},
      {"special_inside", "a<|endoftext|>b <|endoftext|> c<|endoftext|><|endoftext|>", {66, 0, 67, 209, 0, 260, 0, 0}},
      {"special_mixed", "  <|endoftext|>  <|unk|>x <|endoftext", {50276, 0, 50276, 1, 89, 654, 93, 423, 1171, 1156}},
      {"contractions", "I'm can't we'll they're 'S 'LL O'Neil",
       {42, 1353, 476, 626, 359, 1833, 597, 1472, 686, 52, 686, 2293, 473, 8, 41539}},
      {"numbers", "12345 3.14 1,000,000 ٣٤٥ ⅷ",
       {42594, 495, 15, 1047, 337, 13, 933, 13, 933, 209, 149, 98, 149, 99, 149, 100, 3384, 216, 117}},
      {"latin", "naïve façade ﬁnance Œuvre", {2072, 30180, 40881, 796, 16141, 107, 212, 79, 593, 6078, 229, 38527}},
      // U+180E is not white space for HF (Oniguruma); PCRE2's own \s would take it.
      {"unicode_spaces", "a\u180Eb a\u00A0b a\u3000b a\u2028b a\u0085b a\u200Bb",
       {66, 157, 243, 225, 67, 247, 575, 67, 247, 19409, 67, 247, 40702, 67, 247, 16643, 67, 247, 12882, 67}},
      {"scripts", "ग्रन्थ العَرَبِيَّة ᠮᠣᠩᠭᠣᠯ",
       {46069, 17665, 15754, 23068, 17665, 2483, 100, 9445, 13793, 37926, 6900, 37926, 13621, 149,
        227, 6463, 37926, 149, 228, 12458, 209, 157, 243, 108, 157, 243, 98, 157, 243, 104, 157, 243,
        244, 157, 243, 98, 157, 243, 109}},
      {"punctuation", "$%^&*()__--==++ ... !!! ??", {5, 6, 63, 7, 11, 1082, 876, 283, 381, 3424, 3346, 2195, 4672, 38199}},
      {"control", std::string("\0\1 control \x7f", 12), {177, 178, 1453, 209, 210}},
      {"empty", "", {}},
  };
  return all;
}

class NeoxTokenizer : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = qid::test::sharedFile("tokenizers/gpt-neox-20b.tokenizer.json");
    if (!path_)
      GTEST_SKIP() << "shared data file missing: tokenizers/gpt-neox-20b.tokenizer.json (looked in "
                   << qid::test::sharedDataDir() << ")";
    static const Tokenizer tok = Tokenizer::fromFile(*path_);
    tok_ = &tok;
  }
  std::optional<std::filesystem::path> path_;
  const Tokenizer* tok_ = nullptr;
};

TEST_F(NeoxTokenizer, MatchesHfOnEdgeCases) {
  for (const auto& c : cases()) EXPECT_EQ(tok_->encode(c.text), c.ids) << c.name;
}

TEST_F(NeoxTokenizer, DecodesBackToTheText) {
  for (const auto& c : cases()) {
    const std::string decoded = tok_->decode(c.ids);
    if (std::string(c.name).rfind("combining", 0) == 0) {
      // NFC changed the text; decoding gives the composed form, which encodes the same.
      EXPECT_NE(decoded, c.text) << c.name;
      EXPECT_EQ(tok_->encode(decoded), c.ids) << c.name;
    } else {
      EXPECT_EQ(decoded, c.text) << c.name;
    }
  }
}

TEST_F(NeoxTokenizer, NfcMakesDecomposedAndComposedEqual) {
  EXPECT_EQ(tok_->encode("Cafe\u0301"), tok_->encode("Caf\u00E9"));
  EXPECT_EQ(tok_->encode("\u212B"), tok_->encode("\u00C5"));
  EXPECT_TRUE(tok_->normalizesNfc());
}

TEST_F(NeoxTokenizer, AddedTokensKeepTheirFileIds) {
  EXPECT_TRUE(tok_->warnings().empty());
  EXPECT_EQ(tok_->eosId(), 0u);
  EXPECT_EQ(tok_->tokenId("<|endoftext|>"), 0u);
  EXPECT_EQ(tok_->tokenId(std::string(24, ' ')), 50254u);
  EXPECT_EQ(tok_->tokenId(std::string(2, ' ')), 50276u);
  EXPECT_EQ(tok_->tokenId("\u0120the"), 253u);  // "Ġthe", the vocabulary's alias form
  EXPECT_EQ(tok_->vocabSize(), 50277u);
}

TEST_F(NeoxTokenizer, SpecialTokensCanBeTreatedAsText) {
  const std::string text = "a<|endoftext|>b";
  qid::model::EncodeOptions plain;
  plain.matchSpecialTokens = false;
  const Ids ids = tok_->encode(text, plain);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 0u), 0);
  EXPECT_GT(ids.size(), 3u);
  EXPECT_EQ(tok_->decode(ids), text);
  // The runs of spaces are not special: they still match.
  EXPECT_EQ(tok_->encode("  ", plain), Ids{50276});
}

TEST_F(NeoxTokenizer, DecodeCanSkipSpecialTokens) {
  EXPECT_EQ(tok_->decode(Ids{66, 0, 67}, true), "ab");
  EXPECT_EQ(tok_->decode(Ids{66, 50276, 67}, true), "a  b");  // not special
}

TEST_F(NeoxTokenizer, RejectsInvalidUtf8AndUnknownIds) {
  try {
    tok_->encode(std::string("ok \xC3\x28 bad"));
    FAIL() << "expected an error";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("byte offset 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(tok_->encode(std::string("\xED\xA0\x80")), qid::Error);  // a surrogate
  EXPECT_THROW(tok_->encode(std::string("\xC0\xAF")), qid::Error);      // overlong
  EXPECT_THROW(tok_->decode(Ids{60000}), qid::Error);
}

TEST_F(NeoxTokenizer, CacheGivesTheSameIds) {
  tok_->clearCache();
  const std::string text = "the cat and the hat and the bat, the end. " + std::string(3, ' ') + "the";
  const Ids cold = tok_->encode(text);
  EXPECT_GT(tok_->cachedWords(), 0u);
  EXPECT_EQ(tok_->encode(text), cold);
}

TEST_F(NeoxTokenizer, ReportsProgressAndCancels) {
  std::string text;
  while (text.size() < (3u << 20)) text += "word and more words, ";  // 3 MB: several steps
  std::int64_t last = -1, total = 0;
  int calls = 0;
  tok_->encode(text, {}, [&](const qid::Progress& p) {
    EXPECT_EQ(p.stage, "tokenize");
    EXPECT_GE(p.done, last);
    last = p.done;
    total = p.total;
    ++calls;
    return true;
  });
  EXPECT_GE(calls, 2);
  EXPECT_EQ(last, static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(total, static_cast<std::int64_t>(text.size()));
  EXPECT_THROW(tok_->encode(text, {}, [](const qid::Progress&) { return false; }), qid::Cancelled);
}

}  // namespace
