#pragma once
// A micro-suite: several GPT-NeoX sizes trained like Pythia on the same data
// in the same order, each with checkpoints on the log-then-even schedule,
// optionally each with a BitNet b1.58 twin (Figure 14).
//
// Suite presets are data: resources/suites/<name>.json (tiny, quick, ...).
//
//   OUT/suite.json       the plan as trained, plus the corpus it used
//   OUT/tokenizer.json   byte-level unless another tokenizer.json was given
//   OUT/eval.txt         the held-out text (what reproduce evaluates on)
//   OUT/calib.txt        the first ~256 KiB of the training text, line-aligned
//                        (GPTQ/AWQ calibration for reproduce)
//   OUT/<size>/step*/    HF checkpoint folders (trainer.h)
//   OUT/<size>-bitnet/   the BitNet twin, when asked for
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/model_config.h"
#include "train/adamw.h"
#include "train/lr_schedule.h"
#include "train/trainer.h"

namespace qid::train {

inline constexpr const char* kSuiteEvalFile = "eval.txt";
inline constexpr const char* kSuiteCalibFile = "calib.txt";
inline constexpr std::size_t kSuiteCalibBytes = 256 * 1024;

struct SuiteSize {
  std::string name;
  std::int64_t layers = 2;
  std::int64_t hidden = 64;
  std::int64_t heads = 4;
};

struct SuitePlan {
  std::string name = "custom";
  std::string description;
  std::vector<SuiteSize> sizes;
  std::int64_t seqLen = 64;
  std::int64_t batchSize = 16;
  std::int64_t totalSteps = 256;
  std::int64_t checkpointInterval = 32;
  ScheduleKind scheduleKind = ScheduleKind::Cosine;
  double peakLr = 3e-3;
  double minLr = 3e-4;
  double warmupFraction = 0.01;  // of totalSteps, as Pythia (at least one step when > 0)
  double decayFraction = 0.2;    // wsd only
  AdamWOptions adam;
  std::uint64_t seed = 1234;      // model initialisation
  std::uint64_t dataSeed = 42;    // data order, shared by every size
  std::int64_t evalWindows = 8;   // held-out windows scored at each checkpoint
  bool bitnetTwins = false;
  // Everything else in the preset (the reproduce sweep settings), as read.
  nlohmann::json extra;

  LrSchedule schedule() const;
  std::int64_t tokensPerStep() const { return seqLen * batchSize; }
  model::ModelConfig modelConfig(const SuiteSize& size, std::int64_t vocab) const;
};

// Names of the bundled suite presets, sorted.
std::vector<std::string> suitePresetNames();
// A bundled preset, or a plan JSON file by path. Throws qid::Error naming it.
SuitePlan loadSuitePlan(const std::string& nameOrFile);
SuitePlan parseSuitePlan(const nlohmann::json& json, const std::string& where);
nlohmann::json toJson(const SuitePlan& plan);

struct SuiteInputs {
  std::vector<std::filesystem::path> corpusFiles;  // empty: the KJV
  std::filesystem::path tokenizerJson;             // empty: byte-level
};

struct SuiteRun {
  SuiteSize size;
  bool bitnet = false;
  std::filesystem::path dir;
  TrainResult result;
};

struct SuiteResult {
  std::filesystem::path dir;
  std::filesystem::path evalText;
  std::filesystem::path calibText;
  std::int64_t trainTokens = 0;
  std::int64_t evalTokens = 0;
  std::vector<SuiteRun> runs;
  double seconds = 0;
};

// Trains (or resumes) every run of the plan into outDir.
SuiteResult trainSuite(const SuitePlan& plan, const SuiteInputs& inputs,
                       const std::filesystem::path& outDir, const TrainCallbacks& callbacks = {});

// The first maxBytes of text, cut after its last full line (the whole text
// when shorter): the calibration slice.
std::string calibrationSlice(const std::string& text, std::size_t maxBytes);

// The plan a suite folder was trained with (OUT/suite.json).
SuitePlan readSuitePlan(const std::filesystem::path& suiteDir);

}  // namespace qid::train
