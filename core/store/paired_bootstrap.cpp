#include "store/paired_bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "common/error.h"

namespace qid::store {

namespace {

void check(const std::vector<float>& a, const std::vector<float>& b, int resamples, double level) {
  if (a.empty() || a.size() != b.size())
    throw Error("paired bootstrap needs the same, non-zero number of windows in both runs (got " +
                std::to_string(a.size()) + " and " + std::to_string(b.size()) + ")");
  if (resamples < 10) throw Error("bootstrap needs at least 10 resamples");
  if (!(level > 0 && level < 1)) throw Error("confidence level must lie in (0, 1)");
}

double quantile(std::vector<double>& v, double q) {
  std::sort(v.begin(), v.end());
  double pos = q * double(v.size() - 1);
  size_t i = size_t(pos);
  double f = pos - double(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

DeltaInterval finish(std::vector<double>& means, double delta, double level, int windows) {
  DeltaInterval r;
  r.delta = delta;
  r.windows = windows;
  r.resamples = int(means.size());
  double mu = 0;
  for (double m : means) mu += m;
  mu /= double(means.size());
  double var = 0;
  for (double m : means) var += (m - mu) * (m - mu);
  r.stderr_ = std::sqrt(var / double(means.size() - 1));
  r.lo = quantile(means, (1 - level) / 2);
  r.hi = quantile(means, 1 - (1 - level) / 2);
  return r;
}

}  // namespace

DeltaInterval pairedBootstrap(const std::vector<float>& nll16, const std::vector<float>& nllq, int resamples,
                              std::uint64_t seed, double level) {
  check(nll16, nllq, resamples, level);
  const size_t n = nll16.size();
  std::vector<double> d(n);
  double delta = 0;
  for (size_t i = 0; i < n; ++i) delta += d[i] = double(nllq[i]) - double(nll16[i]);
  delta /= double(n);
  std::mt19937_64 rng(seed);
  std::vector<double> means(static_cast<size_t>(resamples));
  for (auto& m : means) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += d[rng() % n];
    m = s / double(n);
  }
  return finish(means, delta, level, int(n));
}

DeltaInterval unpairedBootstrap(const std::vector<float>& nll16, const std::vector<float>& nllq, int resamples,
                                std::uint64_t seed, double level) {
  check(nll16, nllq, resamples, level);
  const size_t n = nll16.size();
  double delta = 0;
  for (size_t i = 0; i < n; ++i) delta += double(nllq[i]) - double(nll16[i]);
  delta /= double(n);
  std::mt19937_64 rng(seed);
  std::vector<double> means(static_cast<size_t>(resamples));
  for (auto& m : means) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += double(nllq[rng() % n]) - double(nll16[rng() % n]);
    m = s / double(n);
  }
  return finish(means, delta, level, int(n));
}

}  // namespace qid::store
