#pragma once
// Cutting a token stream into evaluation windows (REFERENCE.md, "Evaluation
// protocol"): non-overlapping windows of seqlen tokens, remainder dropped,
// no BOS; or sliding windows (stride) that score only tokens not scored yet.
#include <cstdint>
#include <vector>

namespace qid::eval {

// Tokens [start, start+length) of the stream go in; the targets at window
// positions scoreFrom..length-1 are scored (position p is predicted from the
// logits at p-1), so scoreFrom >= 1.
struct Window {
  std::int64_t start = 0;
  std::int64_t length = 0;
  std::int64_t scoreFrom = 1;
  std::int64_t scored() const { return length - scoreFrom; }
};

struct WindowOptions {
  std::int64_t seqlen = 2048;
  // 0 or seqlen: non-overlapping windows, remainder dropped. 0 < stride <
  // seqlen: windows start every `stride` tokens and score only new targets;
  // the last one is moved back to end at the last token, so every target
  // 1..n-1 is scored exactly once.
  std::int64_t stride = 0;
  // Score only window positions >= scoreFrom (llama.cpp scores the second
  // half: seqlen/2). 0 means 1 (every position with a context).
  std::int64_t scoreFrom = 0;
  std::int64_t maxWindows = 0;  // > 0: only the first K windows
  std::int64_t sample = 0;      // > 0: K windows drawn at random (sorted), see seed
  std::uint64_t seed = 0;
};

// Throws qid::Error when the stream is shorter than one window or the
// options are inconsistent.
std::vector<Window> planWindows(std::int64_t numTokens, const WindowOptions& options);

// Keeps the first maxWindows windows (> 0), or `sample` (> 0) windows drawn
// at random with the seed, in their original order. The draw is planWindows'
// own, so every recipe samples the same way. Throws qid::Error for negative
// counts, both given, or more samples than windows.
std::vector<Window> selectWindows(std::vector<Window> windows, std::int64_t maxWindows,
                                  std::int64_t sample, std::uint64_t seed);

// Total scored targets.
std::int64_t scoredTokens(const std::vector<Window>& windows);

}  // namespace qid::eval
