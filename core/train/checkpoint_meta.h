#pragma once
// qidlab_meta.json: what a micro-suite checkpoint folder knows about its own
// training, next to the HF files (config.json, model.safetensors,
// tokenizer.json). The same numbers sit in the safetensors metadata under
// "qidlab.*" keys, so a lone weights file still says where it came from.
//
//   { "step": 64, "tokens_seen": 131072, "tokens_per_step": 2048,
//     "learning_rate": 0.00093, "total_steps": 256, "schedule": "cosine",
//     "train_loss": 2.41, "eval_loss": 2.47, "run": "m2-d64-l2",
//     "bitnet": false, "n_params": 99072, "n_params_total": 132224, ... }
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qid::train {

inline constexpr const char* kMetaFile = "qidlab_meta.json";

struct CheckpointMeta {
  std::int64_t step = 0;
  std::int64_t tokensSeen = 0;     // D
  std::int64_t tokensPerStep = 0;
  double learningRate = 0;         // the schedule's rate at this step
  std::int64_t totalSteps = 0;
  std::string schedule;            // "cosine" | "constant" | "wsd"
  double trainLoss = std::numeric_limits<double>::quiet_NaN();  // mean of recent steps
  double evalLoss = std::numeric_limits<double>::quiet_NaN();   // held-out text
  std::string run;                 // the model's name inside its suite
  bool bitnet = false;
  std::int64_t nonEmbeddingParams = 0;  // N
  std::int64_t totalParams = 0;
  std::uint64_t seed = 0;
  std::uint64_t dataSeed = 0;
  std::string corpus;
};

nlohmann::json toJson(const CheckpointMeta& meta);
// Throws qid::Error naming `where` when a required key is missing.
CheckpointMeta parseCheckpointMeta(const nlohmann::json& json, const std::string& where);
void writeCheckpointMeta(const std::filesystem::path& dir, const CheckpointMeta& meta);
// The meta of a checkpoint folder, or nullopt when it has no qidlab_meta.json.
std::optional<CheckpointMeta> readCheckpointMeta(const std::filesystem::path& dir);
// The "qidlab.*" safetensors metadata entries.
std::map<std::string, std::string> safetensorsMetadata(const CheckpointMeta& meta);

struct SuiteCheckpoint {
  std::filesystem::path dir;
  CheckpointMeta meta;
};

// The step* folders of one run folder that hold a qidlab_meta.json, by step.
std::vector<SuiteCheckpoint> listRunCheckpoints(const std::filesystem::path& runDir);
// The run folders of a suite folder (those with at least one checkpoint), by name.
std::vector<std::filesystem::path> listSuiteRuns(const std::filesystem::path& suiteDir);

// "step64" for 64.
std::string stepFolderName(std::int64_t step);

}  // namespace qid::train
