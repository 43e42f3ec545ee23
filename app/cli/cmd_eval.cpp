// qidlab-cli eval: the cross-entropy of a checkpoint on a text, under a named
// evaluation recipe (default gptq-paper, the protocol of REFERENCE.md).
#include <CLI/CLI.hpp>

#include <ATen/Parallel.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "eval/loss_eval.h"
#include "eval_args.h"
#include "model/causal_lm.h"
#include "model/dtype.h"
#include "progress_bar.h"

namespace {

namespace fs = std::filesystem;

struct Options {
  std::string model;
  qid::cli::EvalArgs eval;
  int threads = 0;
  bool json = false;
};

void run(const Options& o) {
  using namespace qid;
  if (o.threads > 0) at::set_num_threads(o.threads);
  const fs::path dir(o.model);
  const model::ModelConfig config = model::loadModelConfig(dir);
  model::architectureOf(config, (dir / "config.json").string());
  const eval::Recipe recipe = cli::resolveRecipe(o.eval);
  model::LoadOptions load;
  load.dtype = model::parseComputeDType(o.eval.dtype);
  load.device = model::parseDevice(o.eval.device);
  const model::Tokenizer tok = cli::loadTokenizer(o.eval, dir);

  const ProgressFn progress = cli::progressBar(o.json);
  const eval::EvalData data = cli::loadEvalText(o.eval, recipe, tok, config.bosTokenId, progress);
  const auto modelPtr = model::loadCausalLM(dir, load);
  eval::EvalOptions eo;
  eo.batch = o.eval.batch;
  eo.progress = progress;
  const eval::EvalResult r = eval::evaluateLoss(*modelPtr, data.tokens, data.windows, eo);
  const model::ParameterCount count = model::countParameters(config);

  if (o.json) {
    nlohmann::json j = cli::evalJson(data, r);
    j["model"] = o.model;
    j["architecture"] = config.architecture;
    j["N"] = count.nonEmbedding;
    j["N_total"] = count.total;
    j["data"] = o.eval.data;
    j["documents"] = data.documentCount;
    j["bytes"] = data.textBytes;
    j["text_tokens"] = data.textTokens;
    j["scored_bytes"] = data.scoredBytes;
    j["seqlen"] = data.seqlen;
    j["recipe"] = eval::toJson(recipe);
    j["windows_total"] = data.windowsBeforeSelection;
    j["batch"] = o.eval.batch;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("model       %s (%s, N = %lld non-embedding, N_total = %lld)\n", o.model.c_str(),
              config.architecture.c_str(), (long long)count.nonEmbedding, (long long)count.total);
  std::printf("data        %s (%lld bytes, %lld document%s, %lld tokens)\n", o.eval.data.c_str(),
              (long long)data.textBytes, (long long)data.documentCount,
              data.documentCount == 1 ? "" : "s", (long long)data.textTokens);
  std::printf("recipe      %s, seqlen %lld, %lld of %lld windows\n", recipe.id().c_str(),
              (long long)data.seqlen, (long long)data.windows.size(),
              (long long)data.windowsBeforeSelection);
  cli::printEval(data, r);
  std::printf("run         %s on %s, batch %lld, %.2f s (%.0f tokens/s)\n", r.dtype.c_str(),
              r.device.c_str(), (long long)o.eval.batch, r.wallSeconds, r.tokensPerSecond);
}

const bool registered = qid::cli::registerCommand(
    {"eval", 35, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "eval",
           "Evaluate a checkpoint's cross-entropy on a text: mean NLL in nats/token (the primary "
           "number), perplexity and bits/byte (derived from it), the standard error over "
           "windows, token and window counts, wall time and tokens/s. The text is tokenized with "
           "the model folder's tokenizer.json and cut into windows by the --recipe. Ctrl-C "
           "cancels cleanly");
       sub->add_option("--model", o->model, "Checkpoint folder (config.json + safetensors)")->required();
       qid::cli::addEvalOptions(sub, o->eval, "--data");
       sub->add_option("--threads", o->threads, "CPU threads (default: libtorch's choice)");
       sub->add_flag("--json", o->json, "Machine-readable output (includes every window's NLL)");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
