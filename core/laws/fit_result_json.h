#pragma once
// A FitResult as JSON: the machine-readable fit report (`fit --json`), also
// what the GUI and the project store keep.
#include <nlohmann/json.hpp>

#include "laws/law_fit.h"

namespace qid::laws {

// Keys: family, law (the law JSON without bootstrap samples), converged,
// message, method, space, huber_delta, weighting, points, params, stderr, ci, ci_level,
// rss, objective, r2_log, aic, bic, multistart, cv, backtest, bootstrap.
// Non-finite numbers become null.
nlohmann::json fitResultToJson(const FitResult& fit);

}  // namespace qid::laws
