#include "laws/law_fit.h"

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "common/error.h"
#include "common/version.h"
#include "laws/law_solver.h"
#include "laws/levenberg_marquardt.h"
#include "laws/percentile.h"

namespace qid::laws {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Index of variable "N" in the family's variables, or -1.
int sizeSlot(const LawFamily& family) {
  auto vars = family.variables();
  for (size_t i = 0; i < vars.size(); ++i)
    if (vars[i] == "N") return int(i);
  return -1;
}

// Standard errors from the Jacobian of the (sigma-weighted) residuals.
std::vector<double> standardErrors(const LawSolver& solver, const std::vector<double>& params,
                                   double rss) {
  const size_t n = solver.points(), k = params.size();
  std::vector<double> out(k, kNaN);
  if (n <= k) return out;
  ResidualFn fn = [&](const std::vector<double>& p, Eigen::VectorXd& r) {
    for (size_t i = 0; i < n; ++i) r[long(i)] = solver.residualAt(i, p.data()) * std::sqrt(solver.weight(i));
    return r.allFinite();
  };
  Eigen::MatrixXd J;
  if (!numericJacobian(fn, params, int(n), J)) return out;
  // Scale the columns by the parameter magnitudes first: the Kaplan law's A
  // (1e19) and a (0.05) differ by 20 orders of magnitude.
  Eigen::VectorXd scale = Eigen::VectorXd::Zero(static_cast<long>(k));
  for (size_t j = 0; j < k; ++j) scale[long(j)] = std::max(std::abs(params[j]), 1e-300);
  Eigen::MatrixXd Js = J * scale.asDiagonal();
  Eigen::MatrixXd A = Js.transpose() * Js;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(A);
  if (!lu.isInvertible()) return out;
  Eigen::MatrixXd cov = scale.asDiagonal() * lu.inverse() * scale.asDiagonal() * (rss / double(n - k));
  for (size_t j = 0; j < k; ++j)
    if (cov(long(j), long(j)) >= 0) out[j] = std::sqrt(cov(long(j), long(j)));
  return out;
}

// The distinct sizes and, per point, the index of its size.
std::vector<double> distinctSizes(const FitData& data, int slot) {
  std::set<double> s;
  for (const auto& x : data.x) s.insert(x[size_t(slot)]);
  return {s.begin(), s.end()};
}

void crossValidate(const LawFamily& family, const FitData& data, const LawSolver& solver,
                   const std::vector<double>& best, FitResult& result) {
  CrossValidation& cv = result.cv;
  int slot = sizeSlot(family);
  if (slot < 0) {
    cv.note = "no model size N among the law's variables";
    return;
  }
  auto sizes = distinctSizes(data, slot);
  if (sizes.size() < 3) {
    cv.note = "needs at least 3 model sizes, the data has " + std::to_string(sizes.size());
    return;
  }
  double sum = 0;
  int count = 0, skipped = 0;
  const size_t k = best.size();
  for (double held : sizes) {
    std::vector<double> mask(data.y.size(), 1.0);
    size_t train = 0;
    for (size_t i = 0; i < mask.size(); ++i) {
      if (data.x[i][size_t(slot)] == held) mask[i] = 0;
      else ++train;
    }
    if (train < k) {
      ++skipped;
      continue;
    }
    SolveOutcome o = solver.solve(mask, best, 1);
    if (!o.converged) {
      ++skipped;
      continue;
    }
    for (size_t i = 0; i < mask.size(); ++i) {
      if (mask[i] != 0) continue;
      double r = solver.residualAt(i, o.params.data());
      if (std::isfinite(r)) sum += r * r, ++count;
    }
    ++cv.groups;
  }
  if (count == 0) {
    cv.note = "no held-out size could be refitted";
    return;
  }
  cv.done = true;
  cv.rmsError = std::sqrt(sum / count);
  cv.note = "leave-one-size-out over " + std::to_string(cv.groups) + " sizes" +
            (skipped ? " (" + std::to_string(skipped) + " skipped: too few points to refit)" : "");
}

void backtestLargest(const LawFamily& family, const FitData& data, const LawSolver& solver,
                     const std::vector<double>& best, FitResult& result) {
  Backtest& bt = result.backtest;
  int slot = sizeSlot(family);
  if (slot < 0) {
    bt.note = "no model size N among the law's variables";
    return;
  }
  auto sizes = distinctSizes(data, slot);
  if (sizes.size() < 2) {
    bt.note = "needs at least 2 model sizes, the data has " + std::to_string(sizes.size());
    return;
  }
  bt.heldOutN = sizes.back();
  std::vector<double> mask(data.y.size(), 1.0);
  for (size_t i = 0; i < mask.size(); ++i)
    if (data.x[i][size_t(slot)] == bt.heldOutN) mask[i] = 0, ++bt.testPoints;
  bt.trainPoints = int(data.y.size()) - bt.testPoints;
  if (size_t(bt.trainPoints) < best.size()) {
    bt.note = "too few points below the largest size to refit";
    return;
  }
  SolveOutcome o = solver.solve(mask, best, 1);
  if (!o.converged) {
    bt.note = "the fit on the smaller sizes failed: " + o.message;
    return;
  }
  double sum = 0, rel = 0;
  for (size_t i = 0; i < mask.size(); ++i) {
    if (mask[i] != 0) continue;
    double f = family.evaluate(o.params.data(), data.x[i].data());
    double r = solver.residualAt(i, o.params.data());
    sum += r * r;
    rel += std::abs(f / data.y[i] - 1);
  }
  bt.done = true;
  bt.rmsError = std::sqrt(sum / bt.testPoints);
  bt.meanAbsRelError = rel / bt.testPoints;
  bt.note = "fitted on sizes below N=" + std::to_string(bt.heldOutN) + ", predicted N=" +
            std::to_string(bt.heldOutN);
}

void bootstrapCis(const LawSolver& solver, const std::vector<double>& best, const FitOptions& o,
                  FitResult& result) {
  const size_t n = solver.points(), k = best.size();
  std::mt19937_64 rng(o.seed);
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  std::vector<double> counts(n);
  std::vector<std::vector<double>> samples;
  samples.reserve(size_t(o.bootstrap));
  for (int b = 0; b < o.bootstrap; ++b) {
    std::fill(counts.begin(), counts.end(), 0.0);
    for (size_t i = 0; i < n; ++i) counts[pick(rng)] += 1;
    SolveOutcome s = solver.solve(counts, best, 1);
    if (s.converged) samples.push_back(std::move(s.params));
    else ++result.bootstrapFailed;
    if ((b + 1) % 25 == 0 || b + 1 == o.bootstrap)
      report(o.progress, Progress{"bootstrap", b + 1, o.bootstrap, ""});
  }
  result.bootstrapRequested = o.bootstrap;
  if (samples.size() < 20 || samples.size() * 2 < size_t(o.bootstrap)) return;
  double a = (1 - o.ciLevel) / 2;
  result.law.ci.assign(k, std::nullopt);
  for (size_t j = 0; j < k; ++j) {
    std::vector<double> v;
    for (const auto& s : samples) v.push_back(s[j]);
    result.law.ci[j] = Interval{percentile(v, a), percentile(v, 1 - a)};
  }
  result.law.ciLevel = o.ciLevel;
  result.law.samples = std::move(samples);
}

}  // namespace

FitResult fitLaw(const FamilyPtr& familyIn, const FitData& data, const FitOptions& options) {
  if (!familyIn) throw Error("no law family to fit");
  FamilyPtr family = familyIn;
  if (auto adapted = family->adaptTo(data.x)) family = adapted;
  const size_t n = data.y.size(), k = family->paramNames().size();
  if (n < k)
    throw Error(data.source + ": " + std::to_string(n) + " points, but " + family->name() + " has " +
                std::to_string(k) + " parameters to fit");
  if (options.huberDelta && !(*options.huberDelta > 0))
    throw Error("the Huber delta must be positive");
  if (!options.start.empty() && options.start.size() != k)
    throw Error("the start has " + std::to_string(options.start.size()) + " values but " +
                family->name() + " has " + std::to_string(k) + " parameters");

  LawSolver solver(*family, data, options.space, options.huberDelta, options.maxIterations);
  FitResult result;
  result.space = options.space;
  result.huberDelta = options.huberDelta;
  if (options.weightByUncertainty && data.sigma.empty())
    throw Error(data.source + ": weighting by uncertainty, but the points carry no standard errors");
  result.weighting = data.sigma.empty() ? "" : data.weighting.empty() ? "inverse variance" : data.weighting;
  result.points = int(n);
  report(options.progress, Progress{"fit", 0, 0, family->name()});
  SolveOutcome best = solver.solve({}, options.start, std::max(1, options.maxStarts));
  result.method = best.method;
  result.message = best.message;
  result.iterations = best.iterations;
  result.multiStart = best.multiStart;
  result.objective = best.objective;
  result.converged = best.converged;

  Law& law = result.law;
  law.name = family->name() + "-fit";
  law.family = family;
  law.title = "fit of " + family->name() + " to " + data.source;
  law.citation = "fitted by qidlab " + toolVersion() + " to " + data.source + " (" +
                 std::to_string(n) + " points, " + toString(options.space) + " residuals" +
                 (options.huberDelta ? ", Huber delta " + std::to_string(*options.huberDelta) : "") +
                 (result.weighting.empty() ? "" : ", weighted: " + result.weighting) + ")";
  law.params = best.params;
  auto vars = family->variables();
  for (size_t v = 0; v < vars.size(); ++v) {
    Interval iv{INFINITY, -INFINITY};
    for (const auto& x : data.x) iv.lo = std::min(iv.lo, x[v]), iv.hi = std::max(iv.hi, x[v]);
    law.range[vars[v]] = iv;
  }
  if (!result.converged) return result;

  double rss = 0, ssLog = 0, ssTot = 0, meanLog = 0;
  int logPoints = 0;
  bool logOk = true;
  for (size_t i = 0; i < n; ++i) {
    double r = solver.residualAt(i, best.params.data());
    rss += solver.weight(i) * r * r;
    double f = family->evaluate(best.params.data(), data.x[i].data());
    if (data.y[i] > 0 && f > 0) meanLog += std::log(data.y[i]), ++logPoints;
    else logOk = false;
  }
  result.rss = rss;
  if (logOk && logPoints > 1) {
    meanLog /= logPoints;
    for (size_t i = 0; i < n; ++i) {
      double f = family->evaluate(best.params.data(), data.x[i].data());
      double ly = std::log(data.y[i]);
      ssLog += (ly - std::log(f)) * (ly - std::log(f));
      ssTot += (ly - meanLog) * (ly - meanLog);
    }
    if (ssTot > 0) result.r2Log = 1 - ssLog / ssTot;
  }
  double nd = double(n), kd = double(k);
  double base = rss > 0 ? nd * std::log(rss / nd) : -INFINITY;
  result.aic = base + 2 * kd;
  result.bic = base + kd * std::log(nd);
  law.stderrs = standardErrors(solver, best.params, rss);

  if (options.crossValidate) crossValidate(*family, data, solver, best.params, result);
  if (options.backtest) backtestLargest(*family, data, solver, best.params, result);
  if (options.bootstrap > 0) bootstrapCis(solver, best.params, options, result);
  return result;
}

FitResult fitLaw(const FamilyPtr& family, const DataTable& table, const FitOptions& options,
                 const BindOptions& bind) {
  if (!family) throw Error("no law family to fit");
  BindOptions b = bind;
  b.space = options.space;
  b.weightByUncertainty = b.weightByUncertainty || options.weightByUncertainty;
  return fitLaw(family, bindFitData(table, *family, b), options);
}

}  // namespace qid::laws
