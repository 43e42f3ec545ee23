#pragma once
// The evaluation options `eval` and `quantize` share (text, seqlen, windows,
// recipe, tokenizer, dtype, device, batch), and their report.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/progress.h"
#include "eval/loss_eval.h"
#include "eval/recipe.h"
#include "model/tokenizer.h"

namespace CLI {
class App;
class Option;
}

namespace qid::cli {

struct EvalArgs {
  std::string data;        // --data / --eval
  std::string tokenizer;   // --tokenizer; default MODEL/tokenizer.json
  std::string recipe = eval::kDefaultRecipe;
  std::int64_t seqlen = 2048;
  std::int64_t stride = -1;  // -1: the recipe's
  std::int64_t maxWindows = 0, sample = 0;
  std::uint64_t seed = 0;
  std::string dtype = "fp32", device = "cpu";
  std::int64_t batch = 1;
  const CLI::Option* seedOpt = nullptr;  // set by addEvalOptions (was --seed given?)
};

// Adds the options; `dataOption` is "--data" (eval) or "--eval" (quantize).
void addEvalOptions(CLI::App* sub, EvalArgs& args, const std::string& dataOption);

// The recipe with --stride applied.
eval::Recipe resolveRecipe(const EvalArgs& args);

// --tokenizer, else MODEL/tokenizer.json; a clear error when neither exists.
model::Tokenizer loadTokenizer(const EvalArgs& args, const std::filesystem::path& modelDir);

// Reads and tokenizes --data for the recipe (BOS id from the model config).
eval::EvalData loadEvalText(const EvalArgs& args, const eval::Recipe& recipe,
                            const model::Tokenizer& tokenizer, std::int64_t bosId,
                            const ProgressFn& progress);

// The numbers of one evaluation, as `eval --json` prints them.
nlohmann::json evalJson(const eval::EvalData& data, const eval::EvalResult& result);

// "2.345678 nats/token ± 0.0123" style lines for text output.
void printEval(const eval::EvalData& data, const eval::EvalResult& result, const char* indent = "");

}  // namespace qid::cli
