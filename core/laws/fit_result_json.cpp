#include "laws/fit_result_json.h"

#include <cmath>

namespace qid::laws {

namespace {
nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json fitResultToJson(const FitResult& fit) {
  nlohmann::json j;
  const Law& law = fit.law;
  auto names = law.paramNames();
  j["family"] = law.family->name();
  j["converged"] = fit.converged;
  j["message"] = fit.message;
  j["method"] = fit.method;
  j["space"] = toString(fit.space);
  j["huber_delta"] = fit.huberDelta ? num(*fit.huberDelta) : nlohmann::json(nullptr);
  j["weighting"] = fit.weighting.empty() ? nlohmann::json(nullptr) : nlohmann::json(fit.weighting);
  j["points"] = fit.points;
  j["iterations"] = fit.iterations;
  nlohmann::json params = nlohmann::json::object(), se = nlohmann::json::object();
  for (size_t i = 0; i < names.size(); ++i) {
    params[names[i]] = i < law.params.size() ? num(law.params[i]) : nlohmann::json(nullptr);
    se[names[i]] = i < law.stderrs.size() ? num(law.stderrs[i]) : nlohmann::json(nullptr);
  }
  j["params"] = params;
  j["stderr"] = se;
  if (law.ci.size() == names.size()) {
    nlohmann::json ci = nlohmann::json::object();
    for (size_t i = 0; i < names.size(); ++i)
      if (law.ci[i]) ci[names[i]] = {num(law.ci[i]->lo), num(law.ci[i]->hi)};
    j["ci"] = ci;
    j["ci_level"] = law.ciLevel;
  }
  j["rss"] = num(fit.rss);
  j["objective"] = num(fit.objective);
  j["r2_log"] = fit.r2Log ? num(*fit.r2Log) : nlohmann::json(nullptr);
  j["aic"] = num(fit.aic);
  j["bic"] = num(fit.bic);
  j["multistart"] = {{"starts", fit.multiStart.starts},
                     {"converged", fit.multiStart.converged},
                     {"agreeing", fit.multiStart.agreeing},
                     {"best_cost", num(fit.multiStart.bestCost)},
                     {"worst_converged_cost", num(fit.multiStart.worstConvergedCost)}};
  j["cv"] = {{"done", fit.cv.done},
             {"groups", fit.cv.groups},
             {"rms_error", fit.cv.done ? num(fit.cv.rmsError) : nlohmann::json(nullptr)},
             {"note", fit.cv.note}};
  const Backtest& bt = fit.backtest;
  j["backtest"] = {{"done", bt.done},
                   {"held_out_N", bt.done ? num(bt.heldOutN) : nlohmann::json(nullptr)},
                   {"train_points", bt.trainPoints},
                   {"test_points", bt.testPoints},
                   {"rms_error", bt.done ? num(bt.rmsError) : nlohmann::json(nullptr)},
                   {"mean_abs_rel_error", bt.done ? num(bt.meanAbsRelError) : nlohmann::json(nullptr)},
                   {"note", bt.note}};
  j["bootstrap"] = {{"resamples", fit.bootstrapRequested},
                    {"failed", fit.bootstrapFailed},
                    {"kept", law.samples.size()}};
  nlohmann::json lj = law.toJson();
  lj.erase("samples");
  j["law"] = lj;
  return j;
}

}  // namespace qid::laws
