#include "laws/law_family.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "laws/formula_family.h"
#include "laws/loss16_families.h"
#include "laws/power_law_families.h"

namespace qid::laws {

std::vector<double> LawFamily::initialGuess(const std::vector<std::vector<double>>&,
                                            const std::vector<double>&) const {
  return std::vector<double>(paramNames().size(), 1.0);
}

std::vector<std::string> familyNames() {
  return {"ouyang-unified", "ouyang-tokens",  "ouyang-size",       "ouyang-bits",
          "ouyang-perbit",  "kumar2024",      "loss16-kaplan",     "loss16-chinchilla",
          "formula"};
}

FamilyPtr makeFamily(const std::string& name, const nlohmann::json& spec) {
  if (name == "ouyang-unified") return makeOuyangUnified();
  if (name == "ouyang-tokens") return makeOuyangTokens();
  if (name == "ouyang-size") return makeOuyangSize();
  if (name == "ouyang-bits") return makeOuyangBits();
  if (name == "kumar2024") return makeKumar2024();
  if (name == "loss16-kaplan") return makeLoss16Kaplan();
  if (name == "loss16-chinchilla") return makeLoss16Chinchilla();
  if (name == "ouyang-perbit") {
    std::vector<int> bits;
    if (spec.is_object() && spec.contains("bits")) {
      if (!spec["bits"].is_array()) throw Error("ouyang-perbit: \"bits\" must be a list of bit widths");
      for (const auto& b : spec["bits"]) {
        if (!b.is_number_integer()) throw Error("ouyang-perbit: \"bits\" must hold whole numbers");
        bits.push_back(b.get<int>());
      }
    }
    return makeOuyangPerBit(bits);
  }
  if (name == "formula") {
    if (!spec.is_object() || !spec.contains("expression") || !spec["expression"].is_string())
      throw Error("family 'formula' needs an \"expression\"");
    std::vector<std::string> params, variables;
    if (spec.contains("param_names")) params = spec["param_names"].get<std::vector<std::string>>();
    else if (spec.contains("params") && spec["params"].is_object())
      for (const auto& [k, v] : spec["params"].items()) params.push_back(k);
    if (spec.contains("variables")) variables = spec["variables"].get<std::vector<std::string>>();
    return makeFormulaFamily(spec["expression"].get<std::string>(), params, variables);
  }
  std::string known;
  for (const auto& f : familyNames()) known += (known.empty() ? "" : ", ") + f;
  throw Error("unknown law family '" + name + "' (known: " + known + ")");
}

FamilyPtr makeFamily(const std::string& name) { return makeFamily(name, nlohmann::json::object()); }

std::string canonicalVariable(const std::string& column) {
  if (column == "bits" || column == "P") return "P";
  return column;
}

}  // namespace qid::laws
