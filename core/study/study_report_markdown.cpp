#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "study/study_report.h"

namespace qid::study {

using nlohmann::json;

namespace {

std::string num(const json& v, int digits = 4) {
  if (!v.is_number()) return "n/a";
  const double d = v.get<double>();
  if (!std::isfinite(d)) return "n/a";
  std::ostringstream s;
  s.precision(digits);
  s << d;
  return s.str();
}

std::string ciText(const json& ci) {
  if (!ci.is_array() || ci.size() != 2) return "n/a";
  std::string s = "[";  // appended piecewise: GCC 12 warns falsely about "literal" + string (bug 105651)
  s.append(num(ci[0])).append(", ").append(num(ci[1])).append("]");
  return s;
}

std::string symbol(const std::string& p) {
  static const std::map<std::string, std::string> s{{"beta", "β"}, {"alpha", "α"}, {"gamma", "γ"}};
  const std::size_t us = p.find('_');
  auto it = s.find(p.substr(0, us));
  if (it == s.end()) return p;
  return it->second + (us == std::string::npos ? "" : p.substr(us));
}

}  // namespace

std::vector<std::string> paramDisplayOrder(const json& params) {
  // The prefactor first, then the tokens, size and bits exponents, grouped by bit width (per-bit law).
  static const std::map<std::string, int> rank{{"k", 0}, {"C", 0}, {"beta", 1}, {"gD", 1}, {"alpha", 2},
                                               {"gN", 2}, {"gamma", 3}, {"gpost", 3}};
  std::vector<std::pair<std::pair<int, int>, std::string>> keyed;
  for (const auto& [name, v] : params.items()) {
    const std::size_t us = name.find('_');
    const auto it = rank.find(name.substr(0, us));
    const int group = us == std::string::npos ? 0 : std::atoi(name.c_str() + us + 1);
    keyed.push_back({{group, it == rank.end() ? 9 : it->second}, name});
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> out;
  for (const auto& k : keyed) out.push_back(k.second);
  return out;
}

namespace {

void lawTable(std::ostringstream& o, const json& laws) {
  o << "| law | formula | param | fitted | 95% CI | paper | points |\n|---|---|---|---|---|---|---|\n";
  for (const char* key : {"tokens", "size", "bits", "unified", "perbit", "kumar2024"}) {
    if (!laws.contains(key)) continue;
    const json& l = laws[key];
    std::string formula = "`";
    formula.append(l.value("formula", std::string())).append("`");
    const std::string points = std::to_string(l["fitted_on"].value("points_used", 0));
    if (!l["error"].is_null() || !l.contains("params")) {
      o << "| " << key << " | " << formula << " | | not fitted: " << l["error"].get<std::string>() << " | | | "
        << points << " |\n";
      continue;
    }
    bool first = true;
    for (const auto& name : paramDisplayOrder(l["params"])) {
      const json& value = l["params"][name];
      const json ci = l.contains("ci") && l["ci"].contains(name) ? l["ci"][name] : json(nullptr);
      json paper = l["paper"].is_object() ? l["paper"]["params"].value(name, json(nullptr)) : json(nullptr);
      o << "| " << (first ? key : "") << " | " << (first ? formula : "") << " | " << symbol(name) << " | "
        << num(value) << " | " << ciText(ci) << " | " << num(paper) << " | " << (first ? points : "") << " |\n";
      first = false;
    }
  }
}

}  // namespace

std::string studyReportMarkdown(const json& r) {
  std::ostringstream o;
  const json& suite = r["suite"];
  o << "# QiD Lab micro-suite study: " << suite.value("name", "") << "\n\n";
  o << "Quantization-induced degradation (ΔqLoss = Loss_q − Loss_16bit, nats per token) of a micro-suite "
       "trained by QiD Lab, with the laws of Ouyang et al. 2025 (\"Low-Bit Quantization Favors Undertrained "
       "LLMs\") fitted to it. Made by `"
    << r.value("command", "qidlab-cli reproduce") << "` (QiD Lab " << r.value("version", "") << ", "
    << r.value("created", "") << ").\n\n";

  o << "## Verdict\n\n";
  for (const char* k : {"tokens", "size"}) o << "- " << r["trend"][k].value("statement", "") << "\n";
  const json& sw = r["sweep"];
  if (sw.value("stopped", false) || sw.value("failed", 0) > 0 || sw.value("not_run", 0) > 0)
    o << "- The sweep is incomplete (" << sw.value("failed", 0) << " failed, " << sw.value("not_run", 0)
      << " not run): rerun the same command to finish it.\n";
  o << "\nThe exponents come from the unified law fitted on the " << r["fit"].value("method", "")
    << " measurements with " << r["fit"].value("bootstrap", 0)
    << " bootstrap resamples. A trend counts as seen only when its 95% CI lies above 0.\n\n";

  o << "## The suite\n\n" << suite.value("description", "") << "\n\n";
  o << "Corpus: " << suite.value("corpus", "") << " (" << suite.value("train_tokens", 0) << " training tokens, "
    << suite.value("eval_tokens", 0) << " held-out tokens). " << suite.value("total_steps", 0) << " steps of "
    << suite.value("tokens_per_step", 0) << " tokens, " << suite.value("schedule", "") << " schedule, peak LR "
    << num(suite["peak_lr"]) << ". Compute-optimal is about " << num(suite["optimal_tokens_per_param"])
    << " tokens per parameter (Chinchilla).\n\n";
  o << "| model | layers × hidden × heads | N (non-embedding) | final D | D/N | regime | checkpoints | eval loss |\n"
       "|---|---|---|---|---|---|---|---|\n";
  for (const auto& s : suite["sizes"])
    o << "| " << s.value("name", "") << " | " << s.value("layers", 0) << " × " << s.value("hidden", 0) << " × "
      << s.value("heads", 0) << " | " << num(s["N"], 6) << " | " << num(s["D"], 6) << " | "
      << num(s["tokens_per_param"], 3) << " | " << s.value("regime", "") << " | " << s.value("checkpoints", 0)
      << " | " << num(s["final_eval_loss"]) << " |\n";

  o << "\n## Fitted laws next to the paper's constants\n\n";
  lawTable(o, r["laws"]);
  o << "\nPer-factor laws pool every size, checkpoint and bit width of the method; in this balanced design the "
       "pooled exponent equals a fit with one intercept per group, but the prefactor k is an average. Points with "
       "D = 0, a step below " << r["fit"].value("min_step", 0)
    << " or ΔqLoss <= 0 are left out (a log-space fit cannot take them):\n\n";
  for (const auto& [key, l] : r["laws"].items()) {
    const json& f = l["fitted_on"];
    o << "- " << key << ": " << f.value("points_used", 0) << " of " << f.value("points_available", 0)
      << " points (" << f.value("dropped_early", 0) << " early, " << f.value("dropped_non_positive", 0)
      << " with ΔqLoss <= 0)\n";
  }

  o << "\n### The unified law for each method\n\n| method | k | β | α | γ | points |\n|---|---|---|---|---|---|\n";
  for (const auto& [method, l] : r["unified_by_method"].items()) {
    if (!l["error"].is_null() || !l.contains("params")) {
      o << "| " << method << " | not fitted: " << l["error"].get<std::string>() << " | | | | |\n";
      continue;
    }
    auto cell = [&](const char* p) {
      const json ci = l.contains("ci") && l["ci"].contains(p) ? l["ci"][p] : json(nullptr);
      return num(l["params"][p]) + " " + ciText(ci);
    };
    o << "| " << method << " | " << num(l["params"]["k"]) << " | " << cell("beta") << " | " << cell("alpha")
      << " | " << cell("gamma") << " | " << l["fitted_on"].value("points_used", 0) << " |\n";
  }

  o << "\n### The tokens exponent of each size and bit width (" << r["fit"].value("method", "") << ")\n\n"
    << "| model | N | bits | points | β | 95% CI |\n|---|---|---|---|---|---|\n";
  for (const auto& t : r["tokens_slices"])
    o << "| " << t.value("model", "") << " | " << num(t["N"], 6) << " | " << t.value("bits", 0) << " | "
      << t.value("points", 0) << " | "
      << (t["error"].is_null() ? num(t["beta"]) : "not fitted: " + t["error"].get<std::string>()) << " | "
      << ciText(t["ci"]) << " |\n";

  // ΔqLoss by checkpoint for the fit method.
  const std::string fm = r["fit"].value("method", "");
  std::set<int> bitsSet;
  std::map<std::tuple<double, std::string, std::int64_t>, std::map<int, double>> grid;
  std::map<std::tuple<double, std::string, std::int64_t>, double> dOf;
  for (const auto& m : r["measurements"]) {
    if (m.value("method", "") != fm || !m["step"].is_number()) continue;
    const int b = m.value("bits", 0);
    bitsSet.insert(b);
    const auto key = std::make_tuple(num(m["N"]) == "n/a" ? 0.0 : m["N"].get<double>(), m.value("model", ""),
                                     m["step"].get<std::int64_t>());
    grid[key][b] = m["delta_q_loss"].is_number() ? m["delta_q_loss"].get<double>() : std::nan("");
    dOf[key] = m["D"].is_number() ? m["D"].get<double>() : std::nan("");
  }
  if (!grid.empty()) {
    o << "\n## ΔqLoss at every checkpoint (" << fm << ")\n\n| model | step | D |";
    for (int b : bitsSet) o << " " << b << "-bit |";
    o << "\n|---|---|---|";
    for (std::size_t i = 0; i < bitsSet.size(); ++i) o << "---|";
    o << "\n";
    for (const auto& [key, row] : grid) {
      o << "| " << std::get<1>(key) << " | " << std::get<2>(key) << " | " << num(json(dOf[key]), 6) << " |";
      for (int b : bitsSet) o << " " << (row.count(b) ? num(json(row.at(b))) : "") << " |";
      o << "\n";
    }
  }

  const json& fl = r["fluctuation"];
  o << "\n## Weight fluctuation (Figure 12)\n\nBetween adjacent checkpoints: the median training movement "
       "|W_t − W_prev| and the ratio median |Q(W_t) − W_t| / median |W_t − W_prev| ("
    << fl.value("method", "") << "). The paper's mechanism: QiD is large when the quantization push exceeds the "
       "recent training movement.\n\n| model | step | D | median movement |";
  for (const auto& b : fl["bits"]) o << " ratio " << b.get<int>() << "-bit |";
  o << "\n|---|---|---|---|";
  for (std::size_t i = 0; i < fl["bits"].size(); ++i) o << "---|";
  o << "\n";
  for (const auto& c : fl["checkpoints"]) {
    o << "| " << c.value("run", "") << " | " << c.value("step", 0) << " | " << num(c["D"], 6) << " | "
      << num(c["movement_median"]) << " |";
    for (const auto& b : fl["bits"]) o << " " << num(c["ratio"].value(std::to_string(b.get<int>()), json(nullptr))) << " |";
    o << "\n";
  }
  o << "\nSpearman's rank correlation of ΔqLoss with the ratio (same checkpoint, same bit width):\n\n"
       "| method | bits | points | Spearman ρ |\n|---|---|---|---|\n";
  for (const auto& c : fl["correlation_with_delta_q_loss"])
    o << "| " << c.value("method", "") << " | " << (c["bits"].is_string() ? c["bits"].get<std::string>() : std::to_string(c["bits"].get<int>()))
      << " | " << c.value("points", 0) << " | " << num(c["spearman"], 3) << " |\n";

  if (!r["bitnet"].empty()) {
    o << "\n## BitNet b1.58 twins (Figure 14)\n\n| model | step | D | eval loss 16-bit | eval loss BitNet |\n"
         "|---|---|---|---|---|\n";
    for (const auto& b : r["bitnet"])
      for (const auto& c : b["checkpoints"])
        o << "| " << b.value("size", "") << " | " << c.value("step", 0) << " | " << c.value("D", 0) << " | "
          << num(c["eval_loss_16bit"]) << " | " << num(c["eval_loss_bitnet"]) << " |\n";
  }

  o << "\n## Charts\n\n";
  bool any = false;
  for (const auto& c : r["charts"]["files"]) {
    any = true;
    if (c.value("ok", false)) o << "- " << c.value("chart", "") << ": `" << c.value("file", "") << "`\n";
    else o << "- " << c.value("chart", "") << ": failed (" << c["error"].get<std::string>() << ")\n";
  }
  if (!any) o << r["charts"].value("note", "") << "\n";

  o << "\n## Sweep\n\n" << sw.value("measured", 0) << " of " << sw.value("cells", 0) << " cells measured ("
    << sw.value("already_done", 0) << " were already done, " << sw.value("finished_now", 0) << " ran now, "
    << sw.value("failed", 0) << " failed). Methods and bits:";
  for (const auto& [m, bits] : sw["methods"].items()) o << " " << m << " " << bits.dump() << ";";
  o << "\n";
  for (const auto& f : sw["failures"]) o << "- failed: " << f.value("cell", "") << ": " << f.value("error", "") << "\n";

  o << "\n## Timing\n\n| phase | seconds |\n|---|---|\n";
  for (const auto& p : r["phases"]) o << "| " << p.value("phase", "") << " | " << num(p["seconds"], 4) << " |\n";
  o << "| total | " << num(r["total_seconds"], 4) << " |\n";
  o << "\n## Files\n\n- project: `" << r.value("project", "") << "`\n- fitted laws: `" << r.value("laws_dir", "")
    << "`\n- suite checkpoints: `" << suite.value("dir", "") << "`\n";
  return o.str();
}

}  // namespace qid::study
