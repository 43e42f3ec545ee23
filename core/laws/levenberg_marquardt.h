#pragma once
// Levenberg-Marquardt for nonlinear least squares, min sum r_i(p)^2, with
// Moré's parameter scaling (the damping uses the running maximum of
// diag(J^T J), which makes the method invariant to the units of each
// parameter) and Nielsen's damping update. Jacobians are central differences
// with steps relative to each parameter.
#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace qid::laws {

// Fills r (size n) at parameters p; returns false when p is outside the
// model's domain (the step is then rejected).
using ResidualFn = std::function<bool(const std::vector<double>& p, Eigen::VectorXd& r)>;

struct LmOptions {
  int maxIterations = 500;
  double xtol = 1e-10;  // relative parameter change that counts as converged
  double ftol = 1e-14;  // relative cost change that counts as converged
  double gtol = 1e-12;  // scaled gradient norm that counts as converged
};

struct LmResult {
  std::vector<double> params;
  double cost = 0;  // sum of squared residuals
  int iterations = 0;
  int evaluations = 0;
  bool converged = false;
  std::string reason;     // why it stopped
  Eigen::MatrixXd jacobian;  // at params
};

LmResult levenbergMarquardt(const ResidualFn& residuals, int n, std::vector<double> start,
                            const LmOptions& options = {});

// Central-difference Jacobian of the residuals at p (n x k). Returns false
// when a perturbed point is outside the domain.
bool numericJacobian(const ResidualFn& residuals, const std::vector<double>& p, int n,
                     Eigen::MatrixXd& jacobian, int* evaluations = nullptr);

}  // namespace qid::laws
