#include "laws/law_solver.h"

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "common/error.h"
#include "laws/levenberg_marquardt.h"

namespace qid::laws {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Huber pseudo-residual: its square is twice the Huber loss of r, and it is
// smooth enough for Gauss-Newton steps (equal to r inside [-delta, delta]).
double huberResidual(double r, double delta) {
  double a = std::abs(r);
  if (a <= delta) return r;
  return std::copysign(std::sqrt(2 * delta * a - delta * delta), r);
}
}  // namespace

double residual(ResidualSpace space, double y, double f) {
  switch (space) {
    case ResidualSpace::Log: return std::log(y) - std::log(f);
    case ResidualSpace::Linear: return y - f;
    case ResidualSpace::Relative: return (f - y) / y;
  }
  return kNaN;
}

LawSolver::LawSolver(const LawFamily& family, const FitData& data, ResidualSpace space,
                     std::optional<double> huberDelta, int maxIterations)
    : family_(family), data_(data), space_(space), huber_(huberDelta), maxIterations_(maxIterations) {
  const size_t n = data.y.size();
  weights_.assign(n, 1.0);
  if (!data.sigma.empty()) {
    for (size_t i = 0; i < n; ++i) {
      double s = space == ResidualSpace::Linear ? data.sigma[i] : data.sigma[i] / std::abs(data.y[i]);
      weights_[i] = 1.0 / (s * s);
    }
  }
  if (family.hasLogLinearForm() && space == ResidualSpace::Log) {
    theta_ = family.thetaSize();
    design_.resize(long(n), theta_);
    logY_.resize(long(n));
    std::vector<double> row(static_cast<size_t>(theta_));
    for (size_t i = 0; i < n; ++i) {
      if (!family.logLinearRow(data.x[i].data(), row.data()))
        throw Error(data.source + " line " + std::to_string(data.lines[i]) + ": the point is outside " +
                    family.name() + " (a variable is not positive, or a bit width the law has no constants for)");
      for (int j = 0; j < theta_; ++j) design_(long(i), j) = row[size_t(j)];
      logY_[long(i)] = std::log(data.y[i]);
    }
    exact_ = !huber_.has_value();
  }
}

double LawSolver::residualAt(size_t i, const double* params) const {
  return residual(space_, data_.y[i], family_.evaluate(params, data_.x[i].data()));
}

SolveOutcome LawSolver::solve(const std::vector<double>& counts, std::vector<double> start,
                              int maxStarts) const {
  std::vector<size_t> active;
  for (size_t i = 0; i < points(); ++i)
    if (counts.empty() || counts[i] > 0) active.push_back(i);
  const size_t k = family_.paramNames().size();
  if (exact_) return solveExact(active, counts);

  if (start.empty()) {
    if (design_.size() > 0) {
      SolveOutcome ols = solveExact(active, counts);
      if (ols.converged) start = ols.params;
    }
    if (start.empty()) start = family_.initialGuess(data_.x, data_.y);
  }
  if (start.size() != k) throw Error("the start has " + std::to_string(start.size()) +
                                     " values but " + family_.name() + " has " + std::to_string(k) +
                                     " parameters");
  // Grid of starts: each parameter times 0.2, 1 or 5; the given start first,
  // then a seeded selection when the grid is larger than maxStarts.
  std::vector<std::vector<double>> starts{start};
  if (maxStarts > 1) {
    const double factors[3] = {1.0, 0.2, 5.0};
    size_t combos = 1;
    for (size_t j = 0; j < k && combos < 100000; ++j) combos *= 3;
    std::vector<size_t> order;
    for (size_t c = 1; c < combos; ++c) order.push_back(c);
    if (order.size() > size_t(maxStarts - 1)) {
      std::mt19937_64 rng(12345);
      std::shuffle(order.begin(), order.end(), rng);
      order.resize(size_t(maxStarts - 1));
    }
    for (size_t c : order) {
      std::vector<double> s = start;
      size_t code = c;
      for (size_t j = 0; j < k; ++j, code /= 3) s[j] *= factors[code % 3];
      starts.push_back(std::move(s));
    }
  }
  SolveOutcome best;
  best.objective = std::numeric_limits<double>::infinity();
  std::vector<double> convergedCosts;
  std::string lastReason;
  int iterations = 0;
  for (const auto& s : starts) {
    SolveOutcome o = solveIterative(active, counts, s);
    iterations += o.iterations;
    lastReason = o.message;
    if (o.converged) convergedCosts.push_back(o.objective);
    bool better = o.converged && (!best.converged || o.objective < best.objective);
    if (better || (!best.converged && !o.converged && o.objective < best.objective)) best = o;
  }
  if (best.params.empty()) {
    best.params.assign(k, kNaN);
    best.message = lastReason;
  }
  best.iterations = iterations;
  auto& ms = best.multiStart;
  ms.starts = int(starts.size());
  ms.converged = int(convergedCosts.size());
  ms.bestCost = best.objective;
  for (double c : convergedCosts) {
    if (std::abs(c - best.objective) <= 1e-6 * std::max(best.objective, 1e-300) + 1e-300) ++ms.agreeing;
    ms.worstConvergedCost = std::max(ms.worstConvergedCost, c);
  }
  return best;
}

SolveOutcome LawSolver::solveExact(const std::vector<size_t>& active,
                                   const std::vector<double>& counts) const {
  SolveOutcome out;
  out.method = "log-space least squares (exact)";
  const long m = long(active.size());
  Eigen::MatrixXd X(m, theta_);
  Eigen::VectorXd z(m);
  for (long r = 0; r < m; ++r) {
    size_t i = active[size_t(r)];
    double w = std::sqrt(weights_[i] * (counts.empty() ? 1.0 : counts[i]));
    X.row(r) = design_.row(long(i)) * w;
    z[r] = logY_[long(i)] * w;
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
  qr.setThreshold(1e-10);
  if (qr.rank() < theta_) {
    out.params.assign(family_.paramNames().size(), kNaN);
    out.message = "the points do not determine every parameter (rank " + std::to_string(qr.rank()) +
                  " of " + std::to_string(theta_) + "): too few distinct values of a variable";
    return out;
  }
  Eigen::VectorXd theta = qr.solve(z);
  std::vector<double> t(theta.data(), theta.data() + theta.size());
  out.params = family_.paramsFromTheta(t);
  out.objective = (X * theta - z).squaredNorm();
  out.converged = std::all_of(out.params.begin(), out.params.end(),
                              [](double v) { return std::isfinite(v); });
  out.message = out.converged ? "exact solution" : "the exact solution is not finite";
  out.multiStart.starts = 1;
  out.multiStart.converged = out.multiStart.agreeing = out.converged ? 1 : 0;
  out.multiStart.bestCost = out.multiStart.worstConvergedCost = out.objective;
  return out;
}

SolveOutcome LawSolver::solveIterative(const std::vector<size_t>& active,
                                       const std::vector<double>& counts,
                                       const std::vector<double>& start) const {
  const bool huber = huber_.has_value();
  const double delta = huber ? *huber_ : 0;
  ResidualFn fn = [&](const std::vector<double>& p, Eigen::VectorXd& r) {
    for (size_t row = 0; row < active.size(); ++row) {
      size_t i = active[row];
      double f = family_.evaluate(p.data(), data_.x[i].data());
      if (!std::isfinite(f) || (space_ != ResidualSpace::Linear && !(f > 0))) return false;
      double e = residual(space_, data_.y[i], f) * std::sqrt(weights_[i]);
      if (huber) e = huberResidual(e, delta);
      r[long(row)] = e * (counts.empty() ? 1.0 : std::sqrt(counts[i]));
    }
    return true;
  };
  LmOptions lo;
  lo.maxIterations = maxIterations_;
  LmResult lm = levenbergMarquardt(fn, int(active.size()), start, lo);
  SolveOutcome out;
  out.method = huber ? "Levenberg-Marquardt, Huber loss" : "Levenberg-Marquardt";
  out.params = lm.params;
  out.converged = lm.converged && std::all_of(lm.params.begin(), lm.params.end(),
                                              [](double v) { return std::isfinite(v); });
  out.message = lm.reason;
  out.iterations = lm.iterations;
  out.objective = std::isfinite(lm.cost) ? lm.cost : std::numeric_limits<double>::infinity();
  return out;
}

}  // namespace qid::laws
