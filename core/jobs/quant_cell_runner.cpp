#include "jobs/quant_cell_runner.h"

#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "eval/loss_eval.h"
#include "eval/recipe.h"
#include "eval/windows.h"
#include "jobs/token_cache.h"
#include "jobs/torch_errors.h"
#include "model/causal_lm.h"
#include "model/dtype.h"
#include "model/model_config.h"
#include "model/tokenizer.h"
#include "quant/quant_eval.h"

namespace qid::jobs {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Runs fn with libtorch's errors translated (torch_errors.h).
template <class F>
auto translatingTorchErrors(const CellSpec& cell, F&& fn) {
  try {
    return fn();
  } catch (...) {
    rethrowTorchError(cell.model.path);
  }
}

quant::MethodOptions methodOptionsFor(const CellSpec& cell) {
  quant::MethodOptions m;
  m.method = quant::parseMethod(cell.method.method);
  m.bits = cell.method.bits;
  m.groupSize = cell.method.group ? int(*cell.method.group) : -1;
  for (const auto& [key, v] : cell.method.options.items()) {
    auto flag = [&, &key = key, &v = v](bool& out) {
      if (!v.is_boolean()) throw Error("method option '" + key + "' must be true or false, not " + v.dump());
      out = v.get<bool>();
    };
    auto number = [&, &key = key, &v = v](auto& out) {
      if (!v.is_number()) throw Error("method option '" + key + "' must be a number, not " + v.dump());
      out = v.get<std::decay_t<decltype(out)>>();
    };
    if (key == "sym" || key == "symmetric") flag(m.symmetric);
    else if (key == "damp" || key == "percdamp") number(m.percdamp);
    else if (key == "act_order") flag(m.actOrder);
    else if (key == "static_groups") flag(m.staticGroups);
    else if (key == "block_size") number(m.blockSize);
    else if (key == "awq_grid") number(m.awqGrid);
    else if (key == "awq_clip") flag(m.awqClip);
    else if (key == "int8_threshold") number(m.int8Threshold);
    else
      throw Error("unknown method option '" + key +
                  "' (known: sym, damp, act_order, static_groups, block_size, awq_grid, awq_clip, int8_threshold)");
  }
  quant::validate(m);
  return m;
}

// Everything a cell needs before it can evaluate: the model on its device and
// dtype, the eval tokens and windows.
struct Loaded {
  std::unique_ptr<model::CausalLM> model;
  std::shared_ptr<const TokenIds> evalTokens;
  std::vector<eval::Window> windows;
  model::ParameterCount params;
};

// The eval tokens and windows of a cell, as its recipe (eval/recipe.h) says.
// Recipes over one stream use the process-wide token cache; llama.cpp's BOS
// replacement is applied to a copy. Per-document recipes (lm-eval-rolling)
// tokenize each document on its own, so they read the file anew.
void loadEvalTokens(const CellSpec& cell, const fs::path& tokenizerJson, const RunContext& ctx, Loaded& l) {
  const EvalSpec& e = cell.eval;
  eval::Recipe recipe;
  try {
    recipe = eval::findRecipe(e.recipe);
  } catch (const Error& err) {
    throw Error(e.path + ": eval " + err.what());
  }
  eval::EvalDataOptions o;
  o.seqlen = e.seqlen;
  o.maxWindows = e.windows;
  o.progress = ctx.progress;
  try {
    if (recipe.layout == eval::TextLayout::Concatenated) {
      auto tokens = TokenCache::shared().tokens(e.path, cell.evalHash, tokenizerJson, ctx.progress);
      l.windows = eval::recipeWindows(recipe, std::int64_t(tokens->size()), o);
      if (recipe.bos == eval::BosPolicy::ReplaceFirst) {
        // As `qidlab-cli eval`: the vocabulary's BOS (config.json bos_token_id).
        auto tok = TokenCache::shared().tokenizer(tokenizerJson);
        const std::int64_t bos = model::loadModelConfig(tokenizerJson.parent_path()).bosTokenId;
        if (bos < 0 || std::size_t(bos) >= tok->vocabSize())
          throw Error("recipe " + recipe.id() + " puts BOS first, but bos_token_id " + std::to_string(bos) +
                      " of " + (tokenizerJson.parent_path() / "config.json").string() +
                      " is outside the tokenizer's vocabulary");
        auto replaced = std::make_shared<TokenIds>(*tokens);
        eval::applyBos(recipe, *replaced, l.windows, std::uint32_t(bos));
        tokens = std::move(replaced);
      }
      l.evalTokens = std::move(tokens);
    } else {
      auto tok = TokenCache::shared().tokenizer(tokenizerJson);
      eval::EvalData data = eval::loadEvalData(recipe, e.path, *tok, o);
      l.windows = std::move(data.windows);
      l.evalTokens = std::make_shared<const TokenIds>(std::move(data.tokens));
    }
  } catch (const Error& err) {
    const std::string what = err.what();
    if (what.find(e.path) != std::string::npos) throw;
    throw Error(e.path + ": " + what);
  }
}

Loaded load(const CellSpec& cell, const RunContext& ctx) {
  fs::path dir = cell.model.path;
  if (!fs::is_directory(dir)) throw Error(dir.string() + ": checkpoint folder does not exist");
  Loaded l;
  loadEvalTokens(cell, dir / "tokenizer.json", ctx, l);
  report(ctx.progress, {"load", 0, 1, dir.filename().string()});
  model::LoadOptions lo;
  lo.dtype = model::parseComputeDType(cell.dtype);
  lo.device = model::parseDevice(ctx.device);
  l.model = model::loadCausalLM(dir, lo);
  l.params = model::countParameters(l.model->config());
  report(ctx.progress, {"load", 1, 1, dir.filename().string()});
  return l;
}

std::vector<float> toFloats(const std::vector<double>& v) { return {v.begin(), v.end()}; }

}  // namespace

QuantCellRunner::QuantCellRunner(QuantCellRunnerOptions options) : options_(options) {}

namespace {

std::int64_t batchFor(const QuantCellRunnerOptions& o, const CellSpec& cell, const RunContext& ctx,
                      std::size_t windows) {
  std::int64_t b = o.batch;
  if (b <= 0) {
    // About 8k tokens per forward on a CPU, 32k on a GPU.
    bool gpu = ctx.device.rfind("cuda", 0) == 0;
    b = std::max<std::int64_t>(1, (gpu ? 32768 : 8192) / std::max(1, cell.eval.seqlen));
  }
  b = std::min<std::int64_t>(b, std::max<std::size_t>(1, windows));
  return std::max<std::int64_t>(1, b / std::max(1, ctx.batchDivisor));
}

}  // namespace

BaselineOutcome QuantCellRunner::baseline(const CellSpec& cell, const RunContext& ctx) {
  return translatingTorchErrors(cell, [&] {
    at::NoGradGuard noGrad;
    auto t0 = Clock::now();
    Loaded l = load(cell, ctx);
    eval::EvalOptions eo;
    eo.batch = batchFor(options_, cell, ctx, l.windows.size());
    eo.progress = ctx.progress;
    eval::EvalResult r = eval::evaluateLoss(*l.model, *l.evalTokens, l.windows, eo);
    BaselineOutcome b;
    b.loss16 = r.meanNll;
    b.stderr_ = r.stderrNll;
    b.tokenCount = r.tokenCount;
    b.windowNll = toFloats(r.windowNll);
    b.N = double(l.params.nonEmbedding);
    b.Ntotal = double(l.params.total);
    b.wallTimeS = secondsSince(t0);
    return b;
  });
}

QuantOutcome QuantCellRunner::quantize(const CellSpec& cell, const store::Baseline& baseline, const RunContext& ctx) {
  return translatingTorchErrors(cell, [&] {
    at::NoGradGuard noGrad;
    auto t0 = Clock::now();
    quant::QuantEvalOptions qo;
    qo.pipeline.method = methodOptionsFor(cell);
    Loaded l = load(cell, ctx);

    // The stored baseline must cover exactly these windows.
    const std::int64_t scored = eval::scoredTokens(l.windows);
    if (baseline.windowNll.size() != l.windows.size() || baseline.tokenCount != scored)
      throw Error("the stored 16-bit baseline of " + cell.model.path + " covers " +
                  std::to_string(baseline.windowNll.size()) + " windows and " + std::to_string(baseline.tokenCount) +
                  " tokens, but " + cell.eval.path + " gives " + std::to_string(l.windows.size()) + " windows and " +
                  std::to_string(scored) + " tokens now: the baseline and the quantized run would not be paired");
    eval::EvalResult base;
    base.meanNll = baseline.loss16;
    base.perplexity = std::exp(baseline.loss16);
    base.tokenCount = baseline.tokenCount;
    base.sumNll = baseline.loss16 * double(baseline.tokenCount);
    base.windowCount = std::int64_t(l.windows.size());
    base.stderrNll = baseline.stderr_.value_or(0.0);
    base.windowNll.assign(baseline.windowNll.begin(), baseline.windowNll.end());
    for (const auto& w : l.windows) base.windowTokens.push_back(w.scored());
    base.dtype = model::computeDTypeName(l.model->dtype());
    base.device = ctx.device;

    std::shared_ptr<const TokenIds> calib;
    if (!cell.calib.path.empty()) {
      calib = TokenCache::shared().tokens(cell.calib.path, cell.calibHash, fs::path(cell.model.path) / "tokenizer.json",
                                          ctx.progress);
    } else if (quant::needsCalibration(qo.pipeline.method.method)) {
      throw Error("method " + cell.method.method +
                  " needs calibration text: give the plan a \"calibration\": {\"path\": ...}");
    }
    qo.pipeline.calibration.samples = cell.calib.samples;
    qo.pipeline.calibration.seqlen = cell.calib.seqlen > 0 ? cell.calib.seqlen : cell.eval.seqlen;
    qo.pipeline.calibration.seed = cell.calib.seed;
    qo.pipeline.calibOnCpu = options_.calibOnCpu;
    qo.pipeline.progress = ctx.progress;
    qo.eval.batch = batchFor(options_, cell, ctx, l.windows.size());
    qo.eval.progress = ctx.progress;
    qo.klDivergence = cell.eval.kl;

    static const TokenIds noTokens;
    quant::QuantEvalResult r =
        quant::quantizeAndEvaluate(*l.model, calib ? *calib : noTokens, *l.evalTokens, l.windows, qo, &base);

    QuantOutcome q;
    q.lossq = r.lossq;
    q.stderr_ = r.deltaStderr;
    q.tokenCount = r.tokenCount;
    q.windowNllq = toFloats(r.windowNllQ);
    int dampIncreases = 0;
    for (const auto& layer : r.layers) {
      dampIncreases += layer.dampIncreases;
      json e{{"layer", layer.layer},  {"linear", layer.linear},   {"rows", layer.rows},
             {"cols", layer.cols},    {"seconds", layer.seconds}, {"damp", layer.damp},
             {"damp_increases", layer.dampIncreases}};
      e["rel_error"] = std::isfinite(layer.relativeError) ? json(layer.relativeError) : json(nullptr);
      q.perLayer.push_back(std::move(e));
    }
    q.details = {{"damp_increases", dampIncreases},
                 {"quantize_s", r.quantizeSeconds},
                 {"eval_s", r.evalSeconds},
                 {"batch", qo.eval.batch},
                 {"batch_divisor", ctx.batchDivisor},
                 {"calibration_windows", r.calibrationWindows.size()},
                 {"eval_windows", r.windowCount},
                 {"dtype", base.dtype},
                 {"device", r.quantized.device.empty() ? ctx.device : r.quantized.device},
                 {"calib_on_cpu", options_.calibOnCpu}};
    if (r.klDivergence) {
      q.details["kl_divergence"] = *r.klDivergence;  // nats per scored token
      q.details["kl_stderr"] = r.klStderr;
      q.details["top_token_agreement"] = r.topTokenAgreement.value_or(0.0);
    }
    q.N = double(l.params.nonEmbedding);
    q.Ntotal = double(l.params.total);
    q.wallTimeS = secondsSince(t0);
    return q;
  });
}

}  // namespace qid::jobs
