#include "analysis/box_stats.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace qid::analysis {

double sortedQuantile(const std::vector<float>& sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = std::clamp(p, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = h - static_cast<double>(lo);
  return static_cast<double>(sorted[lo]) + frac * (static_cast<double>(sorted[hi]) - sorted[lo]);
}

BoxStats boxStats(std::vector<float>& values) {
  BoxStats s;
  if (values.empty()) return s;
  double sum = 0;
  for (float v : values) {
    if (!std::isfinite(v)) throw Error("box statistics: the values hold a non-finite number");
    sum += v;
  }
  std::sort(values.begin(), values.end());
  s.count = static_cast<std::int64_t>(values.size());
  s.min = values.front();
  s.max = values.back();
  s.p05 = sortedQuantile(values, 0.05);
  s.q1 = sortedQuantile(values, 0.25);
  s.median = sortedQuantile(values, 0.5);
  s.q3 = sortedQuantile(values, 0.75);
  s.p95 = sortedQuantile(values, 0.95);
  s.mean = sum / static_cast<double>(values.size());
  return s;
}

BoxStats boxStats(std::vector<float>&& values) { return boxStats(values); }

namespace {
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
}  // namespace

double lowWhisker(const BoxStats& s) { return std::isfinite(s.p05) ? s.p05 : s.min; }
double highWhisker(const BoxStats& s) { return std::isfinite(s.p95) ? s.p95 : s.max; }

nlohmann::json toJson(const BoxStats& s) {
  return {{"min", number(s.min)},       {"p05", number(s.p05)}, {"q1", number(s.q1)},
          {"median", number(s.median)}, {"q3", number(s.q3)},   {"p95", number(s.p95)},
          {"max", number(s.max)},       {"mean", number(s.mean)}, {"count", s.count}};
}

BoxStats boxStatsFromJson(const nlohmann::json& j, const char* where) {
  if (!j.is_object()) throw Error(std::string(where) + ": box statistics must be an object");
  auto get = [&](const char* key, bool optional = false) {
    if (optional && !j.contains(key)) return std::numeric_limits<double>::quiet_NaN();
    if (!j.contains(key)) throw Error(std::string(where) + ": box statistics miss \"" + key + "\"");
    const auto& v = j.at(key);
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number()) throw Error(std::string(where) + ": \"" + key + "\" is not a number");
    return v.get<double>();
  };
  BoxStats s;
  s.min = get("min");
  s.p05 = get("p05", true);
  s.q1 = get("q1");
  s.median = get("median");
  s.q3 = get("q3");
  s.p95 = get("p95", true);
  s.max = get("max");
  s.mean = get("mean");
  s.count = static_cast<std::int64_t>(get("count"));
  return s;
}

}  // namespace qid::analysis
