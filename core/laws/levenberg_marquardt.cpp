#include "laws/levenberg_marquardt.h"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>

namespace qid::laws {

bool numericJacobian(const ResidualFn& residuals, const std::vector<double>& p, int n,
                     Eigen::MatrixXd& jacobian, int* evaluations) {
  const int k = int(p.size());
  jacobian.resize(n, k);
  Eigen::VectorXd rp(n), rm(n);
  std::vector<double> q = p;
  for (int j = 0; j < k; ++j) {
    double h = 1e-6 * std::max(std::abs(p[size_t(j)]), 1e-8);
    bool okp, okm;
    q[size_t(j)] = p[size_t(j)] + h;
    okp = residuals(q, rp) && rp.allFinite();
    q[size_t(j)] = p[size_t(j)] - h;
    okm = residuals(q, rm) && rm.allFinite();
    q[size_t(j)] = p[size_t(j)];
    if (evaluations) *evaluations += 2;
    if (okp && okm) jacobian.col(j) = (rp - rm) / (2 * h);
    else {
      // One-sided at a domain edge.
      Eigen::VectorXd r0(n);
      if (!residuals(p, r0)) return false;
      if (okp) jacobian.col(j) = (rp - r0) / h;
      else if (okm) jacobian.col(j) = (r0 - rm) / h;
      else return false;
    }
  }
  return true;
}

LmResult levenbergMarquardt(const ResidualFn& residuals, int n, std::vector<double> start,
                            const LmOptions& options) {
  LmResult out;
  const int k = int(start.size());
  std::vector<double> p = std::move(start);
  Eigen::VectorXd r(n);
  out.evaluations = 1;
  if (!residuals(p, r) || !r.allFinite()) {
    out.params = p;
    out.cost = std::nan("");
    out.reason = "the model is not finite at the starting point";
    return out;
  }
  double cost = r.squaredNorm();
  Eigen::MatrixXd J;
  Eigen::VectorXd scale = Eigen::VectorXd::Zero(k);
  double lambda = -1, nu = 2;
  Eigen::VectorXd rNew(n);
  int iteration = 0;
  bool recompute = true;
  Eigen::MatrixXd A;
  Eigen::VectorXd g;
  for (; iteration < options.maxIterations; ++iteration) {
    if (recompute) {
      if (!numericJacobian(residuals, p, n, J, &out.evaluations)) {
        out.reason = "the Jacobian cannot be evaluated at the current point";
        break;
      }
      A = J.transpose() * J;
      g = J.transpose() * r;
      for (int j = 0; j < k; ++j) scale[j] = std::max(scale[j], A(j, j));
      if (lambda < 0) lambda = 1e-3;
      // Scaled gradient test: cos of the angle between r and each column.
      double gmax = 0;
      for (int j = 0; j < k; ++j) {
        double cn = J.col(j).norm();
        if (cn > 0 && cost > 0) gmax = std::max(gmax, std::abs(g[j]) / (cn * std::sqrt(cost)));
      }
      if (cost == 0 || gmax <= options.gtol) {
        out.converged = true;
        out.reason = cost == 0 ? "exact fit" : "gradient vanished";
        break;
      }
      recompute = false;
    }
    Eigen::MatrixXd M = A;
    for (int j = 0; j < k; ++j) M(j, j) += lambda * std::max(scale[j], 1e-300);
    Eigen::LDLT<Eigen::MatrixXd> ldlt(M);
    Eigen::VectorXd delta = ldlt.solve(-g);
    if (ldlt.info() != Eigen::Success || !delta.allFinite()) {
      lambda *= nu, nu *= 2;
      if (lambda > 1e20) {
        out.reason = "the damped normal equations are singular";
        break;
      }
      continue;
    }
    std::vector<double> pNew = p;
    for (int j = 0; j < k; ++j) pNew[size_t(j)] += delta[j];
    ++out.evaluations;
    bool ok = residuals(pNew, rNew) && rNew.allFinite();
    double costNew = ok ? rNew.squaredNorm() : INFINITY;
    double predicted = -(2 * delta.dot(g) + delta.dot(A * delta));
    if (ok && costNew < cost) {
      double rho = predicted > 0 ? (cost - costNew) / predicted : 1.0;
      double relCost = (cost - costNew) / cost;
      double relStep = 0;
      for (int j = 0; j < k; ++j)
        relStep = std::max(relStep, std::abs(delta[j]) / (std::abs(p[size_t(j)]) + 1e-30));
      p = std::move(pNew);
      r = rNew;
      cost = costNew;
      lambda *= std::max(1.0 / 3.0, 1.0 - std::pow(2 * rho - 1, 3));
      nu = 2;
      recompute = true;
      if (relStep <= options.xtol || relCost <= options.ftol) {
        ++iteration;
        out.converged = true;
        out.reason = relStep <= options.xtol ? "parameters settled" : "cost settled";
        numericJacobian(residuals, p, n, J, &out.evaluations);
        break;
      }
    } else {
      lambda *= nu, nu *= 2;
      if (lambda > 1e20) {
        // No downhill step exists at any damping: a (local) minimum.
        out.converged = true;
        out.reason = "no further descent";
        break;
      }
    }
  }
  if (iteration >= options.maxIterations && !out.converged)
    out.reason = "no convergence in " + std::to_string(options.maxIterations) + " iterations";
  out.params = p;
  out.cost = cost;
  out.iterations = iteration;
  out.jacobian = J;
  return out;
}

}  // namespace qid::laws
