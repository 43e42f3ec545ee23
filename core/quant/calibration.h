#pragma once
// Calibration windows for GPTQ/AWQ: `samples` windows of `seqlen` tokens at
// random starts in the calibration token stream, drawn exactly as the GPTQ
// reference does (Python: random.seed(seed); i = random.randint(0, n - seqlen - 1)
// for each sample), so the same tokens give the same windows. Windows may
// overlap.
#include <cstdint>
#include <vector>

#include "eval/windows.h"

namespace qid::quant {

struct CalibrationOptions {
  std::int64_t samples = 128;
  std::int64_t seqlen = 2048;
  std::uint64_t seed = 0;
};

// Throws qid::Error when the stream holds fewer than seqlen + 1 tokens or the
// options are not positive.
std::vector<eval::Window> calibrationWindows(std::int64_t numTokens,
                                             const CalibrationOptions& options);

}  // namespace qid::quant
