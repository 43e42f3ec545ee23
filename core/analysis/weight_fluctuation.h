#pragma once
// Weight fluctuation as the mechanism of QiD (Ouyang et al. 2025, Figure 12):
// for each pair of adjacent checkpoints of a run, and for every Linear of
// every block, the distribution of the training movement |W_t − W_prev| and
// of the quantization push |Q(W_t) − W_t| at each bit width, and their ratio.
// The paper's explanation: QiD is large when the push exceeds the recent
// training movement (late checkpoints barely move; early ones move a lot).
//
//   ratio      = median |Q(W_t) − W_t| / median |W_t − W_prev|
//   ratio_mean = mean   |Q(W_t) − W_t| / mean   |W_t − W_prev|
//
// Checkpoint pairs are adjacent on the run's schedule, so the number of
// training steps between them varies (log-spaced, then even); stepsBetween
// says how many, for users who want the movement per step.
//
// Q is a data-free quantizer (rtn, nf4 or fp4; the sweep's GPTQ needs
// calibration data and is not repeated here), applied to each weight as the
// quantization pipeline applies it. Each row carries the checkpoint ids the
// sweep gives the same folders (jobs::checkpointFingerprint), so a
// measurement finds the fluctuation of its checkpoint (fluctuation_store.h).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analysis/box_stats.h"
#include "common/progress.h"

namespace qid::analysis {

struct FluctuationOptions {
  std::vector<int> bits{2, 3, 4};
  std::string method = "rtn";  // rtn | nf4 | fp4 (nf4/fp4: 4 bits only)
  int groupSize = -1;          // -1: one scale per row
  bool symmetric = false;
  bool perLinear = true;       // keep the per-Linear statistics (else only the pooled ones)
  bool fullHash = false;       // checkpoint ids from every weight byte (as the sweep's --full-hash)
  ProgressFn progress;         // stage "fluctuation <run>", done/total in checkpoint pairs
};

struct BitPush {
  int bits = 0;
  BoxStats push;           // |Q(W_t) − W_t|
  double ratio = 0;        // push.median / movement.median (NaN when nothing moved)
  double ratioMean = 0;    // push.mean / movement.mean
};

struct LinearFluctuation {
  int layer = 0;
  std::string linear;      // "query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"
  BoxStats movement;       // |W_t − W_prev|
  std::vector<BitPush> bits;
};

// One pair of adjacent checkpoints, summarised at the later one.
struct CheckpointFluctuation {
  std::string run;
  std::filesystem::path dir, prevDir;
  std::string checkpointId, prevCheckpointId;
  std::int64_t step = 0, prevStep = 0, stepsBetween = 0;
  double D = 0;                 // tokens seen at `step`
  double learningRate = 0;      // the schedule's rate at `step`
  double N = 0;                 // non-embedding parameters
  BoxStats movement;            // pooled over every block Linear
  std::vector<BitPush> bits;    // pooled over every block Linear
  std::vector<LinearFluctuation> linears;  // empty unless perLinear
};

struct FluctuationReport {
  std::string method;
  int groupSize = -1;
  bool symmetric = false;
  std::vector<int> bits;
  std::vector<CheckpointFluctuation> checkpoints;  // by run, then by step
};

// Analyses a run folder (step*/ checkpoints with qidlab_meta.json) or a
// micro-suite folder (every run in it). Throws qid::Error naming the folder
// when it holds no checkpoints, a run has a single checkpoint, or the options
// make no sense (nf4 with 3 bits, an unknown method, ...).
FluctuationReport analyzeFluctuation(const std::filesystem::path& dir, const FluctuationOptions& options = {});

// The checkpoints of one run, in order, as given (each a checkpoint folder);
// names the run in the rows. At least two folders.
FluctuationReport analyzeCheckpointSequence(const std::string& run,
                                            const std::vector<std::filesystem::path>& dirs,
                                            const FluctuationOptions& options = {});

nlohmann::json toJson(const FluctuationReport& report);
nlohmann::json toJson(const CheckpointFluctuation& c);
nlohmann::json toJson(const BitPush& b);

}  // namespace qid::analysis
