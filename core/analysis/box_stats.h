#pragma once
// The five numbers of a boxplot plus the mean, for a distribution of values
// (|ΔW|, |Q(W) − W|, ...). Quantiles interpolate linearly between order
// statistics, like numpy's default: q(p) = x[floor(h)] + (h − floor(h)) ·
// (x[floor(h)+1] − x[floor(h)]) with h = p · (n − 1) on the sorted values.
#include <cstdint>
#include <limits>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace qid::analysis {

struct BoxStats {
  double min = std::numeric_limits<double>::quiet_NaN();
  double q1 = std::numeric_limits<double>::quiet_NaN();
  double median = std::numeric_limits<double>::quiet_NaN();
  double q3 = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  std::int64_t count = 0;  // values summarised (0: all fields NaN)
};

// The statistics of `values` (reordered in place). Non-finite values are an
// error (qid::Error): a weight that is NaN means a broken checkpoint.
BoxStats boxStats(std::vector<float>& values);
BoxStats boxStats(std::vector<float>&& values);

// The quantile p in [0, 1] of already sorted values (NaN when empty).
double sortedQuantile(const std::vector<float>& sorted, double p);

// {"min","q1","median","q3","max","mean","count"}; NaN becomes null.
nlohmann::json toJson(const BoxStats& s);
// Throws qid::Error naming `where` when a field is missing or not a number.
BoxStats boxStatsFromJson(const nlohmann::json& j, const char* where);

}  // namespace qid::analysis
