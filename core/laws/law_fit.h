#pragma once
// Fitting a law family to points.
//
// - Log-linear families (the power laws, Kumar) with plain least squares in
//   log space are solved exactly (QR of the design matrix).
// - Everything else (other residual spaces, Huber loss, the 16-bit loss
//   laws, user formulas) uses Levenberg-Marquardt (levenberg_marquardt.h),
//   from a grid of starts with a convergence report.
// Every fit reports standard errors, RSS, R^2 in log space, AIC, BIC,
// leave-one-size-out cross-validation, a backtest on the largest size and,
// on request, bootstrap confidence intervals. The fitted Law keeps the
// unrounded parameters, the bootstrap samples and the fitted data range.
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "laws/law.h"
#include "laws/law_data.h"

namespace qid::laws {

struct FitOptions {
  ResidualSpace space = ResidualSpace::Log;
  // Huber loss on the residuals with this delta (in the residual space:
  // log units for log fits); nullopt for least squares.
  std::optional<double> huberDelta;
  // Starting parameters (follow paramNames()); empty: the family's guess
  // (or the exact log-space solution where there is one).
  std::vector<double> start;
  // Multi-start: at most this many starts from a grid around the start
  // (each parameter x 0.1, 1, 10 for scales, +-0.5 relative for exponents).
  int maxStarts = 27;
  int bootstrap = 0;            // resamples; 0 = none
  std::uint64_t seed = 20250;   // bootstrap seed (deterministic)
  double ciLevel = 0.95;
  // Weighted least squares by each point's uncertainty (see
  // BindOptions::weightByUncertainty; the table overload passes it on).
  bool weightByUncertainty = false;
  bool crossValidate = true;    // leave-one-size-out CV
  bool backtest = true;         // fit on smaller sizes, predict the largest
  int maxIterations = 500;
  ProgressFn progress;
};

struct MultiStartReport {
  int starts = 0;       // starts tried
  int converged = 0;    // of which converged
  int agreeing = 0;     // converged to the best cost (within 1e-6 relative)
  double bestCost = 0;  // best objective
  double worstConvergedCost = 0;
};

struct CrossValidation {
  bool done = false;
  std::string note;     // why not done, or what was done
  int groups = 0;       // sizes held out in turn
  double rmsError = 0;  // RMS held-out residual, in the fit's residual space
};

struct Backtest {
  bool done = false;
  std::string note;
  double heldOutN = 0;       // the largest size, predicted from the others
  int trainPoints = 0;
  int testPoints = 0;
  double rmsError = 0;       // RMS residual on the held-out size (fit space)
  double meanAbsRelError = 0;  // mean |f/y - 1| on the held-out size
};

struct FitResult {
  Law law;                  // the fitted law (params unrounded, stderrs, ci, samples, range)
  bool converged = false;
  std::string message;      // how it stopped; the reason when it failed
  std::string method;       // "log-space least squares (exact)", "Levenberg-Marquardt", ...
  ResidualSpace space = ResidualSpace::Log;
  std::optional<double> huberDelta;
  std::string weighting;    // where the point weights came from ("" = unweighted)
  int points = 0;
  int iterations = 0;
  double rss = 0;           // sum of squared residuals in the fit's space
  double objective = 0;     // what was minimised (rss, or 2x the Huber loss)
  std::optional<double> r2Log;  // R^2 of ln y on ln f
  double aic = 0;
  double bic = 0;
  MultiStartReport multiStart;
  CrossValidation cv;
  Backtest backtest;
  int bootstrapRequested = 0;
  int bootstrapFailed = 0;  // resamples whose fit failed (left out of the CIs)
};

// Fits a family to bound points. Throws qid::Error for bad input (fewer
// points than parameters, a start of the wrong size); a fit that does not
// converge comes back with converged = false and a message, never with NaN
// parameters presented as an answer.
FitResult fitLaw(const FamilyPtr& family, const FitData& data, const FitOptions& options = {});

// Convenience for tables (the seam the project store uses): binds the
// family's columns (see BindOptions) and fits.
FitResult fitLaw(const FamilyPtr& family, const DataTable& table, const FitOptions& options = {},
                 const BindOptions& bind = {});

// Residual of one point in a space: ln y - ln f, y - f or (f - y)/y.
double residual(ResidualSpace space, double y, double f);

}  // namespace qid::laws
