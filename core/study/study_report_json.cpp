#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <set>
#include <sstream>

#include "analysis/rank_correlation.h"
#include "common/version.h"
#include "study/study_report.h"
#include "train/checkpoint_meta.h"

namespace qid::study {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json optNumber(const std::optional<double>& v) { return v ? number(*v) : json(nullptr); }

std::string fmt(double v, int digits = 4) {
  if (!std::isfinite(v)) return "n/a";
  std::ostringstream s;
  s.precision(digits);
  s << v;
  return s.str();
}

std::string nowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Chinchilla's compute-optimal budget is about 20 tokens per parameter.
constexpr double kOptimalTokensPerParam = 20.0;

std::string regimeOf(double tokensPerParam) {
  if (tokensPerParam >= 3 * kOptimalTokensPerParam) return "clearly over-trained";
  if (tokensPerParam > kOptimalTokensPerParam) return "over-trained";
  if (tokensPerParam * 3 <= kOptimalTokensPerParam) return "clearly under-trained";
  return "under-trained";
}

json suiteJson(const StudyReportInput& in) {
  json sizes = json::array();
  for (const auto& run : in.suite.runs) {
    if (run.result.checkpoints.empty()) continue;
    const auto& last = run.result.checkpoints.back().meta;
    const double N = static_cast<double>(last.nonEmbeddingParams);
    const double D = static_cast<double>(last.tokensSeen);
    const double tpp = N > 0 ? D / N : std::nan("");
    sizes.push_back({{"name", last.run},
                     {"layers", run.size.layers},
                     {"hidden", run.size.hidden},
                     {"heads", run.size.heads},
                     {"bitnet", run.bitnet},
                     {"N", N},
                     {"N_total", static_cast<double>(last.totalParams)},
                     {"D", D},
                     {"tokens_per_param", number(tpp)},
                     {"regime", std::isfinite(tpp) ? regimeOf(tpp) : "unknown"},
                     {"checkpoints", run.result.checkpoints.size()},
                     {"final_train_loss", number(last.trainLoss)},
                     {"final_eval_loss", number(last.evalLoss)},
                     {"train_seconds", run.result.seconds}});
  }
  return {{"name", in.plan.name},
          {"description", in.plan.description},
          {"dir", in.suite.dir.string()},
          {"corpus", in.suiteInfo.value("corpus", "")},
          {"train_tokens", in.suite.trainTokens},
          {"eval_tokens", in.suite.evalTokens},
          {"total_steps", in.plan.totalSteps},
          {"tokens_per_step", in.plan.tokensPerStep()},
          {"seq_len", in.plan.seqLen},
          {"schedule", train::scheduleKindName(in.plan.scheduleKind)},
          {"peak_lr", in.plan.peakLr},
          {"min_lr", in.plan.minLr},
          {"optimal_tokens_per_param", kOptimalTokensPerParam},
          {"sizes", sizes}};
}

json measurementsJson(const std::vector<store::Measurement>& ms) {
  json out = json::array();
  for (const auto& m : ms)
    out.push_back({{"model", m.modelId},
                   {"N", optNumber(m.N)},
                   {"step", m.step ? json(*m.step) : json(nullptr)},
                   {"D", optNumber(m.D)},
                   {"lr", optNumber(m.lr)},
                   {"method", m.method},
                   {"bits", m.bits},
                   {"group", m.groupSize ? json(*m.groupSize) : json(nullptr)},
                   {"loss16", optNumber(m.loss16)},
                   {"lossq", optNumber(m.lossq)},
                   {"delta_q_loss", number(m.delta)},
                   {"stderr", optNumber(m.stderr_)},
                   {"checkpoint_id", m.checkpointId}});
  return out;
}

json fluctuationJson(const StudyReportInput& in) {
  json cks = json::array();
  for (const auto& c : in.fluctuation.checkpoints) {
    json ratios = json::object(), push = json::object();
    for (const auto& b : c.bits) {
      ratios[std::to_string(b.bits)] = number(b.ratio);
      push[std::to_string(b.bits)] = number(b.push.median);
    }
    cks.push_back({{"run", c.run},
                   {"step", c.step},
                   {"prev_step", c.prevStep},
                   {"D", c.D},
                   {"lr", c.learningRate},
                   {"N", c.N},
                   {"movement_median", number(c.movement.median)},
                   {"movement", analysis::toJson(c.movement)},
                   {"push_median", push},
                   {"ratio", ratios},
                   {"checkpoint_id", c.checkpointId}});
  }
  // Spearman of ΔqLoss against the ratio, per method and bit width, and per method over all bits.
  std::map<std::pair<std::string, int>, std::pair<std::vector<double>, std::vector<double>>> groups;
  for (const auto& p : in.fluctuationPoints) {
    if (!std::isfinite(p.fluctuation.ratio)) continue;
    for (int bits : {p.measurement.bits, 0}) {
      auto& g = groups[{p.measurement.method, bits}];
      g.first.push_back(p.fluctuation.ratio);
      g.second.push_back(p.measurement.delta);
    }
  }
  json corr = json::array();
  for (const auto& [key, g] : groups)
    corr.push_back({{"method", key.first},
                    {"bits", key.second ? json(key.second) : json("all")},
                    {"points", g.first.size()},
                    {"spearman", number(analysis::spearman(g.first, g.second))}});
  return {{"method", in.fluctuation.method},
          {"group_size", in.fluctuation.groupSize},
          {"bits", in.fluctuation.bits},
          {"ratio_definition", "median |Q(W_t) - W_t| / median |W_t - W_prev| over every block Linear"},
          {"checkpoints", cks},
          {"correlation_with_delta_q_loss", corr}};
}

json bitnetJson(const StudyReportInput& in) {
  json out = json::array();
  std::map<std::string, const train::SuiteRun*> plain;
  for (const auto& r : in.suite.runs)
    if (!r.bitnet) plain[r.size.name] = &r;
  for (const auto& r : in.suite.runs) {
    if (!r.bitnet || !plain.count(r.size.name)) continue;
    const auto& a = plain[r.size.name]->result.checkpoints;
    const auto& b = r.result.checkpoints;
    json rows = json::array();
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
      rows.push_back({{"step", a[i].meta.step},
                      {"D", a[i].meta.tokensSeen},
                      {"eval_loss_16bit", number(a[i].meta.evalLoss)},
                      {"eval_loss_bitnet", number(b[i].meta.evalLoss)}});
    out.push_back({{"size", r.size.name}, {"checkpoints", rows}});
  }
  return out;
}

}  // namespace

json trendVerdict(const LawFit* unified, const std::string& param, const std::string& what) {
  json j{{"param", param}, {"seen", false}};
  double paper = std::nan("");
  try {
    paper = laws::loadLaw("ouyang2025-unified").param(param).value_or(std::nan(""));
  } catch (const Error&) {
  }
  j["paper"] = number(paper);
  if (!unified || !unified->fit || !unified->error.empty()) {
    j["value"] = nullptr;
    j["ci"] = nullptr;
    j["statement"] = "The unified law could not be fitted (" + (unified ? unified->error : std::string("no fit")) +
                     "), so the trend with " + what + " is not known.";
    return j;
  }
  const laws::Law& law = unified->fit->law;
  const double v = law.param(param).value_or(std::nan(""));
  std::optional<laws::Interval> ci;
  const auto names = law.paramNames();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == param && i < law.ci.size()) ci = law.ci[i];
  j["value"] = number(v);
  j["ci"] = ci ? json::array({number(ci->lo), number(ci->hi)}) : json(nullptr);
  const bool positive = std::isfinite(v) && v > 0;
  const bool ciAbove = ci && std::isfinite(ci->lo) && ci->lo > 0;
  j["seen"] = positive && ciAbove;
  const std::string sym = param == "beta" ? "β" : param == "alpha" ? "α" : param;
  const std::string dir = param == "beta" ? "rises with training tokens" : "falls with model size";
  std::string ciText = ci ? ", 95% CI [" + fmt(ci->lo) + ", " + fmt(ci->hi) + "]" : " (no bootstrap CI)";
  std::string paperText = " (paper: " + fmt(paper) + ")";
  if (positive && ciAbove)
    j["statement"] = "ΔqLoss " + dir + ": " + sym + " = " + fmt(v) + ciText + paperText + ".";
  else if (positive)
    j["statement"] = "The trend with " + what + " is NOT established: " + sym + " = " + fmt(v) + ciText +
                     (ci ? " spans 0" : "") + paperText + ".";
  else
    j["statement"] = "The trend with " + what + " did NOT appear: " + sym + " = " + fmt(v) + ciText + paperText +
                     " (ΔqLoss does not " + (param == "beta" ? "rise with tokens" : "fall with size") +
                     " at this scale).";
  return j;
}

json studyReportJson(const StudyReportInput& in) {
  json j;
  j["tool"] = "qidlab-cli reproduce";
  j["version"] = toolVersion();
  j["created"] = nowUtc();
  j["command"] = in.command;
  j["out_dir"] = in.outDir.string();
  j["project"] = in.projectFile.string();
  j["laws_dir"] = in.lawsDir.string();
  j["settings"] = toJson(in.settings);
  j["suite"] = suiteJson(in);
  json failures = json::array();
  for (const auto& [label, error] : in.sweep.failures) failures.push_back({{"cell", label}, {"error", error}});
  json bits = json::object();
  for (const auto& m : in.settings.methodNames()) bits[m] = in.settings.bitsOf(m);
  j["sweep"] = {{"plan", in.sweepName},
                {"cells", in.sweepCells},
                {"measured", in.measurements.size()},
                {"already_done", in.sweep.alreadyDone},
                {"recovered", in.sweep.recovered},
                {"finished_now", in.sweep.finished},
                {"failed", in.sweep.failed},
                {"not_run", in.sweep.notRun},
                {"stopped", in.sweep.stopped},
                {"methods", bits},
                {"failures", failures}};
  j["measurements"] = measurementsJson(in.measurements);
  const json fits = toJson(in.fits);
  j["fit"] = {{"method", fits["method"]}, {"min_step", fits["min_step"]}, {"bootstrap", fits["bootstrap"]},
              {"seed", fits["seed"]}};
  j["laws"] = fits["laws"];
  j["unified_by_method"] = fits["unified_by_method"];
  j["tokens_slices"] = fits["tokens_slices"];
  const LawFit* unified = in.fits.find("unified");
  j["trend"] = {{"tokens", trendVerdict(unified, "beta", "training tokens")},
                {"size", trendVerdict(unified, "alpha", "model size")}};
  j["fluctuation"] = fluctuationJson(in);
  j["bitnet"] = bitnetJson(in);
  json charts = json::array();
  for (const auto& c : in.charts)
    charts.push_back({{"chart", c.job.chart}, {"file", c.job.out.string()}, {"ok", c.ok},
                      {"error", c.error.empty() ? json(nullptr) : json(c.error)}});
  j["charts"] = {{"files", charts}, {"note", in.chartsNote}};
  json phases = json::array();
  double total = 0;
  for (const auto& [name, secs] : in.phases) {
    phases.push_back({{"phase", name}, {"seconds", secs}});
    total += secs;
  }
  j["phases"] = phases;
  j["total_seconds"] = total;
  return j;
}

}  // namespace qid::study
