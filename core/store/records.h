#pragma once
// The rows of a project file as plain structs. One measurement is one row
// (DESIGN.md): everything needed to plot, fit and reproduce it.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace qid::store {

// A checkpoint. Its identity is the HF commit SHA when known, else a content
// fingerprint of the weight files (never the path: a changed checkpoint at the
// same path is a different model).
struct ModelRecord {
  std::string checkpointId;
  std::string idKind = "content";  // "hf-commit" | "content"
  std::string contentHash;         // content fingerprint, also for hub models
  std::string name;                // e.g. "pythia-70m"
  std::string source;              // folder path or repo@revision
  std::string revision;            // e.g. "step1000"
  std::optional<double> N, Ntotal, D;
  std::optional<std::int64_t> step;
  std::optional<double> lr;
  std::string duplicateOf;         // checkpoint id of the genuine twin, when flagged
};

// The 16-bit loss of a checkpoint on an evaluation set, computed once and
// shared by every cell that quantizes that checkpoint.
struct Baseline {
  std::string key;
  std::string checkpointId, datasetHash, recipe;
  int seqlen = 0, windows = 0;
  double loss16 = 0;
  std::optional<double> stderr_;
  std::int64_t tokenCount = 0;
  std::vector<float> windowNll;
  double wallTimeS = 0;
  nlohmann::json manifest = nlohmann::json::object();
};

struct Measurement {
  std::string cellId;
  std::string modelId, revision, checkpointId;
  std::optional<double> N, Ntotal, D;
  std::optional<std::int64_t> step;
  std::optional<double> lr;
  std::string method;
  int bits = 0;
  std::optional<std::int64_t> groupSize;
  nlohmann::json methodOptions = nlohmann::json::object();
  std::string evalDataset, evalHash, recipe;
  std::optional<std::int64_t> seqlen, windows, tokenCount;
  std::optional<double> loss16, lossq;
  double delta = 0;
  std::optional<double> stderr_, ciLo, ciHi;
  std::string device;
  std::optional<double> wallTimeS;
  std::string toolVersion, timestamp;
  nlohmann::json perLayer = nlohmann::json::array();
  nlohmann::json manifest = nlohmann::json::object();
  std::string baselineKey;
  std::vector<float> windowNllq;
  std::string origin = "local";
  std::string duplicateOf;  // non-empty: a duplicate revision, excluded from fits by default
};

struct FitRecord {
  std::int64_t id = 0;
  std::string name, law;
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json result = nlohmann::json::object();
  nlohmann::json selection = nlohmann::json::object();
  std::string created;
};

struct PlanRecord {
  std::int64_t id = 0;
  std::string name;
  nlohmann::json plan, run;
};

enum class CellState { Pending, Running, Done, Failed };
const char* toString(CellState s);
CellState cellStateFromString(const std::string& s);

struct CellRecord {
  std::string cellId;
  std::int64_t planId = 0;
  int index = 0;
  nlohmann::json spec;
  CellState state = CellState::Pending;
  std::string error;
  int attempts = 0;
};

// Field-by-field JSON (the result-file and export format).
nlohmann::json toJson(const Measurement& m, bool withWindows = true);
Measurement measurementFromJson(const nlohmann::json& j);
nlohmann::json toJson(const Baseline& b, bool withWindows = true);
Baseline baselineFromJson(const nlohmann::json& j);
nlohmann::json toJson(const ModelRecord& m);
ModelRecord modelFromJson(const nlohmann::json& j);

// Per-window NLLs, stored compactly: float32 little-endian bytes, and base64
// of those bytes in JSON.
std::vector<std::uint8_t> packFloats(const std::vector<float>& v);
std::vector<float> unpackFloats(const std::vector<std::uint8_t>& bytes);
std::string base64Encode(const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> base64Decode(const std::string& text);

}  // namespace qid::store
