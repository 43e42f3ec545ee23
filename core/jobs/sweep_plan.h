#pragma once
// A sweep plan (JSON) and the cells it expands to.
//
//   {
//     "name": "tiny-demo",
//     "models": [ {"path": "ckpt/step1000", "name": "tiny", "step": 1000},
//                 {"path": "ckpt/step2000", "D": 4.2e9, "lr": 3e-4} ],
//     "methods": [ {"method": "rtn",  "bits": [2, 3, 4], "group": 128},
//                  {"method": "gptq", "bits": [2, 3, 4], "group": [128, -1], "options": {"damp": 0.1}} ],
//     "eval": {"path": "wiki.test.raw", "seqlen": 2048, "windows": 0, "recipe": "gptq-paper"},
//     "calibration": {"path": "wiki.train.raw", "samples": 128, "seqlen": 2048, "seed": 0},
//     "dtype": "float32",
//     "tokens_per_step": 2097152
//   }
//
// Relative paths are resolved against the plan file's folder. A model's step
// comes from "step", else from a "step<N>" in its folder name or revision;
// D = step * tokens_per_step unless "D" is given. "windows": 0 means all.
// Hub models ({"hub": "org/name", "revision": "step1000"}) and suite selectors
// are resolved to folders by a ModelResolver before expansion.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace qid::jobs {

struct ModelRef {
  std::string name;      // display name (default: folder name)
  std::string path;      // checkpoint folder (absolute after parsing)
  std::string hubRepo;   // "org/name" when from the hub
  std::string revision;  // hub revision or "" for folders
  std::optional<std::int64_t> step;
  std::optional<double> D, lr;
};

struct MethodSpec {
  std::string method;  // rtn | gptq | awq | nf4 | fp4 | ...
  int bits = 4;
  std::optional<std::int64_t> group;  // -1 = per channel
  nlohmann::json options = nlohmann::json::object();
};

struct EvalSpec {
  std::string path;
  int seqlen = 2048;
  int windows = 0;  // 0 = all
  std::string recipe = "gptq-paper";
  // The recipe's name and version ("gptq-paper@1"), as measurements record it;
  // set by SweepPlan::parse, which refuses unknown recipes.
  std::string recipeId;
  // Also measure KL(P16 || Pq) of each quantized cell (stored in the
  // measurement's runner details). Extra information: not part of the cell's
  // identity, so cells measured without it are not measured again.
  bool kl = false;
};

struct CalibSpec {
  std::string path;  // "" = no calibration data (data-free methods only)
  int samples = 128;
  int seqlen = 0;    // 0 = the eval seqlen
  std::uint64_t seed = 0;
};

// One cell: one checkpoint, one method setting, one evaluation. Identities are
// filled by resolveIdentities().
struct CellSpec {
  int index = 0;
  ModelRef model;
  MethodSpec method;
  EvalSpec eval;
  CalibSpec calib;
  std::string dtype = "float32";

  std::string checkpointId, idKind, contentHash;  // see ModelRecord
  std::string evalHash, calibHash;
  std::string cellId;       // SHA-256 of definition()
  std::string baselineKey;  // SHA-256 of baselineDefinition()

  // Everything that defines the cell's number (never paths: content).
  nlohmann::json definition() const;
  nlohmann::json baselineDefinition() const;
  nlohmann::json toJson() const;  // definition plus paths and names, for files
};

struct SweepPlan {
  std::string name;
  std::vector<ModelRef> models;
  std::vector<nlohmann::json> modelSelectors;  // hub/suite entries awaiting a resolver
  std::vector<MethodSpec> methods;
  EvalSpec eval;
  CalibSpec calib;
  std::string dtype = "float32";
  double tokensPerStep = 2097152.0;
  nlohmann::json source;  // the plan as given

  // Throws qid::Error naming `where` and the bad field.
  static SweepPlan parse(const nlohmann::json& j, const std::filesystem::path& baseDir,
                         const std::string& where = "plan");
  static SweepPlan load(const std::filesystem::path& file);
};

// Turns hub/suite selectors into folder models (the hub engineer supplies it).
using ModelResolver = std::function<std::vector<ModelRef>(const nlohmann::json& selector)>;

// Models in plan order (selectors resolved), then methods, then bits, then
// groups. Identities are not yet filled.
std::vector<CellSpec> expandPlan(const SweepPlan& plan, const ModelResolver& resolver = {});

// Fills checkpoint identities and data hashes (each model and file hashed once)
// and the cell ids and baseline keys. Throws for unreadable data files; a
// checkpoint folder that cannot be fingerprinted gets an identity derived from
// its path ("unreadable:...") so that its cell can fail on its own.
void resolveIdentities(std::vector<CellSpec>& cells, bool fullHash = false);

// "i/n" with 0 <= i < n (numbered from 0, like Slurm array tasks): keeps the
// cells whose index % n == i. The shards of a plan partition its cells.
std::vector<CellSpec> selectShard(const std::vector<CellSpec>& cells, const std::string& shard);

}  // namespace qid::jobs
