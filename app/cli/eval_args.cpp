#include "eval_args.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>

#include "common/error.h"

namespace qid::cli {

namespace fs = std::filesystem;

void addEvalOptions(CLI::App* sub, EvalArgs& a, const std::string& dataOption) {
  sub->add_option(dataOption, a.data,
                  "Evaluation text: a plain UTF-8 file read exactly as it is, or .jsonl/.ndjson "
                  "with one {\"text\": ...} document per line")
      ->required();
  sub->add_option("--seqlen", a.seqlen, "Window length in tokens (the model's context)")
      ->capture_default_str();
  sub->add_option("--recipe", a.recipe,
                  "Evaluation recipe: gptq-paper (default: one token stream, non-overlapping "
                  "windows, remainder dropped, no BOS), lm-eval-rolling (per document, rolling "
                  "windows, per-word/byte normalised), llamacpp (BOS first, second half scored)")
      ->capture_default_str();
  sub->add_option("--stride", a.stride,
                  "Sliding windows that start every S tokens and score only tokens not scored "
                  "yet (overrides the recipe; recorded in its id)");
  sub->add_option("--max-windows", a.maxWindows, "Only the first K windows");
  sub->add_option("--sample", a.sample, "K windows drawn at random (see --seed), kept in order");
  a.seedOpt = sub->add_option("--seed", a.seed,
                              dataOption == "--eval"
                                  ? "Seed for --sample and for the calibration draw (default 0)"
                                  : "Seed for --sample (default 0)");
  sub->add_option("--tokenizer", a.tokenizer, "tokenizer.json (default: the model folder's)");
  sub->add_option("--dtype", a.dtype, "Compute dtype: fp32, bf16 or fp16")->capture_default_str();
  sub->add_option("--device", a.device, "cpu, cuda or cuda:N")->capture_default_str();
  sub->add_option("--batch", a.batch, "Windows per forward pass")->capture_default_str();
}

eval::Recipe resolveRecipe(const EvalArgs& a) {
  eval::Recipe r = eval::findRecipe(a.recipe);
  if (a.stride >= 0) eval::overrideRecipe(r, {{"stride", a.stride == a.seqlen ? 0 : a.stride}});
  return r;
}

model::Tokenizer loadTokenizer(const EvalArgs& a, const fs::path& modelDir) {
  fs::path path = a.tokenizer.empty() ? modelDir / "tokenizer.json" : fs::path(a.tokenizer);
  if (a.tokenizer.empty() && !fs::exists(path))
    throw Error(modelDir.string() + ": no tokenizer.json in the model folder (give --tokenizer FILE)");
  auto tok = model::Tokenizer::fromFile(path);
  for (const auto& w : tok.warnings()) std::fprintf(stderr, "qidlab-cli: warning: %s\n", w.c_str());
  return tok;
}

eval::EvalData loadEvalText(const EvalArgs& a, const eval::Recipe& recipe,
                            const model::Tokenizer& tok, std::int64_t bosId,
                            const ProgressFn& progress) {
  if (a.batch < 1) throw Error("--batch must be at least 1");
  eval::EvalDataOptions o;
  o.seqlen = a.seqlen;
  o.maxWindows = a.maxWindows;
  o.sample = a.sample;
  o.seed = a.seed;
  // llama.cpp puts the vocabulary's BOS (config.json bos_token_id) first;
  // lm-eval prefixes documents with the tokenizer's end-of-text token (the default).
  if (recipe.bos == eval::BosPolicy::ReplaceFirst && bosId >= 0 &&
      static_cast<std::size_t>(bosId) < tok.vocabSize())
    o.bosId = static_cast<std::uint32_t>(bosId);
  o.progress = progress;
  return eval::loadEvalData(recipe, a.data, tok, o);
}

nlohmann::json evalJson(const eval::EvalData& d, const eval::EvalResult& r) {
  const eval::NormalisedLoss n = eval::normaliseLoss(d, r);
  nlohmann::json j;
  j["nll"] = r.meanNll;
  j["nll_unit"] = "nats/token";
  j["stderr"] = r.stderrNll;
  j["normalised"] = eval::toJson(n);
  j["perplexity"] = n.perplexity;
  j["bits_per_byte"] = n.bitsPerByte ? nlohmann::json(*n.bitsPerByte) : nlohmann::json();
  j["tokens"] = r.tokenCount;
  j["windows"] = r.windowCount;
  j["dtype"] = r.dtype;
  j["device"] = r.device;
  j["wall_s"] = r.wallSeconds;
  j["tokens_per_s"] = r.tokensPerSecond;
  j["window_nll"] = r.windowNll;
  return j;
}

void printEval(const eval::EvalData& d, const eval::EvalResult& r, const char* in) {
  const eval::NormalisedLoss n = eval::normaliseLoss(d, r);
  std::printf("%sloss        %.6f nats/token  (stderr %.6f over %lld windows)\n", in, r.meanNll,
              r.stderrNll, (long long)r.windowCount);
  std::printf("%sperplexity  %.4f  (derived: exp(loss))\n", in, n.perplexity);
  if (n.bitsPerByte)
    std::printf("%sbits/byte   %.6f  (derived: sum NLL / (ln 2 x %lld bytes))\n", in, *n.bitsPerByte,
                (long long)d.scoredBytes);
  if (n.wordPerplexity)
    std::printf("%sword ppl    %.4f  (derived: exp(sum NLL / %lld words))\n", in, *n.wordPerplexity,
                (long long)*d.scoredWords);
  std::printf("%stokens      %lld scored in %lld windows\n", in, (long long)r.tokenCount,
              (long long)r.windowCount);
  if (!std::isfinite(r.meanNll))
    std::fprintf(stderr, "qidlab-cli: warning: the loss is not finite: the checkpoint may hold NaN/Inf "
                         "weights, or the dtype overflowed (try --dtype fp32)\n");
}

}  // namespace qid::cli
