#pragma once
// The five numbers of a boxplot plus the mean and the 5th/95th percentiles
// (the whiskers), for a distribution of values (|ΔW|, |Q(W) − W|, ...).
// Quantiles, the percentiles included, interpolate linearly between order
// statistics, like numpy's default: q(p) = x[floor(h)] + (h − floor(h)) ·
// (x[floor(h)+1] − x[floor(h)]) with h = p · (n − 1) on the sorted values.
#include <cstdint>
#include <limits>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace qid::analysis {

struct BoxStats {
  double min = std::numeric_limits<double>::quiet_NaN();
  double p05 = std::numeric_limits<double>::quiet_NaN();  // 5th percentile (NaN: stored before it existed)
  double q1 = std::numeric_limits<double>::quiet_NaN();
  double median = std::numeric_limits<double>::quiet_NaN();
  double q3 = std::numeric_limits<double>::quiet_NaN();
  double p95 = std::numeric_limits<double>::quiet_NaN();  // 95th percentile (NaN: stored before it existed)
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

// The ends of a boxplot's whiskers: the 5th and 95th percentiles, or min and
// max for statistics stored before the percentiles were (p05/p95 NaN).
double lowWhisker(const BoxStats& s);
double highWhisker(const BoxStats& s);

// {"min","p05","q1","median","q3","p95","max","mean","count"}; NaN becomes null.
nlohmann::json toJson(const BoxStats& s);
// Throws qid::Error naming `where` when a field is missing or not a number.
// "p05" and "p95" may be absent (rows written before they existed): NaN then.
BoxStats boxStatsFromJson(const nlohmann::json& j, const char* where);

}  // namespace qid::analysis
