#pragma once
// The numerical heart of law fitting, shared by the main fit, the
// cross-validation and backtest refits and the bootstrap: one family bound
// to one data set, solved on any re-weighting of its points (bootstrap
// multiplicities, or 0/1 masks for held-out sizes). Internal to core/laws.
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "laws/law_data.h"
#include "laws/law_fit.h"

namespace qid::laws {

struct SolveOutcome {
  std::vector<double> params;
  bool converged = false;
  std::string message;
  std::string method;
  int iterations = 0;
  double objective = 0;
  MultiStartReport multiStart;
};

class LawSolver {
 public:
  LawSolver(const LawFamily& family, const FitData& data, ResidualSpace space,
            std::optional<double> huberDelta, int maxIterations);

  // True when the fit is an exact log-space least-squares solve.
  bool exact() const { return exact_; }
  size_t points() const { return data_.y.size(); }

  // Fits on the points with counts[i] > 0, each counted counts[i] times
  // (empty counts: all points once). An empty start uses the exact
  // log-space solution when the family has one, else the family's guess.
  // maxStarts > 1 adds a grid of starts around the start.
  SolveOutcome solve(const std::vector<double>& counts, std::vector<double> start,
                     int maxStarts) const;

  // Residual of point i in the fit space (no Huber, no sigma weighting).
  double residualAt(size_t i, const double* params) const;
  // Sigma weight of point i (1/sigma^2 in the fit space; 1 without sigma).
  double weight(size_t i) const { return weights_[i]; }

 private:
  SolveOutcome solveExact(const std::vector<size_t>& active, const std::vector<double>& counts) const;
  SolveOutcome solveIterative(const std::vector<size_t>& active, const std::vector<double>& counts,
                              const std::vector<double>& start) const;

  const LawFamily& family_;
  const FitData& data_;
  ResidualSpace space_;
  std::optional<double> huber_;
  int maxIterations_;
  bool exact_ = false;
  int theta_ = 0;
  Eigen::MatrixXd design_;  // log-linear rows (exact path only)
  Eigen::VectorXd logY_;
  std::vector<double> weights_;
};

}  // namespace qid::laws
