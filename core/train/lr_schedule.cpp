#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace qid::train {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

double LrSchedule::lrAt(std::int64_t step) const {
  const std::int64_t s = std::clamp<std::int64_t>(step, 0, totalSteps);
  if (warmupSteps > 0 && s < warmupSteps) {
    // Update s is the (s+1)-th of the warmup: the first one already moves the
    // weights (a rate of 0 at step 0 would make checkpoints 0 and 1 identical).
    return peakLr * static_cast<double>(s + 1) / static_cast<double>(warmupSteps);
  }
  switch (kind) {
    case ScheduleKind::Constant:
      return peakLr;
    case ScheduleKind::Cosine: {
      const double span = static_cast<double>(totalSteps - warmupSteps);
      if (span <= 0) return peakLr;
      const double t = static_cast<double>(s - warmupSteps) / span;
      return minLr + (peakLr - minLr) * 0.5 * (std::cos(kPi * t) + 1.0);
    }
    case ScheduleKind::WarmupStableDecay: {
      const auto decaySteps = static_cast<std::int64_t>(
          std::llround(decayFraction * static_cast<double>(totalSteps)));
      const std::int64_t decayStart = std::max(warmupSteps, totalSteps - decaySteps);
      if (s < decayStart || totalSteps == decayStart) return peakLr;
      const double t = static_cast<double>(s - decayStart) /
                       static_cast<double>(totalSteps - decayStart);
      return peakLr + (minLr - peakLr) * t;
    }
  }
  return peakLr;
}

void LrSchedule::validate() const {
  if (!(peakLr > 0) || !std::isfinite(peakLr))
    throw Error("learning-rate schedule: the peak rate must be a positive number");
  if (!(minLr >= 0) || minLr > peakLr)
    throw Error("learning-rate schedule: the minimum rate must lie in [0, peak]");
  if (totalSteps < 1) throw Error("learning-rate schedule: at least one training step is needed");
  if (warmupSteps < 0 || warmupSteps > totalSteps)
    throw Error("learning-rate schedule: warmup steps must lie in [0, total steps]");
  if (!(decayFraction >= 0 && decayFraction <= 1))
    throw Error("learning-rate schedule: the decay fraction must lie in [0, 1]");
}

ScheduleKind parseScheduleKind(const std::string& name) {
  if (name == "cosine") return ScheduleKind::Cosine;
  if (name == "constant") return ScheduleKind::Constant;
  if (name == "wsd" || name == "warmup-stable-decay") return ScheduleKind::WarmupStableDecay;
  throw Error("unknown learning-rate schedule '" + name + "' (expected cosine, constant or wsd)");
}

std::string scheduleKindName(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::Cosine: return "cosine";
    case ScheduleKind::Constant: return "constant";
    case ScheduleKind::WarmupStableDecay: return "wsd";
  }
  return "cosine";
}

}  // namespace qid::train
