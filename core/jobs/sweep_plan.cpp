#include "jobs/sweep_plan.h"

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "common/error.h"
#include "eval/recipe.h"
#include "jobs/content_hash.h"

namespace qid::jobs {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const json* field(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string getString(const json& j, const char* key, const std::string& where, const std::string& def = "") {
  const json* v = field(j, key);
  if (!v) return def;
  if (!v->is_string()) throw Error(where + ": '" + key + "' must be a string");
  return v->get<std::string>();
}

std::optional<double> getNumber(const json& j, const char* key, const std::string& where) {
  const json* v = field(j, key);
  if (!v) return std::nullopt;
  if (!v->is_number()) throw Error(where + ": '" + key + "' must be a number");
  return v->get<double>();
}

int getInt(const json& j, const char* key, const std::string& where, int def) {
  auto v = getNumber(j, key, where);
  if (!v) return def;
  if (*v != double(std::int64_t(*v))) throw Error(where + ": '" + key + "' must be an integer");
  return int(*v);
}

std::vector<std::int64_t> intList(const json& j, const char* key, const std::string& where) {
  const json* v = field(j, key);
  if (!v) return {};
  std::vector<std::int64_t> out;
  auto one = [&](const json& x) {
    if (!x.is_number_integer()) throw Error(where + ": '" + key + "' must be an integer or a list of integers");
    out.push_back(x.get<std::int64_t>());
  };
  if (v->is_array()) {
    for (const auto& x : *v) one(x);
    if (out.empty()) throw Error(where + ": '" + key + "' is an empty list");
  } else {
    one(*v);
  }
  return out;
}

std::string resolvePath(const std::string& p, const fs::path& baseDir) {
  if (p.empty()) return p;
  fs::path path(p);
  if (path.is_relative()) path = baseDir / path;
  return path.lexically_normal().string();
}

std::optional<std::int64_t> stepFromName(const std::string& s) {
  static const std::regex re("step[-_]?([0-9]+)");
  std::smatch m;
  if (std::regex_search(s, m, re)) return std::stoll(m[1].str());
  return std::nullopt;
}

}  // namespace

json CellSpec::definition() const {
  json j{{"checkpoint_id", checkpointId},
         {"claimed_step", model.step ? json(*model.step) : json(nullptr)},
         {"method", method.method},
         {"bits", method.bits},
         {"group", method.group ? json(*method.group) : json(nullptr)},
         {"options", method.options},
         {"eval", {{"hash", evalHash}, {"seqlen", eval.seqlen}, {"windows", eval.windows},
                   {"recipe", eval.recipe}}},
         {"dtype", dtype}};
  if (!calib.path.empty())
    j["calibration"] = {{"hash", calibHash}, {"samples", calib.samples},
                        {"seqlen", calib.seqlen ? calib.seqlen : eval.seqlen}, {"seed", calib.seed}};
  return j;
}

json CellSpec::baselineDefinition() const {
  return {{"checkpoint_id", checkpointId}, {"eval_hash", evalHash}, {"recipe", eval.recipe},
          {"seqlen", eval.seqlen}, {"windows", eval.windows}, {"dtype", dtype}};
}

json CellSpec::toJson() const {
  json j = definition();
  j["cell_id"] = cellId;
  j["baseline_key"] = baselineKey;
  j["index"] = index;
  j["model"] = {{"name", model.name}, {"path", model.path}, {"hub", model.hubRepo},
                {"revision", model.revision}, {"id_kind", idKind}, {"content_hash", contentHash}};
  j["eval"]["path"] = eval.path;
  if (!calib.path.empty()) j["calibration"]["path"] = calib.path;
  return j;
}

SweepPlan SweepPlan::parse(const json& j, const fs::path& baseDir, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": a plan must be a JSON object");
  SweepPlan p;
  p.source = j;
  p.name = getString(j, "name", where);
  if (p.name.empty()) throw Error(where + ": the plan needs a \"name\"");
  p.dtype = getString(j, "dtype", where, "float32");
  p.tokensPerStep = getNumber(j, "tokens_per_step", where).value_or(2097152.0);

  const json* models = field(j, "models");
  if (!models || !models->is_array() || models->empty())
    throw Error(where + ": \"models\" must be a non-empty list");
  for (size_t i = 0; i < models->size(); ++i) {
    const json& mj = (*models)[i];
    std::string w = where + ": models[" + std::to_string(i) + "]";
    if (mj.is_string()) {
      std::string s = mj.get<std::string>();
      if (s.rfind("suite:", 0) == 0 || s.rfind("hub:", 0) == 0) {
        p.modelSelectors.push_back(mj);
        continue;
      }
      ModelRef m;
      m.path = resolvePath(s, baseDir);
      m.name = fs::path(m.path).filename().string();
      m.step = stepFromName(m.name);
      if (m.step) m.D = double(*m.step) * p.tokensPerStep;
      p.models.push_back(m);
      continue;
    }
    if (!mj.is_object()) throw Error(w + ": must be a folder path or an object");
    if (field(mj, "hub") || field(mj, "suite")) {
      p.modelSelectors.push_back(mj);
      continue;
    }
    ModelRef m;
    m.path = resolvePath(getString(mj, "path", w), baseDir);
    if (m.path.empty()) throw Error(w + ": needs \"path\" (or \"hub\"/\"suite\")");
    m.name = getString(mj, "name", w, fs::path(m.path).filename().string());
    m.revision = getString(mj, "revision", w);
    if (auto s = getNumber(mj, "step", w)) m.step = std::int64_t(*s);
    else m.step = stepFromName(m.revision.empty() ? fs::path(m.path).filename().string() : m.revision);
    m.D = getNumber(mj, "D", w);
    if (!m.D && m.step) m.D = double(*m.step) * getNumber(mj, "tokens_per_step", w).value_or(p.tokensPerStep);
    m.lr = getNumber(mj, "lr", w);
    p.models.push_back(m);
  }

  const json* methods = field(j, "methods");
  if (!methods || !methods->is_array() || methods->empty())
    throw Error(where + ": \"methods\" must be a non-empty list");
  for (size_t i = 0; i < methods->size(); ++i) {
    const json& mj = (*methods)[i];
    std::string w = where + ": methods[" + std::to_string(i) + "]";
    if (!mj.is_object()) throw Error(w + ": must be an object with \"method\" and \"bits\"");
    std::string method = getString(mj, "method", w);
    if (method.empty()) throw Error(w + ": needs \"method\"");
    auto bits = intList(mj, "bits", w);
    if (bits.empty()) throw Error(w + ": needs \"bits\"");
    for (auto b : bits)
      if (b < 1 || b > 16) throw Error(w + ": bits " + std::to_string(b) + " outside 1-16");
    auto groups = intList(mj, "group", w);
    json options = field(mj, "options") ? mj["options"] : json::object();
    if (!options.is_object()) throw Error(w + ": \"options\" must be an object");
    for (auto b : bits) {
      if (groups.empty()) {
        p.methods.push_back({method, int(b), std::nullopt, options});
      } else {
        for (auto g : groups) p.methods.push_back({method, int(b), g, options});
      }
    }
  }

  const json* ev = field(j, "eval");
  if (!ev || !ev->is_object()) throw Error(where + ": \"eval\" must be an object with \"path\"");
  p.eval.path = resolvePath(getString(*ev, "path", where + ": eval"), baseDir);
  if (p.eval.path.empty()) throw Error(where + ": eval needs \"path\"");
  p.eval.seqlen = getInt(*ev, "seqlen", where + ": eval", 2048);
  p.eval.windows = getInt(*ev, "windows", where + ": eval", 0);
  p.eval.recipe = getString(*ev, "recipe", where + ": eval", "gptq-paper");
  try {
    p.eval.recipeId = eval::findRecipe(p.eval.recipe).id();
  } catch (const Error& e) {
    throw Error(where + ": eval " + e.what());
  }
  if (const json* kl = field(*ev, "kl")) {
    if (!kl->is_boolean()) throw Error(where + ": eval \"kl\" must be true or false, not " + kl->dump());
    p.eval.kl = kl->get<bool>();
  }
  if (p.eval.seqlen < 2) throw Error(where + ": eval seqlen must be at least 2");
  if (p.eval.windows < 0) throw Error(where + ": eval windows must be >= 0");

  if (const json* cj = field(j, "calibration")) {
    if (!cj->is_object()) throw Error(where + ": \"calibration\" must be an object");
    p.calib.path = resolvePath(getString(*cj, "path", where + ": calibration"), baseDir);
    p.calib.samples = getInt(*cj, "samples", where + ": calibration", 128);
    p.calib.seqlen = getInt(*cj, "seqlen", where + ": calibration", 0);
    p.calib.seed = std::uint64_t(getInt(*cj, "seed", where + ": calibration", 0));
  }
  return p;
}

SweepPlan SweepPlan::load(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(file.string() + ": cannot read plan file");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw Error(file.string() + ": invalid JSON: " + e.what());
  }
  return parse(j, fs::absolute(file).parent_path(), file.string());
}

std::vector<CellSpec> expandPlan(const SweepPlan& plan, const ModelResolver& resolver) {
  std::vector<ModelRef> models = plan.models;
  for (const auto& sel : plan.modelSelectors) {
    if (!resolver)
      throw Error("plan '" + plan.name + "': model selector " + sel.dump() +
                  " needs the hub (not available in this build)");
    auto more = resolver(sel);
    models.insert(models.end(), more.begin(), more.end());
  }
  std::vector<CellSpec> cells;
  for (const auto& m : models) {
    for (const auto& method : plan.methods) {
      CellSpec c;
      c.index = int(cells.size());
      c.model = m;
      c.method = method;
      c.eval = plan.eval;
      c.calib = plan.calib;
      c.dtype = plan.dtype;
      cells.push_back(std::move(c));
    }
  }
  return cells;
}

void resolveIdentities(std::vector<CellSpec>& cells, bool fullHash) {
  std::map<std::string, std::string> fileHash;
  auto hashOf = [&](const std::string& path, const char* what) -> std::string {
    if (path.empty()) return "";
    auto it = fileHash.find(path);
    if (it != fileHash.end()) return it->second;
    if (!fs::is_regular_file(path)) throw Error(path + ": " + what + " file does not exist");
    return fileHash[path] = sha256File(path);
  };
  struct Ident {
    std::string id, kind, content;
  };
  std::map<std::string, Ident> idents;
  for (auto& c : cells) {
    auto it = idents.find(c.model.path);
    if (it == idents.end()) {
      Ident id;
      try {
        id.content = checkpointFingerprint(c.model.path, fullHash);
      } catch (const Error&) {
        // Left for the cell to fail with the loader's own message.
        id.content = "unreadable:" + sha256Hex(c.model.path).substr(0, 16);
      }
      std::string commit = hubCommitOf(c.model.path);
      if (!commit.empty()) {
        id.id = "hf:" + commit;
        id.kind = "hf-commit";
      } else {
        id.id = id.content;
        id.kind = "content";
      }
      it = idents.emplace(c.model.path, id).first;
    }
    c.checkpointId = it->second.id;
    c.idKind = it->second.kind;
    c.contentHash = it->second.content;
    c.evalHash = hashOf(c.eval.path, "eval");
    c.calibHash = hashOf(c.calib.path, "calibration");
    c.cellId = sha256Hex(c.definition().dump());
    c.baselineKey = sha256Hex(c.baselineDefinition().dump());
  }
}

std::vector<CellSpec> selectShard(const std::vector<CellSpec>& cells, const std::string& shard) {
  static const std::regex re("^([0-9]+)/([0-9]+)$");
  std::smatch m;
  if (!std::regex_match(shard, m, re))
    throw Error("--shard '" + shard + "' is not i/n (e.g. 0/4)");
  long i = std::stol(m[1].str()), n = std::stol(m[2].str());
  if (n < 1 || i < 0 || i >= n)
    throw Error("--shard '" + shard + "': need 0 <= i < n (shards are numbered from 0, like Slurm array tasks)");
  std::vector<CellSpec> out;
  for (const auto& c : cells)
    if (c.index % n == i) out.push_back(c);
  return out;
}

}  // namespace qid::jobs
