#pragma once
// Pythia's checkpoint schedule at any scale: steps 0, 1, 2, 4, … (powers of
// two below the even interval), then every `interval` steps, and always the
// last step. Pythia itself is interval 1000, total 143000.
//
// D bookkeeping is exact integer arithmetic: a checkpoint at step s has seen
// D = s × tokensPerStep tokens (every step consumes the same batch shape).
#include <cstdint>
#include <vector>

namespace qid::train {

// Sorted, unique steps in [0, totalSteps]. interval >= 1; throws qid::Error otherwise.
std::vector<std::int64_t> checkpointSteps(std::int64_t totalSteps, std::int64_t interval);

// The interval that gives about `evenCheckpoints` evenly spaced checkpoints
// after the log-spaced ones (at least 1).
std::int64_t intervalFor(std::int64_t totalSteps, std::int64_t evenCheckpoints);

// D = step × tokensPerStep, checked for overflow.
std::int64_t tokensSeen(std::int64_t step, std::int64_t tokensPerStep);

}  // namespace qid::train
