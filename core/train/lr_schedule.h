#pragma once
// Learning-rate schedules for the micro-suite trainer.
//
//   cosine   Pythia's (GPT-NeoX AnnealingLR): linear warmup to the peak over
//            `warmupSteps` (update s < warmupSteps uses peak·(s+1)/warmupSteps,
//            as Megatron counts its iterations from 1), then a half cosine from the peak down to
//            `minLr` at `totalSteps` (Pythia: warmup 1 %, minLr = 0.1 peak).
//   constant linear warmup, then the peak until the end.
//   wsd      warmup-stable-decay: warmup, the peak held, then a linear decay
//            to `minLr` over the last `decayFraction` of the steps. It lets a
//            user separate "many tokens" from "the LR has decayed"
//            (Catalan-Tatjer et al. 2025, REFERENCE.md).
//
// lrAt(step) is the rate of the update that takes the weights from `step` to
// step + 1, so a checkpoint at step s records lrAt(s), the rate the schedule
// had reached when the checkpoint was taken.
#include <cstdint>
#include <string>

namespace qid::train {

enum class ScheduleKind { Cosine, Constant, WarmupStableDecay };

struct LrSchedule {
  ScheduleKind kind = ScheduleKind::Cosine;
  double peakLr = 1e-3;
  double minLr = 1e-4;
  std::int64_t warmupSteps = 0;
  std::int64_t totalSteps = 1;
  double decayFraction = 0.2;  // wsd only

  // The rate at a step in [0, totalSteps]; steps past the end keep the last rate.
  double lrAt(std::int64_t step) const;
  // Throws qid::Error for a schedule that makes no sense (negative rates,
  // warmup past the end, ...).
  void validate() const;
};

// "cosine" | "constant" | "wsd" (also "warmup-stable-decay"); throws qid::Error.
ScheduleKind parseScheduleKind(const std::string& name);
std::string scheduleKindName(ScheduleKind kind);

}  // namespace qid::train
