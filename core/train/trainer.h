#pragma once
// The micro-suite trainer: one GPT-NeoX model (the model runtime's own
// forward, so every checkpoint is a normal HF folder) trained with libtorch
// autograd and AdamW on a DataOrder, with checkpoints on Pythia's schedule.
//
// A run folder looks like
//   RUN/run.json                 what defines the run (refuses a different run)
//   RUN/step0/ step1/ step2/ …   config.json, model.safetensors (fp32),
//                                tokenizer.json, qidlab_meta.json
//   RUN/resume.safetensors       optimizer state at the newest checkpoint
//   RUN/train_log.jsonl          one line per step: step, loss, lr, grad norm
//
// Deterministic on CPU for a seed. Calling trainRun again on the same folder
// resumes from the newest checkpoint that has optimizer state and ends with
// the same weights as an uninterrupted run; a finished run returns at once.
//
// BitNet b1.58 twin (options.bitnet): the Linear weights of every block go
// through the ternary absmean quantizer and their inputs through the 8-bit
// absmax quantizer, with straight-through gradients to fp32 master weights.
// The checkpoints hold the master weights (so training can resume); their
// eval_loss in qidlab_meta.json is the BitNet model's.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "model/model_config.h"
#include "train/adamw.h"
#include "train/checkpoint_meta.h"
#include "train/data_order.h"
#include "train/lr_schedule.h"

namespace qid::train {

struct TrainOptions {
  std::string runName = "run";
  std::int64_t totalSteps = 100;
  std::int64_t checkpointInterval = 25;  // even spacing after the powers of two
  LrSchedule schedule;                   // its totalSteps is set to totalSteps
  AdamWOptions adam;
  std::uint64_t initSeed = 1;
  bool bitnet = false;
  std::int64_t evalWindows = 8;  // held-out windows scored at each checkpoint (0: none)
  std::string corpus;            // a description for qidlab_meta.json
};

struct StepStats {
  std::int64_t step = 0;  // the update that took the weights from step to step+1
  double loss = 0;
  double lr = 0;
  double gradNorm = 0;
  double tokensPerSecond = 0;
};

struct TrainCallbacks {
  // stage "train <run>", done = steps done, total = totalSteps, message
  // "loss 2.31, 18.2k tok/s"; returning false cancels (qid::Cancelled) after
  // the current step. Training can be resumed later.
  ProgressFn progress;
  std::function<void(const StepStats&)> onStep;
  std::function<void(const SuiteCheckpoint&)> onCheckpoint;
};

struct TrainResult {
  std::vector<SuiteCheckpoint> checkpoints;  // all of the run, by step
  std::vector<StepStats> log;                // every step of the run so far
  std::int64_t resumedFrom = 0;              // the step this call started at
  double seconds = 0;                        // wall time of this call
};

// Trains (or resumes) one run into runDir. `evalTokens` is the held-out text
// (may be empty). tokenizerJson is copied into every checkpoint. The model
// config's vocab must cover every token id.
TrainResult trainRun(const model::ModelConfig& config, const DataOrder& data,
                     const std::vector<std::uint32_t>& evalTokens,
                     const std::filesystem::path& tokenizerJson,
                     const std::filesystem::path& runDir, const TrainOptions& options,
                     const TrainCallbacks& callbacks = {});

}  // namespace qid::train
