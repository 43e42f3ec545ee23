#include "train/checkpoint_schedule.h"

#include <algorithm>
#include <limits>

#include "common/error.h"

namespace qid::train {

std::vector<std::int64_t> checkpointSteps(std::int64_t totalSteps, std::int64_t interval) {
  if (totalSteps < 0) throw Error("checkpoint schedule: total steps must not be negative");
  if (interval < 1) throw Error("checkpoint schedule: the even interval must be at least 1 step");
  std::vector<std::int64_t> steps{0};
  for (std::int64_t p = 1; p < interval && p <= totalSteps; p *= 2) steps.push_back(p);
  for (std::int64_t s = interval; s <= totalSteps; s += interval) steps.push_back(s);
  steps.push_back(totalSteps);
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  return steps;
}

std::int64_t intervalFor(std::int64_t totalSteps, std::int64_t evenCheckpoints) {
  if (evenCheckpoints < 1) evenCheckpoints = 1;
  return std::max<std::int64_t>(1, totalSteps / evenCheckpoints);
}

std::int64_t tokensSeen(std::int64_t step, std::int64_t tokensPerStep) {
  if (step < 0 || tokensPerStep < 0) throw Error("tokens seen: negative step or batch size");
  if (step != 0 && tokensPerStep > std::numeric_limits<std::int64_t>::max() / step)
    throw Error("tokens seen: step × tokens per step overflows 64 bits");
  return step * tokensPerStep;
}

}  // namespace qid::train
