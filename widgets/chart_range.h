#pragma once
// Axis range helpers for the chart builders: collect positive finite values
// and round the range out to whole decades for log axes.
#include <algorithm>
#include <cmath>

namespace qid::ui {

struct ValueRange {
  double lo = INFINITY, hi = 0;
  void add(double v) {
    if (std::isfinite(v) && v > 0) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  bool valid() const { return std::isfinite(lo) && hi > 0; }
};

inline double decadeBelow(double v) { return std::pow(10.0, std::floor(std::log10(v))); }
inline double decadeAbove(double v) { return std::pow(10.0, std::ceil(std::log10(v))); }

}  // namespace qid::ui
