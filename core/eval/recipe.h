#pragma once
// Evaluation recipes: everything that changes a loss number besides the model
// and the text, named and versioned so that a measurement says exactly how it
// was taken. Presets are data (resources/recipes/*.json):
//
//   gptq-paper       (default) the text tokenized once as one stream, non-
//                    overlapping windows of seqlen, remainder dropped, no BOS,
//                    window positions 1..seqlen-1 scored (REFERENCE.md).
//   lm-eval-rolling  each document on its own with the end-of-text token as a
//                    prefix, rolling windows of seqlen model inputs that score
//                    every token of the document once; per-token, per-word
//                    and per-byte normalisation (lm-evaluation-harness).
//   llamacpp         one stream, non-overlapping windows of seqlen, the first
//                    token of each replaced by BOS, only targets
//                    seqlen/2+1..seqlen-1 scored (llama.cpp perplexity).
//
// A recipe turns documents + a tokenizer + seqlen into a token stream and the
// windows over it (prepareEvalData). evaluateLoss() then scores those windows
// unchanged; normaliseLoss() gives the per-byte / per-word figures.
//
// Window convention (windows.h): a window feeds tokens [start, start+length)
// and scores the targets at positions scoreFrom..length-1. A rolling window
// of lm-eval-rolling spans seqlen+1 stream tokens: seqlen of them are the
// model's inputs for the scored targets, the last one is only a target.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "eval/windows.h"
#include "model/tokenizer.h"

namespace qid::eval {

struct EvalResult;

// How the documents of a text source become token streams.
enum class TextLayout {
  Concatenated,  // one stream: documents joined by the end-of-text id
  PerDocument,   // each document its own stream; windows never cross documents
};

// How a plain text file (not JSONL) is cut into documents for PerDocument.
enum class DocumentSplit {
  AsGiven,           // the file is one document (JSONL: one per line)
  WikitextArticles,  // at WikiText top-level headings (" = Title = " lines)
};

// Which targets of a window are scored.
enum class ScoredPositions {
  AfterFirst,  // 1..length-1 (every target with a context in the window)
  SecondHalf,  // seqlen/2+1 .. seqlen-1 (llama.cpp)
  Rolling,     // lm-eval rolling windows: every token of a document once
};

enum class BosPolicy {
  None,
  PrefixDocument,  // a BOS/end-of-text id before each document (lm-eval's prefix token)
  ReplaceFirst,    // the first token of each window becomes BOS (llama.cpp)
};

struct Recipe {
  std::string name;  // "gptq-paper"
  int version = 1;
  std::string title;
  std::string citation;
  TextLayout layout = TextLayout::Concatenated;
  DocumentSplit documents = DocumentSplit::AsGiven;
  std::int64_t stride = 0;  // 0: non-overlapping; 0 < s < seqlen: sliding (Concatenated, AfterFirst, no BOS)
  ScoredPositions score = ScoredPositions::AfterFirst;
  BosPolicy bos = BosPolicy::None;
  std::vector<std::string> normalisation = {"token"};  // "token" first; "word", "byte"
  // Fields changed from the named preset ({} for a preset as it is).
  nlohmann::json overrides = nlohmann::json::object();

  // "gptq-paper@1", or "gptq-paper@1+stride=512" with overrides.
  std::string id() const;
  bool normalises(const std::string& unit) const;
};

inline constexpr const char* kDefaultRecipe = "gptq-paper";

// The bundled preset names, sorted.
std::vector<std::string> recipeNames();
// A bundled preset ("" means kDefaultRecipe). Throws qid::Error naming the
// known recipes for an unknown name.
Recipe findRecipe(const std::string& name);
// Parses recipe JSON (the resources/recipes format); `where` names it in errors.
Recipe parseRecipe(const nlohmann::json& json, const std::string& where);
// Every field, plus "id"; parseRecipe(toJson(r)) gives r back.
nlohmann::json toJson(const Recipe& recipe);
// Changes fields of a recipe (keys as in its JSON, e.g. {"stride": 512}),
// records them in `overrides` and re-checks the recipe. Throws qid::Error for
// unknown keys, bad values and combinations the recipe cannot honour.
void overrideRecipe(Recipe& recipe, const nlohmann::json& changes);

struct EvalDataOptions {
  std::int64_t seqlen = 2048;
  std::int64_t maxWindows = 0;  // > 0: the first K windows
  std::int64_t sample = 0;      // > 0: K windows at random (seeded), kept in order
  std::uint64_t seed = 0;
  // The BOS / prefix id for recipes that need one; default: the tokenizer's
  // end-of-text id (Pythia: 0, which is also its bos_token_id).
  std::optional<std::uint32_t> bosId;
  model::EncodeOptions encode;
  ProgressFn progress;  // stage "tokenize", bytes
};

// One document's place in EvalData::tokens.
struct DocumentSpan {
  std::int64_t begin = 0;  // first stream index (the prefix token, if any)
  std::int64_t end = 0;    // one past the last
  std::int64_t bytes = 0;  // UTF-8 bytes of the document text
  std::int64_t words = 0;  // len(re.split(r"\s+", text)), as lm-eval counts
};

// Everything evaluateLoss needs, plus what the normalisations divide by.
struct EvalData {
  Recipe recipe;
  std::int64_t seqlen = 0;
  std::vector<std::uint32_t> tokens;  // the stream(s) the windows index
  std::vector<Window> windows;        // after max/sample selection
  std::int64_t windowsBeforeSelection = 0;
  std::int64_t textTokens = 0;        // tokens of the text itself (no BOS/prefix)
  std::vector<DocumentSpan> documents;  // PerDocument: one per non-empty document
  std::int64_t documentCount = 0;     // documents read from the source
  std::int64_t textBytes = 0;         // bytes of the source text(s)
  std::int64_t scoredTokens = 0;      // targets the windows score
  std::int64_t scoredBytes = 0;       // UTF-8 bytes those targets decode to
  std::optional<std::int64_t> scoredWords;  // recipes normalising per word
};

// Tokenizes the documents as the recipe says and plans its windows. Throws
// qid::Error when the text is shorter than one window (Concatenated) or has
// no tokens at all, or the options do not fit the recipe.
EvalData prepareEvalData(const Recipe& recipe, const std::vector<std::string>& documents,
                         const model::Tokenizer& tokenizer, const EvalDataOptions& options);

// The documents of a file for a recipe: JSONL lines, else the whole file, or
// (PerDocument with WikitextArticles) its articles. Errors name the file.
std::vector<std::string> readRecipeDocuments(const Recipe& recipe,
                                             const std::filesystem::path& path);

// readRecipeDocuments + prepareEvalData.
EvalData loadEvalData(const Recipe& recipe, const std::filesystem::path& path,
                      const model::Tokenizer& tokenizer, const EvalDataOptions& options);

// Windows of a Concatenated recipe over a stream the caller already has
// (e.g. cached token ids); throws for PerDocument recipes. Does not apply BOS
// replacement: use applyBos() on the tokens for ReplaceFirst recipes.
std::vector<Window> recipeWindows(const Recipe& recipe, std::int64_t numTokens,
                                  const EvalDataOptions& options);
// For ReplaceFirst: sets the first token of every window to bosId.
void applyBos(const Recipe& recipe, std::vector<std::uint32_t>& tokens,
              const std::vector<Window>& windows, std::uint32_t bosId);

// WikiText articles: split at top-level heading lines (" = Title = ", not
// " = = Section = = "); each article runs from its heading to the line
// before the next one (lines joined by "\n"); text before the first heading
// goes with the first article; whitespace-only pieces are dropped.
std::vector<std::string> splitWikitextArticles(const std::string& text);

// Python's len(re.split(r"\s+", text)) (Unicode whitespace).
std::int64_t countWordsLikeLmEval(std::string_view text);

// The loss in each of the recipe's units. nats/token is the primary number;
// the others are derived from its sum.
struct NormalisedLoss {
  double nllPerToken = 0;
  double perplexity = 0;                   // exp(nllPerToken), derived
  std::optional<double> bitsPerByte;       // sumNll / (ln 2 * scoredBytes), derived
  std::optional<double> bytePerplexity;    // exp(sumNll / scoredBytes), derived
  std::optional<double> wordPerplexity;    // exp(sumNll / scoredWords), derived
};

// Throws qid::Error when the result was not computed on data's windows.
NormalisedLoss normaliseLoss(const EvalData& data, const EvalResult& result);
nlohmann::json toJson(const NormalisedLoss& loss);

}  // namespace qid::eval
