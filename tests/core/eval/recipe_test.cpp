// Evaluation recipes: presets, overrides, windows and normalisation.
#include "eval/recipe.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "common/error.h"
#include "eval/loss_eval.h"
#include "eval/text_source.h"
#include "model/tokenizer.h"
#include "model/tokenizer_json.h"
#include "test_support.h"

namespace {

using namespace qid::eval;
using qid::model::Tokenizer;

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const qid::Error& e) {
    return e.what();
  }
  return "";
}

const Tokenizer& byteTokenizer() {
  static const Tokenizer tok = Tokenizer::fromJson(qid::model::byteLevelTokenizerJson(), "bytes.json");
  return tok;
}

// Every target of every document scored exactly once (the prefix never).
void expectEachTokenOnce(const EvalData& d) {
  std::vector<int> hits(d.tokens.size(), 0);
  for (const auto& w : d.windows) {
    ASSERT_GE(w.scoreFrom, 1);
    ASSERT_LE(w.length, d.seqlen + 1);
    for (std::int64_t t = w.scoreFrom; t < w.length; ++t) ++hits[static_cast<std::size_t>(w.start + t)];
  }
  for (const auto& doc : d.documents) {
    EXPECT_EQ(hits[static_cast<std::size_t>(doc.begin)], 0);
    for (std::int64_t i = doc.begin + 1; i < doc.end; ++i)
      ASSERT_EQ(hits[static_cast<std::size_t>(i)], 1) << "stream index " << i;
  }
}

TEST(Recipe, PresetsAreNamedVersionedAndDefaultIsGptqPaper) {
  auto names = recipeNames();
  EXPECT_EQ(names, (std::vector<std::string>{"gptq-paper", "llamacpp", "lm-eval-rolling"}));
  Recipe def = findRecipe("");
  EXPECT_EQ(def.name, "gptq-paper");
  EXPECT_EQ(def.id(), "gptq-paper@1");
  EXPECT_EQ(def.layout, TextLayout::Concatenated);
  EXPECT_EQ(def.bos, BosPolicy::None);
  EXPECT_EQ(def.score, ScoredPositions::AfterFirst);
  EXPECT_EQ(def.stride, 0);
  Recipe lm = findRecipe("lm-eval-rolling");
  EXPECT_EQ(lm.layout, TextLayout::PerDocument);
  EXPECT_TRUE(lm.normalises("word"));
  EXPECT_TRUE(lm.normalises("byte"));
  EXPECT_EQ(findRecipe("llamacpp").score, ScoredPositions::SecondHalf);
  for (const auto& n : names) {
    Recipe r = findRecipe(n);
    EXPECT_FALSE(r.citation.empty()) << n;
    Recipe back = parseRecipe(toJson(r), "round trip");
    EXPECT_EQ(toJson(back), toJson(r)) << n;
  }
}

TEST(Recipe, UnknownNameListsTheKnownOnes) {
  const std::string err = errorOf([] { findRecipe("wikitext-ppl"); });
  EXPECT_NE(err.find("unknown evaluation recipe 'wikitext-ppl'"), std::string::npos) << err;
  EXPECT_NE(err.find("gptq-paper, llamacpp, lm-eval-rolling"), std::string::npos) << err;
}

TEST(Recipe, OverridesAreRecordedAndChecked) {
  Recipe r = findRecipe("gptq-paper");
  overrideRecipe(r, {{"stride", 512}});
  EXPECT_EQ(r.stride, 512);
  EXPECT_EQ(r.id(), "gptq-paper@1+stride=512");
  EXPECT_EQ(toJson(r)["overrides"], nlohmann::json({{"stride", 512}}));
  Recipe same = findRecipe("gptq-paper");
  overrideRecipe(same, {{"stride", 0}});  // no change, no override
  EXPECT_EQ(same.id(), "gptq-paper@1");

  Recipe l = findRecipe("llamacpp");
  EXPECT_NE(errorOf([&] { overrideRecipe(l, {{"stride", 512}}); }).find("stride"), std::string::npos);
  Recipe g = findRecipe("gptq-paper");
  EXPECT_NE(errorOf([&] { overrideRecipe(g, {{"normalisation", {"token", "word"}}}); }).find("per-word"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { overrideRecipe(g, {{"colour", 1}}); }).find("unknown recipe field 'colour'"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { overrideRecipe(g, {{"version", 2}}); }).find("cannot be overridden"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { overrideRecipe(g, {{"score", "middle"}}); }).find("expected one of"),
            std::string::npos);
  EXPECT_NE(errorOf([] { parseRecipe({{"name", "x"}, {"layout", "per-document"}}, "mine.json"); })
                .find("mine.json: a per-document recipe scores rolling windows"),
            std::string::npos);
}

TEST(Recipe, GptqPaperIsPlanWindows) {
  std::vector<std::string> docs = {std::string(1000, 'a')};
  EvalDataOptions o;
  o.seqlen = 128;
  EvalData d = prepareEvalData(findRecipe("gptq-paper"), docs, byteTokenizer(), o);
  auto expected = planWindows(1000, {128});
  ASSERT_EQ(d.windows.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(d.windows[i].start, expected[i].start);
    EXPECT_EQ(d.windows[i].scoreFrom, 1);
  }
  EXPECT_EQ(d.scoredTokens, 7 * 127);
  EXPECT_EQ(d.scoredBytes, 7 * 127);  // one byte per token
  EXPECT_FALSE(d.scoredWords.has_value());
  // Too short for one window: a clear error.
  o.seqlen = 2048;
  EXPECT_NE(errorOf([&] { prepareEvalData(findRecipe("gptq-paper"), docs, byteTokenizer(), o); })
                .find("fewer than one window"),
            std::string::npos);
}

TEST(Recipe, LlamacppScoresTheSecondHalfAfterABos) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += static_cast<char>('a' + i % 26);
  EvalDataOptions o;
  o.seqlen = 100;
  EvalData d = prepareEvalData(findRecipe("llamacpp"), {text}, byteTokenizer(), o);
  ASSERT_EQ(d.windows.size(), 10u);
  for (const auto& w : d.windows) {
    EXPECT_EQ(w.scoreFrom, 51);  // llama.cpp: first = n_ctx/2, targets first+1 .. n_ctx-1
    EXPECT_EQ(w.scored(), 49);
    EXPECT_EQ(d.tokens[static_cast<std::size_t>(w.start)], 256u);  // <|endoftext|> as BOS
    EXPECT_EQ(d.tokens[static_cast<std::size_t>(w.start + 1)], static_cast<std::uint32_t>(text[static_cast<std::size_t>(w.start + 1)]));
  }
}

TEST(Recipe, RollingWindowsScoreEveryTokenOnceWithAPrefix) {
  for (std::int64_t L : {2, 3, 7, 16}) {
    std::vector<std::string> docs;
    for (std::size_t n : {1u, 2u, 5u, 16u, 17u, 40u}) docs.push_back(std::string(n, 'x'));
    docs.push_back("");  // empty documents have no windows
    EvalDataOptions o;
    o.seqlen = L;
    EvalData d = prepareEvalData(findRecipe("lm-eval-rolling"), docs, byteTokenizer(), o);
    ASSERT_EQ(d.documents.size(), 6u);
    EXPECT_EQ(d.documentCount, 7);
    std::int64_t expectedWindows = 0, expectedTokens = 0;
    for (const auto& doc : docs) {
      const auto n = static_cast<std::int64_t>(doc.size());
      expectedWindows += (n + L - 1) / L;  // ceil(n / L): L new targets per window
      expectedTokens += n;
    }
    EXPECT_EQ(static_cast<std::int64_t>(d.windows.size()), expectedWindows) << "L=" << L;
    EXPECT_EQ(d.scoredTokens, expectedTokens);
    EXPECT_EQ(d.textTokens, expectedTokens);
    EXPECT_EQ(d.scoredBytes, expectedTokens);
    for (const auto& span : d.documents) EXPECT_EQ(d.tokens[static_cast<std::size_t>(span.begin)], 256u);
    expectEachTokenOnce(d);
    // Each scored target has min(L, its index + 1) model inputs before it, as lm-eval gives.
    for (const auto& w : d.windows) EXPECT_LE(w.length - 1, L);
  }
}

TEST(Recipe, WordsAndBytesCountLikeLmEval) {
  // Python: len(re.split(r"\s+", s)).
  EXPECT_EQ(countWordsLikeLmEval(""), 1);
  EXPECT_EQ(countWordsLikeLmEval("abc"), 1);
  EXPECT_EQ(countWordsLikeLmEval(" a  b\tc\n"), 5);
  EXPECT_EQ(countWordsLikeLmEval("a\xC2\xA0" "b\xE3\x80\x80" "c"), 3);  // NBSP, ideographic space
  EXPECT_EQ(countWordsLikeLmEval("caf\xC3\xA9 \xE2\x80\x94 ok"), 3);    // an em dash is not space

  std::vector<std::string> docs = {"one two  three\n", "four"};
  EvalDataOptions o;
  o.seqlen = 4;
  EvalData d = prepareEvalData(findRecipe("lm-eval-rolling"), docs, byteTokenizer(), o);
  ASSERT_TRUE(d.scoredWords.has_value());
  EXPECT_EQ(*d.scoredWords, 4 + 1);
  EXPECT_EQ(d.scoredBytes, 15 + 4);

  EvalResult r;
  r.windowCount = static_cast<std::int64_t>(d.windows.size());
  r.tokenCount = d.scoredTokens;
  r.sumNll = 19 * 2.0;
  r.meanNll = 2.0;
  NormalisedLoss n = normaliseLoss(d, r);
  EXPECT_DOUBLE_EQ(n.nllPerToken, 2.0);
  EXPECT_DOUBLE_EQ(n.perplexity, std::exp(2.0));
  EXPECT_NEAR(*n.bitsPerByte, 2.0 / std::log(2.0), 1e-12);
  EXPECT_NEAR(*n.wordPerplexity, std::exp(38.0 / 5), 1e-9);
  auto j = toJson(n);
  EXPECT_EQ(j["derived"], nlohmann::json({"perplexity", "bits_per_byte", "byte_perplexity", "word_perplexity"}));
  r.windowCount += 1;
  EXPECT_THROW(normaliseLoss(d, r), qid::Error);

  // A partly selected document counts the words of its scored text.
  o.maxWindows = 2;
  EvalData part = prepareEvalData(findRecipe("lm-eval-rolling"), docs, byteTokenizer(), o);
  EXPECT_EQ(part.scoredTokens, 8);                // "one two " is 8 bytes
  EXPECT_EQ(*part.scoredWords, 3);                // re.split gives ["one", "two", ""]
}

TEST(Recipe, WikitextArticleSplit) {
  const std::string text = " \n = A = \n \n text a \n = = Sub = = \n more \n = B = \n b \n";
  auto a = splitWikitextArticles(text);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0], " \n = A = \n \n text a \n = = Sub = = \n more ");
  EXPECT_EQ(a[1], " = B = \n b \n");
  EXPECT_EQ(splitWikitextArticles("no headings here\n"), std::vector<std::string>{"no headings here\n"});
  // CRLF line ends, as wiki.test.raw has them.
  auto crlf = splitWikitextArticles(" = A = \r\n a \r\n = B = \r\n b \r\n");
  ASSERT_EQ(crlf.size(), 2u);
  EXPECT_EQ(crlf[0], " = A = \r\n a \r");
}

TEST(Recipe, SamplingIsSeededAndNeedsNonOverlappingWindows) {
  std::vector<std::string> docs = {std::string(5000, 'q')};
  EvalDataOptions o;
  o.seqlen = 100;
  o.sample = 5;
  o.seed = 3;
  EvalData a = prepareEvalData(findRecipe("gptq-paper"), docs, byteTokenizer(), o);
  EvalData b = prepareEvalData(findRecipe("gptq-paper"), docs, byteTokenizer(), o);
  ASSERT_EQ(a.windows.size(), 5u);
  EXPECT_EQ(a.windowsBeforeSelection, 50);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(a.windows[i].start, b.windows[i].start);
  Recipe sliding = findRecipe("gptq-paper");
  overrideRecipe(sliding, {{"stride", 50}});
  EXPECT_THROW(prepareEvalData(sliding, docs, byteTokenizer(), o), qid::Error);
}

// The presets on wikitext-2 test with the Pythia tokenizer (288,722 tokens).
class RecipeWikitext : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto tokPath = qid::test::sharedFile("tokenizers/gpt-neox-20b.tokenizer.json");
    auto textPath = qid::test::sharedFile("wikitext-2-raw/wiki.test.raw");
    if (!tokPath || !textPath) return;
    tok_ = new Tokenizer(Tokenizer::fromFile(*tokPath));
    path_ = new std::filesystem::path(*textPath);
  }
  static void TearDownTestSuite() {
    delete tok_;
    delete path_;
    tok_ = nullptr;
    path_ = nullptr;
  }
  void SetUp() override {
    if (!tok_)
      GTEST_SKIP() << "shared data file missing: tokenizers/gpt-neox-20b.tokenizer.json or "
                      "wikitext-2-raw/wiki.test.raw (looked in "
                   << qid::test::sharedDataDir() << ")";
  }
  static Tokenizer* tok_;
  static std::filesystem::path* path_;
};
Tokenizer* RecipeWikitext::tok_ = nullptr;
std::filesystem::path* RecipeWikitext::path_ = nullptr;

TEST_F(RecipeWikitext, GptqPaperAndLlamacppWindowCounts) {
  EvalDataOptions o;
  o.seqlen = 2048;
  EvalData g = loadEvalData(findRecipe("gptq-paper"), *path_, *tok_, o);
  // One stream of 288,722 tokens cut into non-overlapping windows of 2048,
  // remainder dropped: floor(288722 / 2048) = 140 windows (286,720 tokens, 2,002
  // left over), each scoring positions 1..2047.
  EXPECT_EQ(g.textTokens, 288722);
  EXPECT_EQ(g.windows.size(), std::size_t(288722 / 2048));
  EXPECT_EQ(g.windows.size(), 140u);
  EXPECT_EQ(g.scoredTokens, 140 * 2047);
  EXPECT_GT(g.scoredBytes, 0);
  EXPECT_LT(g.scoredBytes, g.textBytes);

  EvalData l = loadEvalData(findRecipe("llamacpp"), *path_, *tok_, o);
  // llama.cpp: the same 140 chunks of n_ctx = 2048; each scores the targets
  // after first = 1024, i.e. 2048 - 1 - 1024 = 1023 tokens.
  EXPECT_EQ(l.windows.size(), 140u);
  EXPECT_EQ(l.scoredTokens, 140 * 1023);
  for (const auto& w : l.windows) EXPECT_EQ(l.tokens[static_cast<std::size_t>(w.start)], 0u);
}

TEST_F(RecipeWikitext, LmEvalRollingWindowCount) {
  // Independently: the articles start at lines " = Title = " (one '=' each
  // side). lm-eval's rolling windows with context_len 1 predict up to seqlen
  // new tokens each, so an article of n tokens needs ceil(n / seqlen) windows
  // and every token is scored once.
  const std::string text = qid::eval::readTextFile(*path_);
  const std::regex heading(R"( = [^=].* = \r?)");  // the file has CRLF line ends
  std::vector<std::size_t> starts;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (std::regex_match(text.substr(pos, nl - pos), heading)) starts.push_back(pos);
    pos = nl + 1;
  }
  ASSERT_GT(starts.size(), 10u);
  std::int64_t windows = 0, tokens = 0;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::size_t begin = i == 0 ? 0 : starts[i];
    // The article ends before the newline that precedes the next heading.
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] - 1 : text.size();
    const auto n = static_cast<std::int64_t>(tok_->encode(text.substr(begin, end - begin)).size());
    windows += (n + 2047) / 2048;
    tokens += n;
  }
  EvalDataOptions o;
  o.seqlen = 2048;
  EvalData d = loadEvalData(findRecipe("lm-eval-rolling"), *path_, *tok_, o);
  EXPECT_EQ(d.documents.size(), starts.size());
  EXPECT_EQ(static_cast<std::int64_t>(d.windows.size()), windows);
  EXPECT_EQ(d.scoredTokens, tokens);
  EXPECT_EQ(d.textTokens, tokens);
  // Every byte of every article is covered by a scored token.
  EXPECT_EQ(d.scoredBytes, d.textBytes);
  ASSERT_TRUE(d.scoredWords.has_value());
  std::printf("lm-eval-rolling on wiki.test.raw: %zu articles, %lld tokens, %zu windows, %lld words\n",
              d.documents.size(), static_cast<long long>(tokens), d.windows.size(),
              static_cast<long long>(*d.scoredWords));
}

}  // namespace
