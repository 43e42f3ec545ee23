#include "slurm/pinned_plan.h"

#include <string>

#include "common/error.h"

namespace qid::slurm {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string absoluteAgainst(const std::string& p, const fs::path& dir) {
  if (p.empty()) return p;
  fs::path path(p);
  if (path.is_relative()) path = dir / path;
  return path.lexically_normal().string();
}

bool isSelector(const std::string& s) { return s.rfind("suite:", 0) == 0 || s.rfind("hub:", 0) == 0; }

void pinPathField(json& obj, const char* key, const fs::path& dir) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_string())
    obj[key] = absoluteAgainst(obj[key].get<std::string>(), dir);
}

}  // namespace

json pinPlanPaths(const json& plan, const fs::path& planDir) {
  if (!plan.is_object()) throw Error("plan: a plan must be a JSON object");
  const fs::path dir = fs::absolute(planDir).lexically_normal();
  json out = plan;
  if (out.contains("models") && out["models"].is_array()) {
    for (auto& m : out["models"]) {
      if (m.is_string() && !isSelector(m.get<std::string>())) m = absoluteAgainst(m.get<std::string>(), dir);
      else if (m.is_object() && !m.contains("hub") && !m.contains("suite")) pinPathField(m, "path", dir);
    }
  }
  if (out.contains("eval")) pinPathField(out["eval"], "path", dir);
  if (out.contains("calibration")) pinPathField(out["calibration"], "path", dir);
  return out;
}

}  // namespace qid::slurm
