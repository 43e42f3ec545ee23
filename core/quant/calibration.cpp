#include "quant/calibration.h"

#include <string>

#include "common/error.h"
#include "quant/python_random.h"

namespace qid::quant {

std::vector<eval::Window> calibrationWindows(std::int64_t numTokens,
                                             const CalibrationOptions& options) {
  if (options.samples <= 0) throw Error("calibration samples must be positive");
  if (options.seqlen <= 0) throw Error("calibration seqlen must be positive");
  if (numTokens < options.seqlen + 1)
    throw Error("the calibration text has " + std::to_string(numTokens) +
                " tokens, fewer than calibration seqlen + 1 = " +
                std::to_string(options.seqlen + 1));
  PythonRandom rng(options.seed);
  std::vector<eval::Window> out;
  for (std::int64_t s = 0; s < options.samples; ++s) {
    eval::Window w;
    w.start = rng.randint(0, numTokens - options.seqlen - 1);
    w.length = options.seqlen;
    w.scoreFrom = 1;
    out.push_back(w);
  }
  return out;
}

}  // namespace qid::quant
