#pragma once
// A Law is a family plus values for its named parameters, with what is known
// about them: standard errors, confidence intervals, bootstrap samples, the
// data range it was fitted on, and a citation. Bundled presets and user law
// files share one JSON format and load the same way (loadLaw).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "laws/law_family.h"

namespace qid::laws {

// Variable values by name ("N", "D", "P"; "bits" is accepted for "P").
using Vars = std::map<std::string, double>;

struct Interval {
  double lo = 0;
  double hi = 0;
};

struct Law {
  std::string name;      // preset name, or the file stem of a user law
  std::string title;     // one line for humans
  std::string citation;  // where the constants come from
  std::string source;    // "preset" or the file it was loaded from
  FamilyPtr family;
  // Follow family->paramNames(). NaN marks a constant the source does not
  // state (the per-factor prefactors): such a law cannot be evaluated.
  std::vector<double> params;
  std::vector<double> stderrs;               // empty, or one per parameter
  std::vector<std::optional<Interval>> ci;   // empty, or one per parameter
  double ciLevel = 0.95;
  // Bootstrap parameter samples (rows follow paramNames()); give
  // prediction intervals. Empty when the law was not bootstrapped.
  std::vector<std::vector<double>> samples;
  // The data range the law was fitted on, per variable (extrapolation
  // warnings). Absent variables are unknown.
  std::map<std::string, Interval> range;
  // A Loss16 law (preset name or file) that pairs with this QiD law to give
  // Loss_q = Loss16 + dqLoss. Empty when none is known.
  std::string loss16;
  std::string notes;

  std::vector<std::string> paramNames() const;
  std::optional<double> param(const std::string& name) const;
  // True when every parameter has a value.
  bool complete() const;

  // The law's value at the given variables. Throws qid::Error naming the
  // missing variable or the unknown constant.
  double evaluate(const Vars& vars) const;
  // The value of family->inverseVariable() (D) at which the law reaches
  // target, the other variables given. Closed form where the family has
  // one, otherwise a bracketing root-find over [1e-6, 1e30]. Throws
  // qid::Error when the target is out of reach.
  double inverse(double target, const Vars& vars) const;
  // Percentile interval of the prediction over the bootstrap samples, or
  // nullopt without samples.
  std::optional<Interval> predictionInterval(const Vars& vars, double level = 0.95) const;

  nlohmann::json toJson() const;
  // Parses a law object; `where` names the file or preset in errors.
  static Law fromJson(const nlohmann::json& j, const std::string& where);

 private:
  std::vector<double> orderVars(const Vars& vars) const;
};

// The names of the bundled presets (resources/presets/*.json), sorted.
std::vector<std::string> presetNames();

// A bundled preset by name, or a law JSON file by path. Throws qid::Error
// naming the preset/file when it is unknown or malformed.
Law loadLaw(const std::string& nameOrFile);

// Writes a law as JSON (the format loadLaw reads).
void saveLaw(const Law& law, const std::string& path);

}  // namespace qid::laws
