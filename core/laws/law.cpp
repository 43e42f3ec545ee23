#include "laws/law.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "common/error.h"
#include "common/resources.h"
#include "laws/percentile.h"

namespace qid::laws {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fmt(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}
}  // namespace

std::vector<std::string> Law::paramNames() const {
  return family ? family->paramNames() : std::vector<std::string>{};
}

std::optional<double> Law::param(const std::string& pname) const {
  auto names = family->paramNames();
  for (size_t i = 0; i < names.size() && i < params.size(); ++i)
    if (names[i] == pname && !std::isnan(params[i])) return params[i];
  return std::nullopt;
}

bool Law::complete() const {
  if (!family || params.size() != family->paramNames().size()) return false;
  return std::none_of(params.begin(), params.end(), [](double v) { return std::isnan(v); });
}

std::vector<double> Law::orderVars(const Vars& vars) const {
  std::vector<double> out;
  for (const auto& v : family->variables()) {
    auto it = vars.find(v);
    if (it == vars.end() && v == "P") it = vars.find("bits");
    if (it == vars.end()) throw Error("law '" + name + "' needs variable " + v);
    out.push_back(it->second);
  }
  return out;
}

double Law::evaluate(const Vars& vars) const {
  if (!complete()) {
    auto names = family->paramNames();
    for (size_t i = 0; i < names.size(); ++i)
      if (i >= params.size() || std::isnan(params[i]))
        throw Error("law '" + name + "' does not state its parameter " + names[i] +
                    " (the source publishes only the exponents), so it cannot be evaluated");
  }
  auto x = orderVars(vars);
  double y = family->evaluate(params.data(), x.data());
  if (!std::isfinite(y)) {
    std::string at;
    for (const auto& [k, v] : vars) at += (at.empty() ? "" : ", ") + k + "=" + fmt(v);
    throw Error("law '" + name + "' has no finite value at " + at);
  }
  return y;
}

double Law::inverse(double target, const Vars& vars) const {
  const std::string var = family->inverseVariable();
  if (var.empty()) throw Error("law '" + name + "' has no variable to solve for");
  Vars v = vars;
  v[var] = 1.0;
  evaluate(v);  // validates the parameters and the other variables
  auto x = orderVars(v);
  auto names = family->variables();
  size_t slot = size_t(std::find(names.begin(), names.end(), var) - names.begin());
  std::string what = "law '" + name + "' cannot reach " + fmt(target);
  if (auto closed = family->inverseClosedForm(params.data(), x.data(), target)) {
    if (std::isfinite(*closed) && *closed > 0) return *closed;
    throw Error(what + " at any positive " + var);
  }
  // Bracketing root-find in log space over [1e-6, 1e30].
  auto g = [&](double logv) {
    x[slot] = std::exp(logv);
    return family->evaluate(params.data(), x.data()) - target;
  };
  double lo = std::log(1e-6), hi = std::log(1e30);
  const int steps = 144;
  double prevX = lo, prevG = g(lo);
  bool found = false;
  for (int i = 1; i <= steps && !found; ++i) {
    double cx = lo + (hi - lo) * i / steps, cg = g(cx);
    if (std::isfinite(prevG) && std::isfinite(cg) && (prevG == 0 || prevG * cg <= 0)) {
      lo = prevX, hi = cx, found = true;
      if (prevG == 0) return std::exp(prevX);
    }
    prevX = cx, prevG = cg;
  }
  if (!found) throw Error(what + " for " + var + " in [1e-6, 1e30]");
  double glo = g(lo);
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    double mid = 0.5 * (lo + hi), gm = g(mid);
    if ((gm <= 0) == (glo <= 0)) lo = mid, glo = gm;
    else hi = mid;
  }
  return std::exp(0.5 * (lo + hi));
}

std::optional<Interval> Law::predictionInterval(const Vars& vars, double level) const {
  if (samples.empty()) return std::nullopt;
  auto x = orderVars(vars);
  std::vector<double> ys;
  ys.reserve(samples.size());
  for (const auto& s : samples) {
    double y = family->evaluate(s.data(), x.data());
    if (std::isfinite(y)) ys.push_back(y);
  }
  if (ys.size() < 10) return std::nullopt;
  double a = (1 - level) / 2;
  return Interval{percentile(ys, a), percentile(ys, 1 - a)};
}

nlohmann::json Law::toJson() const {
  nlohmann::json j;
  j["name"] = name;
  j["family"] = family->name();
  if (!title.empty()) j["title"] = title;
  if (!citation.empty()) j["citation"] = citation;
  family->toJson(j);
  auto names = family->paramNames();
  nlohmann::json p = nlohmann::json::object();
  for (size_t i = 0; i < names.size(); ++i) {
    if (i < params.size() && !std::isnan(params[i])) p[names[i]] = params[i];
    else p[names[i]] = nullptr;
  }
  j["params"] = p;
  if (stderrs.size() == names.size()) {
    nlohmann::json s = nlohmann::json::object();
    for (size_t i = 0; i < names.size(); ++i)
      if (std::isfinite(stderrs[i])) s[names[i]] = stderrs[i];
    j["stderr"] = s;
  }
  if (ci.size() == names.size()) {
    nlohmann::json c = nlohmann::json::object();
    for (size_t i = 0; i < names.size(); ++i)
      if (ci[i]) c[names[i]] = {ci[i]->lo, ci[i]->hi};
    j["ci"] = c;
    j["ci_level"] = ciLevel;
  }
  if (!range.empty()) {
    nlohmann::json r = nlohmann::json::object();
    for (const auto& [k, iv] : range) r[k] = {iv.lo, iv.hi};
    j["range"] = r;
  }
  if (!loss16.empty()) j["loss16"] = loss16;
  if (!notes.empty()) j["notes"] = notes;
  if (!samples.empty()) j["samples"] = samples;
  return j;
}

Law Law::fromJson(const nlohmann::json& j, const std::string& where) {
  auto fail = [&](const std::string& what) { throw Error(where + ": " + what); };
  if (!j.is_object()) fail("a law must be a JSON object");
  if (!j.contains("family") || !j["family"].is_string()) fail("missing \"family\"");
  Law law;
  law.name = j.value("name", std::filesystem::path(where).stem().string());
  law.title = j.value("title", "");
  law.citation = j.value("citation", "");
  law.loss16 = j.value("loss16", "");
  law.notes = j.value("notes", "");
  try {
    law.family = makeFamily(j["family"].get<std::string>(), j);
  } catch (const Error& e) {
    fail(e.what());
  }
  auto names = law.family->paramNames();
  if (!j.contains("params") || !j["params"].is_object()) fail("missing \"params\" object");
  const auto& p = j["params"];
  for (const auto& [k, v] : p.items())
    if (std::find(names.begin(), names.end(), k) == names.end())
      fail("'" + k + "' is not a parameter of family " + law.family->name());
  for (const auto& n : names) {
    if (!p.contains(n)) fail("parameter '" + n + "' is missing (use null when unknown)");
    if (p[n].is_null()) law.params.push_back(kNaN);
    else if (p[n].is_number()) law.params.push_back(p[n].get<double>());
    else fail("parameter '" + n + "' must be a number or null");
  }
  if (j.contains("stderr") && j["stderr"].is_object()) {
    for (const auto& n : names) {
      const auto& s = j["stderr"];
      law.stderrs.push_back(s.contains(n) && s[n].is_number() ? s[n].get<double>() : kNaN);
    }
  }
  if (j.contains("ci") && j["ci"].is_object()) {
    for (const auto& n : names) {
      const auto& c = j["ci"];
      if (c.contains(n) && c[n].is_array() && c[n].size() == 2)
        law.ci.push_back(Interval{c[n][0].get<double>(), c[n][1].get<double>()});
      else law.ci.push_back(std::nullopt);
    }
    law.ciLevel = j.value("ci_level", 0.95);
  }
  if (j.contains("range") && j["range"].is_object()) {
    for (const auto& [k, v] : j["range"].items()) {
      if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
        fail("range of '" + k + "' must be [min, max]");
      law.range[canonicalVariable(k)] = Interval{v[0].get<double>(), v[1].get<double>()};
    }
  }
  if (j.contains("samples") && j["samples"].is_array()) {
    for (const auto& row : j["samples"]) {
      auto s = row.get<std::vector<double>>();
      if (s.size() != names.size()) fail("a bootstrap sample has the wrong number of parameters");
      law.samples.push_back(std::move(s));
    }
  }
  return law;
}

std::vector<std::string> presetNames() {
  std::vector<std::string> out;
  for (const auto& path : resources::list("presets/")) {
    std::string stem = std::filesystem::path(path).stem().string();
    out.push_back(stem);
  }
  return out;
}

Law loadLaw(const std::string& nameOrFile) {
  if (auto data = resources::find("presets/" + nameOrFile + ".json")) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(*data);
    } catch (const nlohmann::json::exception& e) {
      throw Error("preset " + nameOrFile + " is not valid JSON: " + e.what());
    }
    Law law = Law::fromJson(j, "preset " + nameOrFile);
    law.source = "preset";
    return law;
  }
  if (!std::filesystem::exists(nameOrFile)) {
    std::string known;
    for (const auto& n : presetNames()) known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown law '" + nameOrFile + "': not a preset (" + known + ") nor a file");
  }
  std::ifstream in(nameOrFile);
  if (!in) throw Error(nameOrFile + ": cannot open");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(nameOrFile + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  Law law = Law::fromJson(j, nameOrFile);
  law.source = nameOrFile;
  return law;
}

void saveLaw(const Law& law, const std::string& path) {
  std::ofstream out(path);
  if (!out) throw Error(path + ": cannot write");
  out << law.toJson().dump(2) << "\n";
  if (!out) throw Error(path + ": write failed");
}

}  // namespace qid::laws
