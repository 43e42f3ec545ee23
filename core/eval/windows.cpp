#include "eval/windows.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <string>

#include "common/error.h"

namespace qid::eval {

std::vector<Window> planWindows(std::int64_t numTokens, const WindowOptions& o) {
  if (o.seqlen < 2) throw Error("seqlen must be at least 2 (got " + std::to_string(o.seqlen) + ")");
  if (o.stride < 0 || o.stride > o.seqlen)
    throw Error("stride must be between 1 and seqlen (got " + std::to_string(o.stride) + ")");
  const std::int64_t scoreFrom = o.scoreFrom == 0 ? 1 : o.scoreFrom;
  if (scoreFrom < 1 || scoreFrom >= o.seqlen)
    throw Error("the first scored position must be in 1.." + std::to_string(o.seqlen - 1));
  if (o.maxWindows < 0 || o.sample < 0) throw Error("window counts must not be negative");
  if (o.maxWindows > 0 && o.sample > 0) throw Error("use either --max-windows or --sample, not both");
  if (numTokens < o.seqlen)
    throw Error("the text has " + std::to_string(numTokens) + " tokens, fewer than one window of " +
                std::to_string(o.seqlen));

  std::vector<Window> windows;
  const std::int64_t stride = o.stride == 0 ? o.seqlen : o.stride;
  if (stride == o.seqlen) {
    for (std::int64_t start = 0; start + o.seqlen <= numTokens; start += o.seqlen)
      windows.push_back({start, o.seqlen, scoreFrom});
  } else {
    if (o.scoreFrom > 1) throw Error("a stride cannot be combined with a custom first scored position");
    std::int64_t scoredUpTo = 0;  // targets [0, scoredUpTo) are done (target 0 has no context)
    for (std::int64_t start = 0;; start += stride) {
      std::int64_t begin = std::min(start, numTokens - o.seqlen);
      std::int64_t end = begin + o.seqlen;
      std::int64_t from = std::max<std::int64_t>(1, scoredUpTo - begin);
      if (from < o.seqlen) windows.push_back({begin, o.seqlen, from});
      scoredUpTo = end;
      if (end >= numTokens) break;
    }
  }
  if (o.sample > 0 && stride != o.seqlen)
    throw Error("--sample needs non-overlapping windows (no --stride)");
  return selectWindows(std::move(windows), o.maxWindows, o.sample, o.seed);
}

std::vector<Window> selectWindows(std::vector<Window> windows, std::int64_t maxWindows,
                                  std::int64_t sample, std::uint64_t seed) {
  if (maxWindows < 0 || sample < 0) throw Error("window counts must not be negative");
  if (maxWindows > 0 && sample > 0) throw Error("use either --max-windows or --sample, not both");
  if (maxWindows > 0 && static_cast<std::int64_t>(windows.size()) > maxWindows)
    windows.resize(static_cast<std::size_t>(maxWindows));
  if (sample > 0) {
    if (sample > static_cast<std::int64_t>(windows.size()))
      throw Error("cannot sample " + std::to_string(sample) + " windows from " +
                  std::to_string(windows.size()));
    std::vector<std::size_t> order(windows.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    // Partial Fisher-Yates with our own index draw, so every platform agrees.
    for (std::size_t i = 0; i < static_cast<std::size_t>(sample); ++i) {
      std::size_t j = i + static_cast<std::size_t>(rng() % (order.size() - i));
      std::swap(order[i], order[j]);
    }
    order.resize(static_cast<std::size_t>(sample));
    std::sort(order.begin(), order.end());
    std::vector<Window> picked;
    for (auto i : order) picked.push_back(windows[i]);
    windows = std::move(picked);
  }
  return windows;
}

std::int64_t scoredTokens(const std::vector<Window>& windows) {
  std::int64_t n = 0;
  for (const auto& w : windows) n += w.scored();
  return n;
}

}  // namespace qid::eval
