#include "study/reproduce_settings.h"

#include <algorithm>
#include <set>

#include "common/error.h"

namespace qid::study {

using nlohmann::json;

namespace {

json defaultMethods() {
  return json::array({{{"method", "rtn"}, {"bits", {2, 3, 4}}, {"group", 128}},
                      {{"method", "gptq"}, {"bits", {2, 3, 4}}, {"group", 128}, {"options", {{"damp", 0.1}}}},
                      {{"method", "nf4"}, {"bits", {4}}},
                      {{"method", "awq"}, {"bits", {4}}, {"group", 128}}});
}

template <typename T>
void readNumber(const json& j, const char* key, T& out, const std::string& where) {
  if (!j.contains(key)) return;
  if (!j.at(key).is_number()) throw Error(where + ": \"" + key + "\" must be a number");
  out = j.at(key).get<T>();
}

const json& object(const json& j, const char* key, const std::string& where) {
  static const json empty = json::object();
  if (!j.contains(key)) return empty;
  if (!j.at(key).is_object()) throw Error(where + ": \"" + key + "\" must be an object");
  return j.at(key);
}

std::vector<int> bitsList(const json& m) {
  std::vector<int> out;
  if (!m.contains("bits")) return out;
  if (m["bits"].is_number_integer()) return {m["bits"].get<int>()};
  for (const auto& b : m["bits"])
    if (b.is_number_integer()) out.push_back(b.get<int>());
  return out;
}

}  // namespace

ReproduceSettings parseReproduceSettings(const json& block, const std::string& where) {
  ReproduceSettings s;
  if (block.is_null()) {
    s.methods = defaultMethods();
    return s;
  }
  if (!block.is_object()) throw Error(where + ": \"reproduce\" must be an object");
  const std::string w = where + ": reproduce";
  if (block.contains("methods")) {
    const json& m = block.at("methods");
    if (!m.is_array() || m.empty()) throw Error(w + ": \"methods\" must be a non-empty list");
    for (const auto& e : m) {
      if (!e.is_object() || !e.contains("method") || !e.at("method").is_string() || bitsList(e).empty())
        throw Error(w + ": every entry of \"methods\" needs \"method\" and \"bits\" (as in a sweep plan)");
    }
    s.methods = m;
  } else {
    s.methods = defaultMethods();
  }
  const json& ev = object(block, "eval", w);
  readNumber(ev, "seqlen", s.evalSeqlen, w + ".eval");
  readNumber(ev, "windows", s.evalWindows, w + ".eval");
  const json& cal = object(block, "calibration", w);
  readNumber(cal, "samples", s.calibSamples, w + ".calibration");
  readNumber(cal, "seqlen", s.calibSeqlen, w + ".calibration");
  readNumber(cal, "seed", s.calibSeed, w + ".calibration");
  const json& fit = object(block, "fit", w);
  if (fit.contains("method")) {
    if (!fit.at("method").is_string()) throw Error(w + ".fit: \"method\" must be a method name");
    s.fitMethod = fit.at("method").get<std::string>();
  }
  readNumber(fit, "min_step", s.fitMinStep, w + ".fit");
  readNumber(fit, "bootstrap", s.bootstrap, w + ".fit");
  readNumber(fit, "seed", s.bootstrapSeed, w + ".fit");
  const json& fl = object(block, "fluctuation", w);
  if (fl.contains("method")) {
    if (!fl.at("method").is_string()) throw Error(w + ".fluctuation: \"method\" must be a method name");
    s.fluctuationMethod = fl.at("method").get<std::string>();
  }
  if (fl.contains("bits")) {
    s.fluctuationBits = bitsList(fl);
    if (s.fluctuationBits.empty()) throw Error(w + ".fluctuation: \"bits\" must list bit widths");
  }
  readNumber(fl, "group", s.fluctuationGroup, w + ".fluctuation");
  if (s.evalSeqlen < 0 || s.evalWindows < 0 || s.calibSamples < 1 || s.calibSeqlen < 0 || s.bootstrap < 0 ||
      s.fitMinStep < 0)
    throw Error(w + ": eval seqlen/windows, calibration seqlen, bootstrap and min_step must be >= 0, "
                    "calibration samples >= 1");
  const auto names = s.methodNames();
  if (std::find(names.begin(), names.end(), s.fitMethod) == names.end())
    throw Error(w + ".fit: method '" + s.fitMethod + "' is not among the swept methods");
  return s;
}

std::vector<std::string> ReproduceSettings::methodNames() const {
  std::vector<std::string> out;
  for (const auto& m : methods) {
    const std::string name = m.at("method").get<std::string>();
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::vector<int> ReproduceSettings::bitsOf(const std::string& method) const {
  std::set<int> bits;
  for (const auto& m : methods)
    if (m.at("method").get<std::string>() == method)
      for (int b : bitsList(m)) bits.insert(b);
  return {bits.begin(), bits.end()};
}

json toJson(const ReproduceSettings& s) {
  return {{"methods", s.methods},
          {"eval", {{"seqlen", s.evalSeqlen}, {"windows", s.evalWindows}}},
          {"calibration", {{"samples", s.calibSamples}, {"seqlen", s.calibSeqlen}, {"seed", s.calibSeed}}},
          {"fit", {{"method", s.fitMethod}, {"min_step", s.fitMinStep}, {"bootstrap", s.bootstrap}, {"seed", s.bootstrapSeed}}},
          {"fluctuation", {{"method", s.fluctuationMethod}, {"bits", s.fluctuationBits}, {"group", s.fluctuationGroup}}}};
}

}  // namespace qid::study
