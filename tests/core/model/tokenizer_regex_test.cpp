#include <gtest/gtest.h>

#include <set>

#include "common/error.h"
#include "model/tokenizer_byte_level.h"
#include "model/tokenizer_regex.h"
#include "model/tokenizer_unicode.h"

namespace {

using qid::model::RegexSplitter;

std::vector<std::string> pieces(const RegexSplitter& re, const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> offsets;
  re.split(text, offsets);
  std::vector<std::string> out;
  std::size_t expectedBegin = 0;
  for (auto [b, e] : offsets) {
    EXPECT_EQ(b, expectedBegin) << "pieces must tile the text";
    expectedBegin = e;
    out.push_back(text.substr(b, e - b));
  }
  EXPECT_EQ(expectedBegin, text.size());
  return out;
}

TEST(TokenizerRegex, WhiteSpaceIsRewrittenInAndOutOfClasses) {
  using qid::model::whiteSpaceExact;
  EXPECT_EQ(whiteSpaceExact(R"(\s+)"), R"([\t-\r\x{85}\p{Z}]+)");
  EXPECT_EQ(whiteSpaceExact(R"(\S)"), R"([^\t-\r\x{85}\p{Z}])");
  EXPECT_EQ(whiteSpaceExact(R"([^\s\p{L}])"), R"([^\t-\r\x{85}\p{Z}\p{L}])");
  EXPECT_EQ(whiteSpaceExact(R"([]\s]\\s)"), R"([]\t-\r\x{85}\p{Z}]\\s)");
}

TEST(TokenizerRegex, Gpt2PatternSplitsLikeHf) {
  const RegexSplitter re(qid::model::kGpt2SplitPattern, "test");
  EXPECT_EQ(pieces(re, "Hello world's   end!!\n\n"),
            (std::vector<std::string>{"Hello", " world", "'s", "  ", " end", "!!", "\n\n"}));
  EXPECT_EQ(pieces(re, "a1 22 x\u00A0\u00A0y"), (std::vector<std::string>{"a", "1", " 22", " x", "\u00A0", "\u00A0", "y"}));
  // U+180E is neither white space, letter nor number: punctuation-like.
  EXPECT_EQ(pieces(re, "a\u180E b"), (std::vector<std::string>{"a", "\u180E", " b"}));
  EXPECT_TRUE(pieces(re, "").empty());
}

TEST(TokenizerRegex, BadPatternNamesTheSource) {
  try {
    RegexSplitter re("(unclosed", "file.json");
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("file.json: the pre-tokenizer pattern does not compile"), std::string::npos);
  }
}

TEST(TokenizerByteLevel, AliasTableIsABijection) {
  std::set<char32_t> seen;
  for (int b = 0; b < 256; ++b) {
    const char32_t a = qid::model::byteToAlias(static_cast<std::uint8_t>(b));
    EXPECT_TRUE(seen.insert(a).second);
    EXPECT_EQ(qid::model::aliasToByte(a), b);
  }
  EXPECT_EQ(qid::model::byteToAlias(' '), U'\u0120');   // Ġ
  EXPECT_EQ(qid::model::byteToAlias('\n'), U'\u010A');  // Ċ
  EXPECT_EQ(qid::model::byteToAlias('A'), U'A');
  EXPECT_EQ(qid::model::aliasToByte(U' '), -1);
  EXPECT_EQ(qid::model::bytesToAliases(" the\n"), "\u0120the\u010A");
  EXPECT_EQ(qid::model::aliasesToBytes("\u0120the\u010A"), " the\n");
  EXPECT_FALSE(qid::model::aliasesToBytes("  ").has_value());
}

TEST(TokenizerUnicode, NfcAndCharacterClasses) {
  using namespace qid::model;
  EXPECT_EQ(toNfc("e\u0301"), "\u00E9");
  EXPECT_EQ(toNfc("\u1100\u1161\u11A8"), "\uAC01");
  EXPECT_EQ(toNfc("a\u0323\u0302"), toNfc("a\u0302\u0323"));  // canonical reordering
  EXPECT_EQ(toNfc("\uFB01"), "\uFB01");                      // compatibility forms stay (not NFKC)
  EXPECT_TRUE(triviallyNfc("plain ASCII and \u00E9\u02FF"));
  EXPECT_FALSE(triviallyNfc("\u0301"));
  EXPECT_TRUE(isWhiteSpace(U'\u3000'));
  EXPECT_FALSE(isWhiteSpace(U'\u180E'));
  EXPECT_FALSE(isWhiteSpace(U'\u200B'));
  EXPECT_TRUE(isWordChar(U'_'));
  EXPECT_TRUE(isWordChar(U'\u0301'));
  EXPECT_TRUE(isWordChar(U'\u0663'));
  EXPECT_FALSE(isWordChar(U'-'));
}

}  // namespace
