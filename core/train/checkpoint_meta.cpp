#include "train/checkpoint_meta.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace qid::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double numberOr(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::numeric_limits<double>::quiet_NaN();
  return it->get<double>();
}
}  // namespace

json toJson(const CheckpointMeta& m) {
  return json{{"step", m.step},
              {"tokens_seen", m.tokensSeen},
              {"tokens_per_step", m.tokensPerStep},
              {"learning_rate", m.learningRate},
              {"total_steps", m.totalSteps},
              {"schedule", m.schedule},
              {"train_loss", number(m.trainLoss)},
              {"eval_loss", number(m.evalLoss)},
              {"run", m.run},
              {"bitnet", m.bitnet},
              {"n_params", m.nonEmbeddingParams},
              {"n_params_total", m.totalParams},
              {"seed", m.seed},
              {"data_seed", m.dataSeed},
              {"corpus", m.corpus}};
}

CheckpointMeta parseCheckpointMeta(const json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": expected a JSON object");
  for (const char* key : {"step", "tokens_seen", "learning_rate"}) {
    if (!j.contains(key) || !j[key].is_number())
      throw Error(where + ": missing or non-numeric \"" + key + "\"");
  }
  CheckpointMeta m;
  m.step = j["step"].get<std::int64_t>();
  m.tokensSeen = j["tokens_seen"].get<std::int64_t>();
  m.learningRate = j["learning_rate"].get<double>();
  m.tokensPerStep = j.value("tokens_per_step", std::int64_t{0});
  m.totalSteps = j.value("total_steps", std::int64_t{0});
  m.schedule = j.value("schedule", std::string());
  m.trainLoss = numberOr(j, "train_loss");
  m.evalLoss = numberOr(j, "eval_loss");
  m.run = j.value("run", std::string());
  m.bitnet = j.value("bitnet", false);
  m.nonEmbeddingParams = j.value("n_params", std::int64_t{0});
  m.totalParams = j.value("n_params_total", std::int64_t{0});
  m.seed = j.value("seed", std::uint64_t{0});
  m.dataSeed = j.value("data_seed", std::uint64_t{0});
  m.corpus = j.value("corpus", std::string());
  if (m.step < 0 || m.tokensSeen < 0) throw Error(where + ": negative step or tokens_seen");
  return m;
}

void writeCheckpointMeta(const fs::path& dir, const CheckpointMeta& meta) {
  const fs::path file = dir / kMetaFile;
  std::ofstream f(file, std::ios::trunc);
  if (!f) throw Error("cannot write " + file.string());
  f << toJson(meta).dump(2) << "\n";
  if (!f) throw Error("cannot write " + file.string());
}

std::optional<CheckpointMeta> readCheckpointMeta(const fs::path& dir) {
  const fs::path file = dir / kMetaFile;
  std::ifstream f(file);
  if (!f) return std::nullopt;
  std::stringstream ss;
  ss << f.rdbuf();
  json j;
  try {
    j = json::parse(ss.str());
  } catch (const json::exception& e) {
    throw Error(file.string() + ": invalid JSON (" + e.what() + ")");
  }
  return parseCheckpointMeta(j, file.string());
}

std::map<std::string, std::string> safetensorsMetadata(const CheckpointMeta& m) {
  std::ostringstream lr;
  lr.precision(17);
  lr << m.learningRate;
  return {{"format", "pt"},
          {"qidlab.step", std::to_string(m.step)},
          {"qidlab.tokens_seen", std::to_string(m.tokensSeen)},
          {"qidlab.learning_rate", lr.str()},
          {"qidlab.run", m.run},
          {"qidlab.bitnet", m.bitnet ? "true" : "false"}};
}

std::string stepFolderName(std::int64_t step) { return "step" + std::to_string(step); }

std::vector<SuiteCheckpoint> listRunCheckpoints(const fs::path& runDir) {
  std::vector<SuiteCheckpoint> out;
  std::error_code ec;
  if (!fs::is_directory(runDir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(runDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.rfind("step", 0) != 0 ||
        name.find('.') != std::string::npos)
      continue;
    if (auto meta = readCheckpointMeta(entry.path())) out.push_back({entry.path(), *meta});
  }
  std::sort(out.begin(), out.end(),
            [](const SuiteCheckpoint& a, const SuiteCheckpoint& b) { return a.meta.step < b.meta.step; });
  return out;
}

std::vector<fs::path> listSuiteRuns(const fs::path& suiteDir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(suiteDir, ec))
    throw Error("suite folder " + suiteDir.string() + " does not exist");
  for (const auto& entry : fs::directory_iterator(suiteDir, ec)) {
    if (entry.is_directory() && !listRunCheckpoints(entry.path()).empty())
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace qid::train
