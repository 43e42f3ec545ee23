#include "train/suite.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/resources.h"
#include "model/tokenizer.h"
#include "model/tokenizer_json.h"
#include "train/corpus.h"

namespace qid::train {

namespace fs = std::filesystem;
using nlohmann::json;

LrSchedule SuitePlan::schedule() const {
  LrSchedule s;
  s.kind = scheduleKind;
  s.peakLr = peakLr;
  s.minLr = minLr;
  s.totalSteps = totalSteps;
  s.warmupSteps = warmupFraction > 0
                      ? std::max<std::int64_t>(1, std::llround(warmupFraction * static_cast<double>(totalSteps)))
                      : 0;
  s.decayFraction = decayFraction;
  return s;
}

model::ModelConfig SuitePlan::modelConfig(const SuiteSize& size, std::int64_t vocab) const {
  model::ModelConfig c = model::gptNeoxConfig(size.layers, size.hidden, size.heads, vocab);
  c.maxPositionEmbeddings = std::max<std::int64_t>(seqLen, 64);
  c.torchDtype = "float32";
  return c;
}

namespace {

template <typename T>
void readIf(const json& j, const char* key, T& out) {
  if (j.contains(key)) out = j.at(key).get<T>();
}

}  // namespace

SuitePlan parseSuitePlan(const json& j, const std::string& where) {
  SuitePlan p;
  try {
    readIf(j, "name", p.name);
    readIf(j, "description", p.description);
    readIf(j, "seq_len", p.seqLen);
    readIf(j, "batch_size", p.batchSize);
    readIf(j, "total_steps", p.totalSteps);
    readIf(j, "checkpoint_interval", p.checkpointInterval);
    readIf(j, "seed", p.seed);
    readIf(j, "data_seed", p.dataSeed);
    readIf(j, "eval_windows", p.evalWindows);
    readIf(j, "bitnet_twins", p.bitnetTwins);
    if (j.contains("schedule")) {
      const json& s = j.at("schedule");
      if (s.contains("kind")) p.scheduleKind = parseScheduleKind(s.at("kind").get<std::string>());
      readIf(s, "peak_lr", p.peakLr);
      readIf(s, "min_lr", p.minLr);
      readIf(s, "warmup_fraction", p.warmupFraction);
      readIf(s, "decay_fraction", p.decayFraction);
    }
    if (j.contains("adamw")) {
      const json& a = j.at("adamw");
      readIf(a, "beta1", p.adam.beta1);
      readIf(a, "beta2", p.adam.beta2);
      readIf(a, "eps", p.adam.eps);
      readIf(a, "weight_decay", p.adam.weightDecay);
      readIf(a, "grad_clip", p.adam.gradClip);
    }
    if (!j.contains("sizes") || !j.at("sizes").is_array() || j.at("sizes").empty())
      throw Error(where + ": a suite plan needs a non-empty \"sizes\" array");
    for (const auto& s : j.at("sizes")) {
      SuiteSize size;
      size.name = s.at("name").get<std::string>();
      size.layers = s.at("layers").get<std::int64_t>();
      size.hidden = s.at("hidden").get<std::int64_t>();
      size.heads = s.at("heads").get<std::int64_t>();
      if (size.name.empty() || size.name.find('/') != std::string::npos)
        throw Error(where + ": size name \"" + size.name + "\" is not a valid folder name");
      if (size.layers < 1 || size.hidden < 1 || size.heads < 1 || size.hidden % size.heads != 0)
        throw Error(where + ": size " + size.name + " needs layers, hidden, heads >= 1 with heads dividing hidden");
      p.sizes.push_back(size);
    }
    p.extra = j.contains("reproduce") ? j.at("reproduce") : json::object();
  } catch (const json::exception& e) {
    throw Error(where + ": " + e.what());
  }
  if (p.seqLen < 2 || p.batchSize < 1 || p.totalSteps < 1 || p.checkpointInterval < 1)
    throw Error(where + ": seq_len >= 2, batch_size, total_steps and checkpoint_interval >= 1 are required");
  p.schedule().validate();
  return p;
}

json toJson(const SuitePlan& p) {
  json sizes = json::array();
  for (const auto& s : p.sizes)
    sizes.push_back({{"name", s.name}, {"layers", s.layers}, {"hidden", s.hidden}, {"heads", s.heads}});
  return json{{"name", p.name},
              {"description", p.description},
              {"sizes", sizes},
              {"seq_len", p.seqLen},
              {"batch_size", p.batchSize},
              {"total_steps", p.totalSteps},
              {"checkpoint_interval", p.checkpointInterval},
              {"schedule",
               {{"kind", scheduleKindName(p.scheduleKind)},
                {"peak_lr", p.peakLr},
                {"min_lr", p.minLr},
                {"warmup_fraction", p.warmupFraction},
                {"decay_fraction", p.decayFraction}}},
              {"adamw",
               {{"beta1", p.adam.beta1},
                {"beta2", p.adam.beta2},
                {"eps", p.adam.eps},
                {"weight_decay", p.adam.weightDecay},
                {"grad_clip", p.adam.gradClip}}},
              {"seed", p.seed},
              {"data_seed", p.dataSeed},
              {"eval_windows", p.evalWindows},
              {"bitnet_twins", p.bitnetTwins},
              {"reproduce", p.extra}};
}

std::vector<std::string> suitePresetNames() {
  std::vector<std::string> out;
  for (const auto& path : resources::list("suites/")) {
    std::string stem = fs::path(path).stem().string();
    out.push_back(stem);
  }
  return out;
}

namespace {
json parseText(const std::string& text, const std::string& where) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw Error(where + ": invalid JSON (" + e.what() + ")");
  }
}
std::string readText(const fs::path& file) {
  std::ifstream f(file, std::ios::binary);
  if (!f) throw Error("cannot read " + file.string());
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
}  // namespace

SuitePlan loadSuitePlan(const std::string& nameOrFile) {
  if (auto text = resources::find("suites/" + nameOrFile + ".json")) {
    return parseSuitePlan(parseText(std::string(*text), "suite preset " + nameOrFile),
                          "suite preset " + nameOrFile);
  }
  if (fs::exists(nameOrFile)) return parseSuitePlan(parseText(readText(nameOrFile), nameOrFile), nameOrFile);
  std::string known;
  for (const auto& n : suitePresetNames()) {
    if (!known.empty()) known.append(", ");
    known.append(n);
  }
  throw Error("unknown suite preset or plan file '" + nameOrFile + "' (presets: " + known + ")");
}

namespace {
void writeText(const fs::path& file, const std::string& text) {
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw Error("cannot write " + file.string());
}
}  // namespace

std::string calibrationSlice(const std::string& text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  const std::size_t nl = text.rfind('\n', maxBytes - 1);
  if (nl != std::string::npos) return text.substr(0, nl + 1);
  std::size_t cut = maxBytes;  // one long line: cut at a UTF-8 character boundary
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

SuitePlan readSuitePlan(const fs::path& suiteDir) {
  const fs::path file = suiteDir / "suite.json";
  if (!fs::exists(file)) throw Error(suiteDir.string() + " is not a micro-suite folder (no suite.json)");
  const json j = parseText(readText(file), file.string());
  return parseSuitePlan(j.contains("plan") ? j.at("plan") : j, file.string());
}

SuiteResult trainSuite(const SuitePlan& plan, const SuiteInputs& inputs, const fs::path& outDir,
                       const TrainCallbacks& callbacks) {
  const auto started = std::chrono::steady_clock::now();
  fs::create_directories(outDir);
  SuiteResult result;
  result.dir = outDir;

  report(callbacks.progress, {"corpus", 0, 0, "reading the training text"});
  const CorpusSplit corpus = loadCorpus(inputs.corpusFiles);
  const fs::path tokenizerFile = outDir / "tokenizer.json";
  if (inputs.tokenizerJson.empty()) {
    model::writeByteLevelTokenizerJson(tokenizerFile);
  } else if (fs::absolute(inputs.tokenizerJson) != fs::absolute(tokenizerFile)) {
    fs::copy_file(inputs.tokenizerJson, tokenizerFile, fs::copy_options::overwrite_existing);
  }
  const model::Tokenizer tokenizer = model::Tokenizer::fromFile(tokenizerFile);
  std::vector<std::uint32_t> trainTokens = tokenizer.encode(corpus.train, {}, callbacks.progress);
  const std::vector<std::uint32_t> evalTokens = tokenizer.encode(corpus.eval);
  result.trainTokens = static_cast<std::int64_t>(trainTokens.size());
  result.evalTokens = static_cast<std::int64_t>(evalTokens.size());
  result.evalText = outDir / kSuiteEvalFile;
  writeText(result.evalText, corpus.eval);
  result.calibText = outDir / kSuiteCalibFile;
  writeText(result.calibText, calibrationSlice(corpus.train, kSuiteCalibBytes));
  {
    json suite{{"plan", toJson(plan)},
               {"corpus", corpus.source},
               {"train_tokens", result.trainTokens},
               {"eval_tokens", result.evalTokens},
               {"vocab", tokenizer.vocabSize()}};
    std::ofstream f(outDir / "suite.json", std::ios::trunc);
    f << suite.dump(2) << "\n";
  }

  const DataOrder data(std::move(trainTokens), plan.seqLen, plan.batchSize, plan.dataSeed);
  if (data.epochsFor(plan.totalSteps) > 1.0) {
    // Not an error: small corpora repeat, like Pythia's deduplicated 1.5 epochs.
  }
  const auto vocab = static_cast<std::int64_t>(tokenizer.vocabSize());
  for (const auto& size : plan.sizes) {
    for (bool bitnet : {false, true}) {
      if (bitnet && !plan.bitnetTwins) continue;
      TrainOptions o;
      o.runName = size.name + (bitnet ? "-bitnet" : "");
      o.totalSteps = plan.totalSteps;
      o.checkpointInterval = plan.checkpointInterval;
      o.schedule = plan.schedule();
      o.adam = plan.adam;
      o.initSeed = plan.seed;
      o.bitnet = bitnet;
      o.evalWindows = plan.evalWindows;
      o.corpus = corpus.source;
      SuiteRun run;
      run.size = size;
      run.bitnet = bitnet;
      run.dir = outDir / o.runName;
      run.result = trainRun(plan.modelConfig(size, vocab), data, evalTokens, tokenizerFile, run.dir, o, callbacks);
      result.runs.push_back(std::move(run));
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace qid::train
