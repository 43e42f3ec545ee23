#include "common/utf8.h"

#include <gtest/gtest.h>

namespace {

using qid::utf8::firstInvalid;
using qid::utf8::kValid;

TEST(Utf8, AcceptsValidText) {
  EXPECT_EQ(firstInvalid(""), kValid);
  EXPECT_EQ(firstInvalid("plain ASCII, long enough for the 8-byte path"), kValid);
  EXPECT_EQ(firstInvalid("\u00E9\u0800\uFFFF\U00010000\U0010FFFF"), kValid);
  EXPECT_EQ(firstInvalid(std::string("nul \0 inside", 12)), kValid);
}

TEST(Utf8, FindsTheFirstBadByte) {
  EXPECT_EQ(firstInvalid("abc\xFF"), 3u);
  EXPECT_EQ(firstInvalid("12345678\x80"), 8u);                  // stray continuation
  EXPECT_EQ(firstInvalid("ab\xC3"), 2u);                        // truncated
  EXPECT_EQ(firstInvalid("\xC0\xAF"), 0u);                      // overlong
  EXPECT_EQ(firstInvalid("\xE0\x80\xAF"), 0u);                  // overlong
  EXPECT_EQ(firstInvalid("x\xED\xA0\x80"), 1u);                 // surrogate
  EXPECT_EQ(firstInvalid("\xF4\x90\x80\x80"), 0u);              // above U+10FFFF
  EXPECT_EQ(firstInvalid("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(firstInvalid("\xE6\x97\xA5\xE6\x97"), 3u);          // second character cut
}

TEST(Utf8, DecodeAndAppendRoundTrip) {
  for (char32_t c : {U'\0', U'A', U'\u00E9', U'\u0800', U'\uFFFD', U'\U0001F600', U'\U0010FFFF'}) {
    std::string s;
    qid::utf8::append(s, c);
    EXPECT_EQ(firstInvalid(s), kValid);
    std::size_t pos = 0;
    EXPECT_EQ(qid::utf8::decode(s, pos), c);
    EXPECT_EQ(pos, s.size());
    std::size_t end = s.size();
    EXPECT_EQ(qid::utf8::decodeBefore(s, end), c);
    EXPECT_EQ(end, 0u);
  }
}

}  // namespace
