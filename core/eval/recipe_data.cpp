// From documents to the token stream and windows of a recipe, and the
// normalised losses (recipe.h).
#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "common/error.h"
#include "eval/loss_eval.h"
#include "eval/recipe.h"
#include "eval/text_source.h"

namespace qid::eval {

namespace {

std::uint32_t bosIdFor(const Recipe& r, const model::Tokenizer& tok, const EvalDataOptions& o) {
  if (o.bosId) return *o.bosId;
  if (auto eos = tok.eosId()) return *eos;
  throw Error("recipe " + r.id() + " needs a BOS/prefix token, but " + tok.source() +
              " has no end-of-text token and none was given");
}

// lm-eval's rolling windows (context_len 1) over one document whose stream
// is [prefix, t0, ..., t(n-1)] starting at `offset`. The first window feeds
// the prefix and min(L, n) - 1 tokens and scores t0..; each later one scores
// the next up to L tokens, fed by the L stream tokens just before each.
void rollingWindows(std::int64_t offset, std::int64_t n, std::int64_t L, std::vector<Window>& out) {
  const std::int64_t first = std::min(L, n);
  out.push_back({offset, first + 1, 1});
  for (std::int64_t predicted = first; predicted < n;) {
    const std::int64_t count = std::min(n - predicted, L);
    const std::int64_t end = predicted + count;  // document index one past the last target
    out.push_back({offset + end - L, L + 1, L + 1 - count});
    predicted = end;
  }
}

// Whitespace as Python's str.isspace() sees it, matched on UTF-8 bytes; the
// length of the sequence at s[i], or 0.
std::size_t spaceAt(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) return 1;
  if (c == 0xC2 && i + 1 < s.size() && (b(i + 1) == 0x85 || b(i + 1) == 0xA0)) return 2;
  if (i + 2 >= s.size()) return 0;
  const unsigned c1 = b(i + 1), c2 = b(i + 2);
  if (c == 0xE1 && c1 == 0x9A && c2 == 0x80) return 3;                  // U+1680
  if (c == 0xE2 && c1 == 0x80 && (c2 <= 0x8A || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF))
    return 3;                                                           // U+2000-200A, 2028, 2029, 202F
  if (c == 0xE2 && c1 == 0x81 && c2 == 0x9F) return 3;                  // U+205F
  if (c == 0xE3 && c1 == 0x80 && c2 == 0x80) return 3;                  // U+3000
  return 0;
}

bool isTopLevelHeading(std::string_view line) {
  const auto b = line.find_first_not_of(' ');
  if (b == std::string_view::npos) return false;
  const auto e = line.find_last_not_of(" \r");  // CRLF files keep their \r
  std::string_view t = line.substr(b, e - b + 1);
  return t.size() >= 5 && t.substr(0, 2) == "= " && t.substr(t.size() - 2) == " =" &&
         t.substr(0, 3) != "= =";
}

bool blank(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = spaceAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Byte lengths of tokens as decoded (special tokens count 0: they are not text).
class TokenBytes {
 public:
  explicit TokenBytes(const model::Tokenizer& tok) : tok_(tok) {}
  std::int64_t operator()(std::uint32_t id) {
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second;
    const std::uint32_t one[1] = {id};
    const auto n = static_cast<std::int64_t>(tok_.decode(one, true).size());
    cache_.emplace(id, n);
    return n;
  }

 private:
  const model::Tokenizer& tok_;
  std::unordered_map<std::uint32_t, std::int64_t> cache_;
};

}  // namespace

std::vector<std::string> splitWikitextArticles(const std::string& text) {
  std::vector<std::string> articles;
  std::string current;
  bool haveHeading = false, first = true;
  auto flush = [&] {
    if (!blank(current)) articles.push_back(std::move(current));
    current.clear();
    first = true;
  };
  std::size_t pos = 0;
  while (true) {
    std::size_t nl = text.find('\n', pos);
    const bool last = nl == std::string::npos;
    std::string_view line(text.data() + pos, (last ? text.size() : nl) - pos);
    if (isTopLevelHeading(line)) {
      if (haveHeading) flush();
      haveHeading = true;
    }
    if (!first) current += '\n';
    current.append(line);
    first = false;
    if (last) break;
    pos = nl + 1;
  }
  flush();
  return articles;
}

std::int64_t countWordsLikeLmEval(std::string_view text) {
  std::int64_t pieces = 1;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = spaceAt(text, i);
    if (n == 0) {
      ++i;
      continue;
    }
    ++pieces;  // one split per maximal run
    while (i < text.size() && (n = spaceAt(text, i)) > 0) i += n;
  }
  return pieces;
}

std::vector<Window> recipeWindows(const Recipe& recipe, std::int64_t numTokens,
                                  const EvalDataOptions& o) {
  if (recipe.layout != TextLayout::Concatenated)
    throw Error("recipe " + recipe.id() + " evaluates documents one by one: use prepareEvalData");
  WindowOptions w;
  w.seqlen = o.seqlen;
  w.stride = recipe.stride;
  w.scoreFrom = recipe.score == ScoredPositions::SecondHalf ? o.seqlen / 2 + 1 : 0;
  w.maxWindows = o.maxWindows;
  w.sample = o.sample;
  w.seed = o.seed;
  if (recipe.score == ScoredPositions::SecondHalf && o.seqlen < 4)
    throw Error("recipe " + recipe.id() + " scores the second half of each window: seqlen must be at least 4");
  return planWindows(numTokens, w);
}

void applyBos(const Recipe& recipe, std::vector<std::uint32_t>& tokens,
              const std::vector<Window>& windows, std::uint32_t bosId) {
  if (recipe.bos != BosPolicy::ReplaceFirst) return;
  for (const auto& w : windows) tokens.at(static_cast<std::size_t>(w.start)) = bosId;
}

EvalData prepareEvalData(const Recipe& recipe, const std::vector<std::string>& documents,
                         const model::Tokenizer& tok, const EvalDataOptions& o) {
  if (o.seqlen < 2) throw Error("seqlen must be at least 2 (got " + std::to_string(o.seqlen) + ")");
  EvalData d;
  d.recipe = recipe;
  d.seqlen = o.seqlen;
  d.documentCount = static_cast<std::int64_t>(documents.size());
  for (const auto& doc : documents) d.textBytes += static_cast<std::int64_t>(doc.size());

  std::vector<Window> all;
  if (recipe.layout == TextLayout::Concatenated) {
    d.tokens = tokenizeDocuments(tok, documents, o.progress, o.encode);
    d.textTokens = static_cast<std::int64_t>(d.tokens.size());
    EvalDataOptions unselected = o;
    unselected.maxWindows = unselected.sample = 0;
    all = recipeWindows(recipe, d.textTokens, unselected);
    if (o.sample > 0 && recipe.stride > 0 && recipe.stride != o.seqlen)
      throw Error("--sample needs non-overlapping windows (no --stride)");
  } else {
    const std::uint32_t prefix = bosIdFor(recipe, tok, o);
    std::int64_t done = 0;
    for (const auto& doc : documents) {
      ProgressFn inner;
      if (o.progress)
        inner = [&](const Progress& p) {
          return o.progress(Progress{"tokenize", done + p.done, d.textBytes, p.message});
        };
      std::vector<std::uint32_t> ids = tok.encode(doc, o.encode, inner);
      done += static_cast<std::int64_t>(doc.size());
      if (ids.empty()) continue;
      DocumentSpan span;
      span.begin = static_cast<std::int64_t>(d.tokens.size());
      d.tokens.push_back(prefix);
      d.tokens.insert(d.tokens.end(), ids.begin(), ids.end());
      span.end = static_cast<std::int64_t>(d.tokens.size());
      span.bytes = static_cast<std::int64_t>(doc.size());
      span.words = countWordsLikeLmEval(doc);
      d.textTokens += static_cast<std::int64_t>(ids.size());
      rollingWindows(span.begin, static_cast<std::int64_t>(ids.size()), o.seqlen, all);
      d.documents.push_back(span);
    }
    if (all.empty()) throw Error("the text has no tokens to evaluate");
  }
  d.windowsBeforeSelection = static_cast<std::int64_t>(all.size());
  d.windows = selectWindows(all, o.maxWindows, o.sample, o.seed);
  if (recipe.bos == BosPolicy::ReplaceFirst) applyBos(recipe, d.tokens, d.windows, bosIdFor(recipe, tok, o));

  // What the scored targets stand for.
  TokenBytes bytesOf(tok);
  d.scoredTokens = scoredTokens(d.windows);
  for (const auto& w : d.windows)
    for (std::int64_t t = w.scoreFrom; t < w.length; ++t)
      d.scoredBytes += bytesOf(d.tokens[static_cast<std::size_t>(w.start + t)]);
  if (recipe.normalises("word")) {
    // Whole documents count their words as lm-eval does; a document only
    // partly selected (--max-windows, --sample) counts the words of the text
    // its scored targets decode to.
    auto docOf = [&](const Window& w) {
      auto it = std::upper_bound(d.documents.begin(), d.documents.end(), w.start,
                                 [](std::int64_t s, const DocumentSpan& span) { return s < span.begin; });
      return static_cast<std::size_t>(std::distance(d.documents.begin(), it) - 1);
    };
    std::vector<std::int64_t> total(d.documents.size(), 0), kept(d.documents.size(), 0);
    for (const auto& w : all) ++total[docOf(w)];
    for (const auto& w : d.windows) ++kept[docOf(w)];
    std::int64_t words = 0;
    std::vector<std::vector<std::uint32_t>> partial(d.documents.size());
    for (const auto& w : d.windows) {
      const std::size_t k = docOf(w);
      if (kept[k] == total[k]) continue;
      for (std::int64_t t = w.scoreFrom; t < w.length; ++t)
        partial[k].push_back(d.tokens[static_cast<std::size_t>(w.start + t)]);
    }
    for (std::size_t k = 0; k < d.documents.size(); ++k) {
      if (kept[k] == 0) continue;
      words += kept[k] == total[k] ? d.documents[k].words
                                   : countWordsLikeLmEval(tok.decode(partial[k], true));
    }
    d.scoredWords = words;
  }
  return d;
}

std::vector<std::string> readRecipeDocuments(const Recipe& recipe, const std::filesystem::path& path) {
  if (isJsonlPath(path)) return readJsonlTexts(path);
  std::string text = readTextFile(path);
  if (recipe.layout == TextLayout::PerDocument && recipe.documents == DocumentSplit::WikitextArticles) {
    auto articles = splitWikitextArticles(text);
    if (!articles.empty()) return articles;
  }
  return {std::move(text)};
}

EvalData loadEvalData(const Recipe& recipe, const std::filesystem::path& path,
                      const model::Tokenizer& tokenizer, const EvalDataOptions& options) {
  std::vector<std::string> documents = readRecipeDocuments(recipe, path);
  try {
    return prepareEvalData(recipe, documents, tokenizer, options);
  } catch (const Cancelled&) {
    throw;
  } catch (const Error& e) {
    const std::string msg = e.what();
    if (msg.rfind(path.string(), 0) == 0) throw;
    throw Error(path.string() + ": " + msg);
  }
}

NormalisedLoss normaliseLoss(const EvalData& d, const EvalResult& r) {
  if (r.windowCount != static_cast<std::int64_t>(d.windows.size()) || r.tokenCount != d.scoredTokens)
    throw Error("the evaluation covers " + std::to_string(r.windowCount) + " windows and " +
                std::to_string(r.tokenCount) + " tokens, the recipe's data " +
                std::to_string(d.windows.size()) + " windows and " +
                std::to_string(d.scoredTokens) + " tokens");
  NormalisedLoss n;
  n.nllPerToken = r.meanNll;
  n.perplexity = std::exp(r.meanNll);
  if (d.recipe.normalises("byte") && d.scoredBytes > 0) {
    n.bitsPerByte = r.sumNll / (std::log(2.0) * static_cast<double>(d.scoredBytes));
    n.bytePerplexity = std::exp(r.sumNll / static_cast<double>(d.scoredBytes));
  }
  if (d.recipe.normalises("word") && d.scoredWords && *d.scoredWords > 0)
    n.wordPerplexity = std::exp(r.sumNll / static_cast<double>(*d.scoredWords));
  return n;
}

nlohmann::json toJson(const NormalisedLoss& n) {
  nlohmann::json j{{"nll_per_token", n.nllPerToken}, {"perplexity", n.perplexity}};
  nlohmann::json derived = {"perplexity"};
  auto put = [&](const char* key, const std::optional<double>& v) {
    if (!v) return;
    j[key] = *v;
    derived.push_back(key);
  };
  put("bits_per_byte", n.bitsPerByte);
  put("byte_perplexity", n.bytePerplexity);
  put("word_perplexity", n.wordPerplexity);
  j["derived"] = derived;
  return j;
}

}  // namespace qid::eval
