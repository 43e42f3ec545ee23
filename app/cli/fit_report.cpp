#include "fit_report.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "laws/fit_result_json.h"
#include "number_list.h"

namespace qid::cli {

using namespace qid::laws;

namespace {
std::string line(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string line(const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return std::string(buf) + "\n";
}
const char* spaceUnit(ResidualSpace s) {
  return s == ResidualSpace::Log ? "log" : s == ResidualSpace::Linear ? "abs" : "rel";
}
}  // namespace

std::string fitReportText(const FitResult& fit, const std::string& data, std::uint64_t seed) {
  const Law& law = fit.law;
  std::string out;
  out += line("fit of %s (%s) to %s: %d points", law.family->name().c_str(),
              law.family->formula().c_str(), data.c_str(), fit.points);
  std::string huber;
  if (fit.huberDelta) huber.append(", Huber delta ").append(formatNumber(*fit.huberDelta, 4));
  if (!fit.weighting.empty()) huber.append(", weighted by ").append(fit.weighting);
  out += line("method: %s, %s residuals%s; %s", fit.method.c_str(), toString(fit.space).c_str(),
              huber.c_str(), fit.message.c_str());
  bool ci = law.ci.size() == law.params.size();
  out += line("  %-10s %14s %12s %s", "param", "value", "stderr",
              ci ? (formatNumber(law.ciLevel * 100, 3) + "% bootstrap CI").c_str() : "");
  auto names = law.paramNames();
  for (size_t i = 0; i < names.size(); ++i) {
    std::string c;
    if (ci && law.ci[i])
      c.append("[").append(formatNumber(law.ci[i]->lo, 5)).append(", ").append(formatNumber(law.ci[i]->hi, 5)).append("]");
    out += line("  %-10s %14s %12s %s", names[i].c_str(), formatNumber(law.params[i], 6).c_str(),
                i < law.stderrs.size() ? formatNumber(law.stderrs[i], 3).c_str() : "n/a", c.c_str());
  }
  out += line("RSS %s   R^2(log) %s   AIC %s   BIC %s", formatNumber(fit.rss, 5).c_str(),
              fit.r2Log ? formatNumber(*fit.r2Log, 5).c_str() : "n/a", formatNumber(fit.aic, 5).c_str(),
              formatNumber(fit.bic, 5).c_str());
  const auto& ms = fit.multiStart;
  if (ms.starts > 1)
    out += line("multi-start: %d starts, %d converged, %d reached the best cost %s", ms.starts,
                ms.converged, ms.agreeing, formatNumber(ms.bestCost, 6).c_str());
  else
    out += line("multi-start: not needed (%s)", fit.method.c_str());
  if (fit.cv.done)
    out += line("cross-validation: %s, RMS held-out %s error %s", fit.cv.note.c_str(),
                spaceUnit(fit.space), formatNumber(fit.cv.rmsError, 4).c_str());
  else
    out += line("cross-validation: not done (%s)", fit.cv.note.c_str());
  const auto& bt = fit.backtest;
  if (bt.done)
    out += line("backtest: fitted on the %d points below N=%s, predicted its %d points: RMS %s error %s, "
                "mean |relative error| %s%%",
                bt.trainPoints, formatNumber(bt.heldOutN, 4).c_str(), bt.testPoints, spaceUnit(fit.space),
                formatNumber(bt.rmsError, 4).c_str(), formatNumber(bt.meanAbsRelError * 100, 3).c_str());
  else
    out += line("backtest: not done (%s)", bt.note.c_str());
  if (fit.bootstrapRequested > 0) {
    out += line("bootstrap: %d resamples, seed %llu, %d failed%s", fit.bootstrapRequested,
                (unsigned long long)seed, fit.bootstrapFailed,
                ci ? "" : " (too many failures: no CIs)");
  }
  return out;
}

nlohmann::json fitReportJson(const FitResult& fit, const std::string& data, std::uint64_t seed) {
  nlohmann::json j = fitResultToJson(fit);
  j["data"] = data;
  j["bootstrap"]["seed"] = seed;
  return j;
}

}  // namespace qid::cli
