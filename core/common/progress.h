#pragma once
// Progress reporting for long operations. core/ never talks to a UI: it calls
// a plain callback, and a false return asks the operation to stop (it then
// throws qid::Cancelled at the next safe point). widgets/ adapts this to Qt
// signals, the CLI to a progress bar on stderr.
#include <cstdint>
#include <functional>
#include <string>

#include "common/error.h"

namespace qid {

struct Progress {
  std::string stage;    // e.g. "tokenize", "eval", "gptq layer 3"
  std::int64_t done = 0;
  std::int64_t total = 0;  // 0 when unknown
  std::string message;     // free text, e.g. "loss 3.21"
};

using ProgressFn = std::function<bool(const Progress&)>;

// Calls fn if set; throws Cancelled when it returns false.
inline void report(const ProgressFn& fn, const Progress& p) {
  if (fn && !fn(p)) throw Cancelled();
}

}  // namespace qid
