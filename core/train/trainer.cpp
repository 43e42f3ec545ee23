#include "train/trainer.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/safetensors.h"
#include "train/bitnet_twin.h"
#include "train/checkpoint_schedule.h"

namespace qid::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kRunFile = "run.json";
constexpr const char* kResumeFile = "resume.safetensors";
constexpr const char* kLogFile = "train_log.jsonl";

json runIdentity(const model::ModelConfig& config, const DataOrder& data, const TrainOptions& o) {
  return json{{"config", model::toJson(config)},
              {"seq_len", data.seqLen()},
              {"batch_size", data.batchSize()},
              {"data_seed", data.seed()},
              {"data_windows", data.windowCount()},
              {"total_steps", o.totalSteps},
              {"checkpoint_interval", o.checkpointInterval},
              {"schedule",
               {{"kind", scheduleKindName(o.schedule.kind)},
                {"peak_lr", o.schedule.peakLr},
                {"min_lr", o.schedule.minLr},
                {"warmup_steps", o.schedule.warmupSteps},
                {"decay_fraction", o.schedule.decayFraction}}},
              {"adamw",
               {{"beta1", o.adam.beta1},
                {"beta2", o.adam.beta2},
                {"eps", o.adam.eps},
                {"weight_decay", o.adam.weightDecay},
                {"grad_clip", o.adam.gradClip}}},
              {"init_seed", o.initSeed},
              {"bitnet", o.bitnet},
              {"eval_windows", o.evalWindows}};
}

json readJsonFile(const fs::path& file) {
  std::ifstream f(file);
  if (!f) throw Error("cannot read " + file.string());
  std::stringstream ss;
  ss << f.rdbuf();
  try {
    return json::parse(ss.str());
  } catch (const json::exception& e) {
    throw Error(file.string() + ": invalid JSON (" + e.what() + ")");
  }
}

void writeTextAtomically(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc | std::ios::binary);
    if (!f) throw Error("cannot write " + tmp.string());
    f << text;
    if (!f) throw Error("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) throw Error("cannot write " + file.string() + ": " + ec.message());
}

void checkIdentity(const fs::path& runDir, const json& identity) {
  const fs::path file = runDir / kRunFile;
  if (!fs::exists(file)) {
    fs::create_directories(runDir);
    writeTextAtomically(file, identity.dump(2) + "\n");
    return;
  }
  const json old = readJsonFile(file);
  if (old == identity) return;
  std::string key = "?";
  for (const auto& [k, v] : identity.items()) {
    if (!old.contains(k) || old[k] != v) {
      key = k;
      break;
    }
  }
  throw Error(runDir.string() + " holds a different training run (\"" + key +
              "\" differs in its run.json); choose another output folder or delete it");
}

std::vector<StepStats> readLog(const fs::path& file, std::int64_t beforeStep) {
  std::vector<StepStats> out;
  std::ifstream f(file);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    try {
      const json j = json::parse(line);
      StepStats s{j.at("step").get<std::int64_t>(), j.at("loss").get<double>(),
                  j.at("lr").get<double>(), j.value("grad_norm", 0.0),
                  j.value("tokens_per_second", 0.0)};
      if (s.step < beforeStep) out.push_back(s);
    } catch (const json::exception&) {
      break;  // a torn last line from an interruption
    }
  }
  return out;
}

void writeLog(const fs::path& file, const std::vector<StepStats>& log) {
  std::string text;
  for (const auto& s : log) {
    text += json{{"step", s.step}, {"loss", s.loss}, {"lr", s.lr}, {"grad_norm", s.gradNorm},
                 {"tokens_per_second", s.tokensPerSecond}}
                .dump();
    text += '\n';
  }
  writeTextAtomically(file, text);
}

at::Tensor batchTensor(const DataOrder& data, std::int64_t step) {
  std::vector<std::int64_t> ids = data.batch(step);
  return at::tensor(ids, at::kLong).view({data.batchSize(), data.seqLen() + 1});
}

at::Tensor nextTokenLoss(const model::CausalLM& m, const at::Tensor& rows,
                         model::LinearObserver* observer) {
  const std::int64_t T = rows.size(1) - 1;
  const at::Tensor inputs = rows.narrow(1, 0, T);
  const at::Tensor targets = rows.narrow(1, 1, T).reshape({-1});
  const at::Tensor logits = m.forward(inputs, observer);
  const at::Tensor logp = at::log_softmax(logits.reshape({-1, logits.size(-1)}).to(at::kFloat), -1);
  return at::nll_loss(logp, targets);
}

// Mean next-token loss over the first `windows` windows of seqLen tokens.
double heldOutLoss(model::CausalLM& m, BitNetTwin* twin, const std::vector<std::uint32_t>& tokens,
                   std::int64_t seqLen, std::int64_t windows) {
  const auto n = static_cast<std::int64_t>(tokens.size());
  windows = std::min(windows, n / (seqLen + 1));
  if (windows <= 0) return std::nan("");
  at::NoGradGuard noGrad;
  std::vector<std::int64_t> ids(tokens.begin(), tokens.begin() + windows * (seqLen + 1));
  const at::Tensor rows = at::tensor(ids, at::kLong).view({windows, seqLen + 1});
  if (twin) twin->applyQuantizedWeights(m, /*straightThrough=*/false);
  const double loss = nextTokenLoss(m, rows, twin ? twin->activationQuantizer() : nullptr).item<double>();
  if (twin) twin->restoreMasters(m);
  return loss;
}

void writeCheckpoint(const model::CausalLM& m, const fs::path& runDir, const CheckpointMeta& meta,
                     const fs::path& tokenizerJson) {
  const fs::path final = runDir / stepFolderName(meta.step);
  const fs::path tmp = runDir / (stepFolderName(meta.step) + ".partial");
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  model::ModelConfig config = m.config();
  config.torchDtype = "float32";
  model::saveModelConfig(tmp, config);
  model::NamedTensors tensors;
  for (const auto& [name, t] : m.namedParameters()) tensors.emplace_back(name, t.detach());
  model::writeSafetensors(tmp / "model.safetensors", tensors, safetensorsMetadata(meta));
  fs::copy_file(tokenizerJson, tmp / "tokenizer.json", fs::copy_options::overwrite_existing);
  writeCheckpointMeta(tmp, meta);
  fs::remove_all(final);
  fs::rename(tmp, final);
}

std::string rateText(double tokensPerSecond) {
  std::ostringstream s;
  s.precision(3);
  if (tokensPerSecond >= 1e3) s << tokensPerSecond / 1e3 << "k tok/s";
  else s << tokensPerSecond << " tok/s";
  return s.str();
}

}  // namespace

TrainResult trainRun(const model::ModelConfig& config, const DataOrder& data,
                     const std::vector<std::uint32_t>& evalTokens, const fs::path& tokenizerJson,
                     const fs::path& runDir, const TrainOptions& optionsIn,
                     const TrainCallbacks& callbacks) {
  const auto started = std::chrono::steady_clock::now();
  TrainOptions options = optionsIn;
  options.schedule.totalSteps = options.totalSteps;
  options.schedule.validate();
  if (options.totalSteps < 1) throw Error("training needs at least one step");
  if (!fs::exists(tokenizerJson)) throw Error("tokenizer file " + tokenizerJson.string() + " does not exist");
  const auto maxData = std::max_element(data.tokens().begin(), data.tokens().end());
  const auto maxEval = std::max_element(evalTokens.begin(), evalTokens.end());
  const std::uint32_t maxId = std::max(maxData == data.tokens().end() ? 0u : *maxData,
                                       maxEval == evalTokens.end() ? 0u : *maxEval);
  if (static_cast<std::int64_t>(maxId) >= config.vocabSize)
    throw Error("token id " + std::to_string(maxId) + " does not fit the model's vocabulary of " +
                std::to_string(config.vocabSize));

  checkIdentity(runDir, runIdentity(config, data, options));
  const std::vector<std::int64_t> schedule = checkpointSteps(options.totalSteps, options.checkpointInterval);
  const std::set<std::int64_t> isCheckpoint(schedule.begin(), schedule.end());
  const std::int64_t tokensPerStep = data.tokensPerStep();
  const model::ParameterCount counts = model::countParameters(config);

  TrainResult result;
  // Resume from the newest checkpoint with optimizer state, else start fresh.
  std::unique_ptr<model::CausalLM> m;
  std::int64_t start = 0;
  model::NamedTensors optimizerState;
  const fs::path resumeFile = runDir / kResumeFile;
  if (fs::exists(resumeFile)) {
    model::SafetensorsFile state(resumeFile);
    const auto it = state.metadata().find("step");
    if (it == state.metadata().end()) throw Error(resumeFile.string() + ": no \"step\" in its metadata");
    start = std::stoll(it->second);
    const fs::path dir = runDir / stepFolderName(start);
    if (!readCheckpointMeta(dir)) throw Error(resumeFile.string() + ": its checkpoint " + dir.string() + " is missing");
    m = model::loadCausalLM(dir);
    for (const auto& name : state.names()) optimizerState.emplace_back(name, state.load(name));
  } else {
    m = model::createCausalLM(config, options.initSeed);
  }
  result.resumedFrom = start;
  m->setRequiresGrad(true);
  AdamW optimizer(m->namedParameters(), options.adam);
  if (!optimizerState.empty()) optimizer.loadState(optimizerState, start);
  std::unique_ptr<BitNetTwin> twin;
  if (options.bitnet) twin = std::make_unique<BitNetTwin>(*m);

  result.log = readLog(runDir / kLogFile, start);
  auto meanLossSince = [&](std::int64_t from) {
    double sum = 0;
    int count = 0;
    for (const auto& s : result.log) {
      if (s.step >= from) {
        sum += s.loss;
        ++count;
      }
    }
    return count ? sum / count : std::nan("");
  };

  std::int64_t previousCheckpoint = 0;
  for (std::int64_t s : schedule) {
    if (s <= start) previousCheckpoint = s;
  }
  for (std::int64_t step = start;; ++step) {
    if (isCheckpoint.count(step) && !(step == start && start > 0)) {
      CheckpointMeta meta;
      meta.step = step;
      meta.tokensSeen = tokensSeen(step, tokensPerStep);
      meta.tokensPerStep = tokensPerStep;
      meta.learningRate = options.schedule.lrAt(step);
      meta.totalSteps = options.totalSteps;
      meta.schedule = scheduleKindName(options.schedule.kind);
      meta.trainLoss = meanLossSince(previousCheckpoint);
      meta.evalLoss = heldOutLoss(*m, twin.get(), evalTokens, data.seqLen(), options.evalWindows);
      meta.run = options.runName;
      meta.bitnet = options.bitnet;
      meta.nonEmbeddingParams = counts.nonEmbedding;
      meta.totalParams = counts.total;
      meta.seed = options.initSeed;
      meta.dataSeed = data.seed();
      meta.corpus = options.corpus;
      writeCheckpoint(*m, runDir, meta, tokenizerJson);
      model::writeSafetensors(resumeFile, optimizer.stateTensors(), {{"step", std::to_string(step)}});
      writeLog(runDir / kLogFile, result.log);
      previousCheckpoint = step;
      if (callbacks.onCheckpoint) callbacks.onCheckpoint({runDir / stepFolderName(step), meta});
    }
    if (step >= options.totalSteps) break;

    const auto t0 = std::chrono::steady_clock::now();
    const double lr = options.schedule.lrAt(step);
    const at::Tensor rows = batchTensor(data, step);
    if (twin) twin->applyQuantizedWeights(*m, /*straightThrough=*/true);
    at::Tensor loss = nextTokenLoss(*m, rows, twin ? twin->activationQuantizer() : nullptr);
    loss.backward();
    if (twin) twin->restoreMasters(*m);
    const double lossValue = loss.item<double>();
    if (!std::isfinite(lossValue))
      throw Error("training " + options.runName + " diverged at step " + std::to_string(step) +
                  " (loss " + std::to_string(lossValue) + "); lower the learning rate");
    const double gradNorm = optimizer.step(lr);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    StepStats stats{step, lossValue, lr, gradNorm, static_cast<double>(tokensPerStep) / std::max(secs, 1e-9)};
    result.log.push_back(stats);
    if (callbacks.onStep) callbacks.onStep(stats);
    std::ostringstream msg;
    msg.precision(4);
    msg << "loss " << lossValue << ", " << rateText(stats.tokensPerSecond);
    report(callbacks.progress, {"train " + options.runName, step + 1, options.totalSteps, msg.str()});
  }
  result.checkpoints = listRunCheckpoints(runDir);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace qid::train
