#include "laws/law_predict.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "common/error.h"
#include "common/resources.h"

namespace qid::laws {

namespace {
std::string num(double v) {
  std::ostringstream s;
  s.precision(3);
  s << v;
  return s.str();
}
}  // namespace

double randomGuessLoss(double vocab) {
  if (!(vocab > 1)) throw Error("vocabulary size must be greater than 1, got " + num(vocab));
  return std::log(vocab);
}

std::optional<Law> pairedLoss16(const Law& law) {
  if (law.loss16.empty()) return std::nullopt;
  std::string ref = law.loss16;
  if (!resources::find("presets/" + ref + ".json") && law.source != "preset" &&
      std::filesystem::path(ref).is_relative()) {
    auto beside = std::filesystem::path(law.source).parent_path() / ref;
    if (std::filesystem::exists(beside)) ref = beside.string();
  }
  return loadLaw(ref);
}

std::vector<std::string> extrapolationWarnings(const Law& law, const Vars& at, double factor) {
  std::vector<std::string> out;
  for (const auto& [var, iv] : law.range) {
    auto it = at.find(var);
    if (it == at.end() && var == "P") it = at.find("bits");
    if (it == at.end()) continue;
    double v = it->second;
    if (v > iv.hi * factor) {
      out.push_back(var + "=" + num(v) + " is " + num(v / iv.hi) + "x beyond the largest fitted " +
                    var + " (" + num(iv.hi) + "): extrapolation");
    } else if (iv.lo > 0 && v < iv.lo / factor) {
      out.push_back(var + "=" + num(v) + " is " + num(iv.lo / v) + "x below the smallest fitted " +
                    var + " (" + num(iv.lo) + "): extrapolation");
    }
  }
  return out;
}

std::vector<Prediction> predictGrid(const Law& law, const std::vector<double>& N,
                                    const std::vector<double>& D, const std::vector<double>& P,
                                    const PredictOptions& options) {
  const auto vars = law.family->variables();
  auto uses = [&](const char* v) {
    for (const auto& x : vars)
      if (x == v) return true;
    return false;
  };
  auto axis = [&](const char* v, const std::vector<double>& values) {
    if (!uses(v)) return std::vector<double>{std::nan("")};
    if (values.empty()) throw Error(std::string("law '") + law.name + "' needs --" +
                                    (std::string(v) == "P" ? "bits" : v));
    return values;
  };
  auto ns = axis("N", N), ds = axis("D", D), ps = axis("P", P);
  std::optional<Law> l16;
  if (law.family->quantity() == Quantity::DeltaQLoss) l16 = pairedLoss16(law);
  const double randomLoss = randomGuessLoss(options.vocab);
  std::vector<Prediction> out;
  for (double n : ns)
    for (double d : ds)
      for (double p : ps) {
        Prediction pr;
        if (!std::isnan(n)) pr.at["N"] = n;
        if (!std::isnan(d)) pr.at["D"] = d;
        if (!std::isnan(p)) pr.at["P"] = p;
        pr.value = law.evaluate(pr.at);
        pr.ci = law.predictionInterval(pr.at, options.ciLevel);
        pr.warnings = extrapolationWarnings(law, pr.at, options.extrapolationFactor);
        if (law.family->quantity() == Quantity::Loss16) pr.loss16 = pr.value;
        if (l16 && pr.at.count("N") && pr.at.count("D")) {
          pr.loss16 = l16->evaluate(pr.at);
          pr.lossq = *pr.loss16 + pr.value;
          pr.worseThanRandom = *pr.lossq > randomLoss;
        }
        out.push_back(std::move(pr));
      }
  return out;
}

}  // namespace qid::laws
