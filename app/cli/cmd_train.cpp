// qidlab-cli train: train a micro-suite (several GPT-NeoX sizes, same data
// order, Pythia-style checkpoints) into a folder of HF checkpoints.
#include <CLI/CLI.hpp>

#include <ATen/Parallel.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <regex>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "progress_bar.h"
#include "train/suite.h"

namespace {

namespace fs = std::filesystem;

struct Args {
  std::string out;
  std::string preset = "quick";
  std::vector<std::string> corpus;
  std::string tokenizer;
  std::vector<std::string> sizes;
  std::int64_t steps = 0, seqlen = 0, batch = 0, checkpointEvery = 0;
  std::string schedule;
  double lr = 0, minLr = -1, warmupFraction = -1, decayFraction = -1;
  std::int64_t seed = -1, dataSeed = -1;
  bool bitnetTwins = false;
  int threads = 0;
  bool json = false;
  bool quiet = false;
};

qid::train::SuiteSize parseSize(const std::string& text) {
  static const std::regex re(R"(([A-Za-z0-9_.-]+):(\d+)x(\d+)x(\d+))");
  std::smatch m;
  if (!std::regex_match(text, m, re))
    throw qid::Error("--size '" + text + "': expected NAME:LAYERSxHIDDENxHEADS, e.g. s1:2x64x4");
  return {m[1], std::stoll(m[2]), std::stoll(m[3]), std::stoll(m[4])};
}

}  // namespace

namespace {

qid::train::SuitePlan applyOverrides(const Args& a) {
  qid::train::SuitePlan plan = qid::train::loadSuitePlan(a.preset);
  if (!a.sizes.empty()) {
    plan.sizes.clear();
    for (const auto& s : a.sizes) plan.sizes.push_back(parseSize(s));
  }
  if (a.steps > 0) plan.totalSteps = a.steps;
  if (a.seqlen > 0) plan.seqLen = a.seqlen;
  if (a.batch > 0) plan.batchSize = a.batch;
  if (a.checkpointEvery > 0) plan.checkpointInterval = a.checkpointEvery;
  if (!a.schedule.empty()) plan.scheduleKind = qid::train::parseScheduleKind(a.schedule);
  if (a.lr > 0) plan.peakLr = a.lr;
  if (a.minLr >= 0) plan.minLr = a.minLr;
  if (a.warmupFraction >= 0) plan.warmupFraction = a.warmupFraction;
  if (a.decayFraction >= 0) plan.decayFraction = a.decayFraction;
  if (a.seed >= 0) plan.seed = static_cast<std::uint64_t>(a.seed);
  if (a.dataSeed >= 0) plan.dataSeed = static_cast<std::uint64_t>(a.dataSeed);
  if (a.bitnetTwins) plan.bitnetTwins = true;
  plan.schedule().validate();
  return plan;
}

void run(const Args& a) {
  if (a.threads > 0) at::set_num_threads(a.threads);
  const qid::train::SuitePlan plan = applyOverrides(a);
  qid::train::SuiteInputs inputs;
  for (const auto& c : a.corpus) inputs.corpusFiles.emplace_back(c);
  inputs.tokenizerJson = a.tokenizer;
  qid::cli::installCancelHandler();
  qid::train::TrainCallbacks cb;
  cb.progress = qid::cli::progressBar(a.quiet);
  const qid::train::SuiteResult r = qid::train::trainSuite(plan, inputs, a.out, cb);

  nlohmann::json out;
  out["suite"] = r.dir.string();
  out["eval_text"] = r.evalText.string();
  out["train_tokens"] = r.trainTokens;
  out["eval_tokens"] = r.evalTokens;
  out["seconds"] = r.seconds;
  out["runs"] = nlohmann::json::array();
  for (const auto& run : r.runs) {
    const auto& last = run.result.checkpoints.back().meta;
    double rate = 0;
    for (const auto& s : run.result.log) rate += s.tokensPerSecond;
    if (!run.result.log.empty()) rate /= static_cast<double>(run.result.log.size());
    out["runs"].push_back({{"name", last.run},
                           {"dir", run.dir.string()},
                           {"bitnet", run.bitnet},
                           {"n_params", last.nonEmbeddingParams},
                           {"n_params_total", last.totalParams},
                           {"checkpoints", run.result.checkpoints.size()},
                           {"tokens_seen", last.tokensSeen},
                           {"tokens_per_param", static_cast<double>(last.tokensSeen) /
                                                    static_cast<double>(std::max<std::int64_t>(1, last.nonEmbeddingParams))},
                           {"train_loss", last.trainLoss},
                           {"eval_loss", last.evalLoss},
                           {"tokens_per_second", rate},
                           {"resumed_from", run.result.resumedFrom},
                           {"seconds", run.result.seconds}});
  }
  if (a.json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::printf("Suite %s (%s): %lld training tokens, %lld held-out tokens, %zu runs, %.1f s\n",
              r.dir.string().c_str(), plan.name.c_str(), static_cast<long long>(r.trainTokens),
              static_cast<long long>(r.evalTokens), r.runs.size(), r.seconds);
  std::printf("  %-16s %10s %6s %12s %9s %10s %10s %10s\n", "run", "N", "ckpts", "D", "D/N",
              "train loss", "eval loss", "tok/s");
  for (const auto& j : out["runs"]) {
    std::printf("  %-16s %10lld %6zu %12lld %9.1f %10.4f %10.4f %10.0f\n",
                j["name"].get<std::string>().c_str(), j["n_params"].get<long long>(),
                j["checkpoints"].get<std::size_t>(), j["tokens_seen"].get<long long>(),
                j["tokens_per_param"].get<double>(),
                j["train_loss"].is_number() ? j["train_loss"].get<double>() : NAN,
                j["eval_loss"].is_number() ? j["eval_loss"].get<double>() : NAN,
                j["tokens_per_second"].get<double>());
  }
}

const bool registered = qid::cli::registerCommand(
    {"train", 40, [](CLI::App& app) {
       auto a = std::make_shared<Args>();
       auto* sub = app.add_subcommand(
           "train",
           "Train a micro-suite: GPT-NeoX sizes on the same data order, with checkpoints at steps "
           "0,1,2,4,... then evenly spaced (like Pythia); each checkpoint is an HF folder with D, "
           "step and LR in qidlab_meta.json. Re-running resumes an interrupted suite.");
       sub->add_option("--out", a->out, "Suite folder to write (resumes when it holds this suite)")->required();
       sub->add_option("--preset", a->preset, "Suite preset (tiny, quick, ...) or a plan JSON file")
           ->capture_default_str();
       sub->add_option("--corpus", a->corpus,
                       "Training text file(s); default: the King James Bible from Debian's bible-kjv");
       sub->add_option("--tokenizer", a->tokenizer, "A tokenizer.json to use instead of byte-level tokens");
       sub->add_option("--size", a->sizes, "Model size NAME:LAYERSxHIDDENxHEADS (repeat; replaces the preset's)");
       sub->add_option("--steps", a->steps, "Training steps");
       sub->add_option("--seqlen", a->seqlen, "Training sequence length (tokens)");
       sub->add_option("--batch", a->batch, "Sequences per step");
       sub->add_option("--checkpoint-every", a->checkpointEvery, "Even checkpoint interval after the powers of two");
       sub->add_option("--schedule", a->schedule, "cosine (Pythia), constant or wsd (warmup-stable-decay)");
       sub->add_option("--lr", a->lr, "Peak learning rate");
       sub->add_option("--min-lr", a->minLr, "Final learning rate (cosine, wsd)");
       sub->add_option("--warmup-fraction", a->warmupFraction, "Warmup as a fraction of the steps");
       sub->add_option("--decay-fraction", a->decayFraction, "wsd: the final fraction of steps that decays");
       sub->add_option("--seed", a->seed, "Initialisation seed");
       sub->add_option("--data-seed", a->dataSeed, "Data order seed (shared by all sizes)");
       sub->add_flag("--bitnet-twins", a->bitnetTwins, "Also train a BitNet b1.58 twin of each size (Figure 14)");
       sub->add_option("--threads", a->threads, "CPU threads (default: all)");
       sub->add_flag("--json", a->json, "Machine-readable summary on stdout");
       sub->add_flag("--quiet", a->quiet, "No progress bar");
       sub->callback([a] { run(*a); });
     }});

}  // namespace
