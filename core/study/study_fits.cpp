#include "study/study_fits.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "common/error.h"
#include "laws/fit_result_json.h"
#include "laws/law_data.h"
#include "laws/law_family.h"

namespace qid::study {

using nlohmann::json;

namespace {

struct Selected {
  laws::DataTable table;
  PointSelection points;
};

Selected select(const std::vector<store::Measurement>& ms, const std::string& method, std::int64_t minStep,
                const std::string& model = "", int bits = 0) {
  Selected s;
  s.table.source = "project (" + method + ")";
  for (const auto& m : ms) {
    if (m.method != method) continue;
    if (!model.empty() && m.modelId != model) continue;
    if (bits && m.bits != bits) continue;
    ++s.points.available;
    const double D = m.D.value_or(0);
    if (!(D > 0) || (m.step && *m.step < minStep)) {
      ++s.points.droppedEarly;
      continue;
    }
    if (!(m.delta > 0) || !m.N) {
      ++s.points.droppedNonPositive;
      continue;
    }
    s.table.addRow({{"N", *m.N}, {"D", D}, {"bits", static_cast<double>(m.bits)}, {"delta_q_loss", m.delta}});
    ++s.points.used;
  }
  return s;
}

laws::FitOptions fitOptions(const StudyFitOptions& o) {
  laws::FitOptions fo;
  fo.bootstrap = o.bootstrap;
  fo.seed = o.seed;
  return fo;
}

LawFit fitOne(const std::string& key, const std::string& family, const std::string& paper,
              const std::vector<store::Measurement>& ms, const std::string& method, const StudyFitOptions& o) {
  LawFit f;
  f.key = key;
  f.family = family;
  f.paper = paper;
  f.method = method;
  Selected s = select(ms, method, o.minStep);
  f.points = s.points;
  try {
    const laws::FamilyPtr fam = laws::makeFamily(family);
    if (s.points.used <= static_cast<int>(fam->paramNames().size()))
      throw Error(std::to_string(s.points.used) + " usable points for " + std::to_string(fam->paramNames().size()) +
                  " parameters");
    laws::FitResult r = laws::fitLaw(fam, s.table, fitOptions(o));
    r.law.name = "micro-" + key + (method == o.method ? "" : "-" + method);
    r.law.title = "Fitted by qidlab-cli reproduce: " + family + " on " + method + " measurements of a micro-suite";
    r.law.source = "reproduce";
    if (!r.converged) f.error = "did not converge: " + r.message;
    f.fit = std::move(r);
  } catch (const Cancelled&) {
    throw;
  } catch (const Error& e) {
    f.error = e.what();
  }
  return f;
}

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json optNumber(const std::optional<double>& v) { return v ? number(*v) : json(nullptr); }

}  // namespace

const LawFit* StudyFits::find(const std::string& key) const {
  for (const auto& l : laws)
    if (l.key == key) return &l;
  return nullptr;
}

StudyFits fitStudyLaws(const std::vector<store::Measurement>& ms, const StudyFitOptions& o) {
  StudyFits out;
  out.options = o;
  out.options.progress = nullptr;
  std::set<std::string> methods;
  std::map<std::pair<std::string, int>, double> slices;  // (model, bits) -> N, for o.method
  for (const auto& m : ms) {
    methods.insert(m.method);
    if (m.method == o.method && m.N) slices[{m.modelId, m.bits}] = *m.N;
  }
  struct Spec {
    const char* key;
    const char* family;
    const char* paper;
  };
  const std::vector<Spec> specs{{"tokens", "ouyang-tokens", "ouyang2025-tokens"},
                                {"size", "ouyang-size", "ouyang2025-size"},
                                {"bits", "ouyang-bits", "ouyang2025-bits"},
                                {"unified", "ouyang-unified", "ouyang2025-unified"},
                                {"perbit", "ouyang-perbit", "ouyang2025-perbit"},
                                {"kumar2024", "kumar2024", "kumar2024-ptq"}};
  const auto total = static_cast<std::int64_t>(specs.size() + methods.size() + slices.size());
  std::int64_t done = 0;
  auto tick = [&](const std::string& what) { report(o.progress, {"fit", ++done, total, what}); };
  for (const auto& s : specs) {
    out.laws.push_back(fitOne(s.key, s.family, s.paper, ms, o.method, o));
    tick(s.key);
  }
  for (const auto& method : methods) {
    out.unifiedByMethod.push_back(method == o.method ? *out.find("unified")
                                                     : fitOne("unified", "ouyang-unified", "ouyang2025-unified", ms,
                                                              method, o));
    tick("unified " + method);
  }
  const laws::FamilyPtr tokens = laws::makeFamily("ouyang-tokens");
  for (const auto& [key, N] : slices) {
    TokensSlice t;
    t.method = o.method;
    t.model = key.first;
    t.bits = key.second;
    t.N = N;
    Selected s = select(ms, o.method, o.minStep, key.first, key.second);
    t.points = s.points.used;
    try {
      if (t.points < 3) throw Error(std::to_string(t.points) + " usable points (needs 3)");
      laws::FitOptions fo = fitOptions(o);
      fo.crossValidate = false;
      fo.backtest = false;
      laws::FitResult r = laws::fitLaw(tokens, s.table, fo);
      if (!r.converged) throw Error("did not converge: " + r.message);
      t.beta = r.law.param("beta");
      if (r.law.ci.size() == r.law.params.size() && r.law.ci[1]) {
        t.lo = r.law.ci[1]->lo;
        t.hi = r.law.ci[1]->hi;
      }
    } catch (const Cancelled&) {
      throw;
    } catch (const Error& e) {
      t.error = e.what();
    }
    out.tokensSlices.push_back(t);
    tick("tokens " + key.first + " " + std::to_string(key.second) + "-bit");
  }
  std::sort(out.tokensSlices.begin(), out.tokensSlices.end(), [](const TokensSlice& a, const TokensSlice& b) {
    return std::tie(a.N, a.bits) < std::tie(b.N, b.bits);
  });
  return out;
}

json toJson(const LawFit& f) {
  json j = f.fit ? laws::fitResultToJson(*f.fit) : json{{"family", f.family}, {"converged", false}};
  j["key"] = f.key;
  j["formula"] = laws::makeFamily(f.family)->formula();
  j["fitted_on"] = {{"method", f.method},
                    {"points_available", f.points.available},
                    {"points_used", f.points.used},
                    {"dropped_early", f.points.droppedEarly},
                    {"dropped_non_positive", f.points.droppedNonPositive}};
  j["error"] = f.error.empty() ? json(nullptr) : json(f.error);
  json paper = json::object();
  try {
    const laws::Law law = laws::loadLaw(f.paper);
    const auto names = law.paramNames();
    for (std::size_t i = 0; i < names.size(); ++i) paper[names[i]] = number(law.params[i]);
    j["paper"] = {{"preset", f.paper}, {"citation", law.citation}, {"params", paper}};
  } catch (const Error&) {
    j["paper"] = nullptr;
  }
  return j;
}

json toJson(const StudyFits& fits) {
  json lawsJ = json::object();
  for (const auto& l : fits.laws) lawsJ[l.key] = toJson(l);
  json byMethod = json::object();
  for (const auto& l : fits.unifiedByMethod) byMethod[l.method] = toJson(l);
  json slices = json::array();
  for (const auto& t : fits.tokensSlices)
    slices.push_back({{"method", t.method},
                      {"model", t.model},
                      {"N", t.N},
                      {"bits", t.bits},
                      {"points", t.points},
                      {"beta", optNumber(t.beta)},
                      {"ci", t.lo && t.hi ? json::array({number(*t.lo), number(*t.hi)}) : json(nullptr)},
                      {"error", t.error.empty() ? json(nullptr) : json(t.error)}});
  return {{"method", fits.options.method},
          {"min_step", fits.options.minStep},
          {"bootstrap", fits.options.bootstrap},
          {"seed", fits.options.seed},
          {"laws", lawsJ},
          {"unified_by_method", byMethod},
          {"tokens_slices", slices}};
}

}  // namespace qid::study
