#include "store/project.h"

#include <algorithm>

#include "common/error.h"
#include "store/schema.h"
#include "store/sqlite_db.h"

namespace qid::store {

using nlohmann::json;
namespace fs = std::filesystem;

Project::Project(const fs::path& path, Mode mode) : path_(path) {
  if (mode == Mode::OpenExisting && !fs::exists(path))
    throw Error(path.string() + ": no such project file");
  if (path.has_parent_path() && !fs::exists(path.parent_path()))
    throw Error(path.string() + ": folder " + path.parent_path().string() + " does not exist");
  db_ = std::make_unique<Db>(path.string(), mode == Mode::CreateOrOpen);
  migrate(*db_);
}

Project::~Project() = default;

int Project::schemaVersion() {
  std::lock_guard lock(mutex_);
  return db_->userVersion();
}

std::string Project::integrityCheck() {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "PRAGMA integrity_check");
  std::string out;
  while (st.step()) out += (out.empty() ? "" : "; ") + st.getText(0);
  return out;
}

void Project::upsertModel(const ModelRecord& m) {
  std::lock_guard lock(mutex_);
  upsertModelLocked(m);
}

void Project::upsertModelLocked(const ModelRecord& m) {
  if (m.checkpointId.empty()) throw Error("internal: a model needs a checkpoint id");
  Statement st(*db_, R"SQL(
    INSERT INTO models (checkpoint_id, id_kind, content_hash, name, source, revision,
                        n_params, n_total, tokens, step, lr, claim)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT(checkpoint_id, claim) DO UPDATE SET
      content_hash = CASE WHEN excluded.content_hash <> '' THEN excluded.content_hash ELSE content_hash END,
      n_params = COALESCE(excluded.n_params, n_params), n_total = COALESCE(excluded.n_total, n_total),
      tokens = COALESCE(excluded.tokens, tokens), step = COALESCE(excluded.step, step),
      lr = COALESCE(excluded.lr, lr))SQL");
  st.bind(1, m.checkpointId).bind(2, m.idKind).bind(3, m.contentHash).bind(4, m.name);
  st.bind(5, m.source).bind(6, m.revision).bind(7, m.N).bind(8, m.Ntotal).bind(9, m.D);
  st.bind(10, m.step).bind(11, m.lr);
  st.bind(12, m.revision + "|" + (m.step ? std::to_string(*m.step) : std::string()));
  st.run();
}

namespace {
ModelRecord readModel(Statement& st) {
  ModelRecord m;
  m.checkpointId = st.getText(0);
  m.idKind = st.getText(1);
  m.contentHash = st.getText(2);
  m.name = st.getText(3);
  m.source = st.getText(4);
  m.revision = st.getText(5);
  m.N = st.getOptDouble(6);
  m.Ntotal = st.getOptDouble(7);
  m.D = st.getOptDouble(8);
  m.step = st.getOptInt(9);
  m.lr = st.getOptDouble(10);
  m.duplicateOf = st.getText(11);
  return m;
}
constexpr const char* kModelCols =
    "SELECT checkpoint_id, id_kind, content_hash, name, source, revision, n_params, n_total, "
    "tokens, step, lr, duplicate_of FROM models";
}  // namespace

std::vector<ModelRecord> Project::models() {
  std::lock_guard lock(mutex_);
  Statement st(*db_, std::string(kModelCols) + " ORDER BY name, step");
  std::vector<ModelRecord> out;
  while (st.step()) out.push_back(readModel(st));
  return out;
}

std::optional<ModelRecord> Project::findModel(const std::string& checkpointId) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, std::string(kModelCols) + " WHERE checkpoint_id = ?");
  st.bind(1, checkpointId);
  if (!st.step()) return std::nullopt;
  return readModel(st);
}

void Project::upsertDataset(const std::string& hash, const std::string& path, std::int64_t bytes) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "INSERT INTO datasets (hash, path, bytes) VALUES (?,?,?) ON CONFLICT(hash) DO NOTHING");
  st.bind(1, hash).bind(2, path).bind(3, bytes).run();
}

std::optional<Baseline> Project::findBaseline(const std::string& key) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "SELECT key, checkpoint_id, dataset_hash, recipe, seqlen, windows, loss16, stderr, "
                     "token_count, window_nll, wall_time_s, manifest FROM baselines WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  Baseline b;
  b.key = st.getText(0);
  b.checkpointId = st.getText(1);
  b.datasetHash = st.getText(2);
  b.recipe = st.getText(3);
  b.seqlen = int(st.getInt(4));
  b.windows = int(st.getInt(5));
  b.loss16 = st.getDouble(6);
  b.stderr_ = st.getOptDouble(7);
  b.tokenCount = st.getInt(8);
  b.windowNll = unpackFloats(st.getBlob(9));
  b.wallTimeS = st.getDouble(10);
  std::string man = st.getText(11);
  b.manifest = man.empty() ? json::object() : json::parse(man);
  return b;
}

void Project::putBaseline(const Baseline& b) {
  std::lock_guard lock(mutex_);
  putBaselineLocked(b);
}

void Project::putBaselineLocked(const Baseline& b) {
  Statement st(*db_, R"SQL(
    INSERT INTO baselines (key, checkpoint_id, dataset_hash, recipe, seqlen, windows, loss16, stderr,
                           token_count, window_nll, wall_time_s, manifest)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO NOTHING)SQL");
  st.bind(1, b.key).bind(2, b.checkpointId).bind(3, b.datasetHash).bind(4, b.recipe);
  st.bind(5, b.seqlen).bind(6, b.windows).bind(7, b.loss16).bind(8, b.stderr_);
  st.bind(9, b.tokenCount).bindBlob(10, packFloats(b.windowNll)).bind(11, b.wallTimeS);
  st.bind(12, b.manifest.dump()).run();
}

bool Project::commitCell(const Measurement& m, const std::optional<ModelRecord>& model,
                         const std::optional<Baseline>& baseline) {
  std::lock_guard lock(mutex_);
  Transaction tx(*db_);
  if (model) upsertModelLocked(*model);
  if (baseline) putBaselineLocked(*baseline);
  bool inserted = insertMeasurementLocked(m);
  Statement st(*db_, "UPDATE cells SET state = 'done', error = NULL, "
                     "updated = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE cell_id = ?");
  st.bind(1, m.cellId).run();
  tx.commit();
  return inserted;
}

std::optional<PlanRecord> Project::findPlan(const std::string& name) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "SELECT id, name, plan, run FROM plans WHERE name = ?");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  return PlanRecord{st.getInt(0), st.getText(1), json::parse(st.getText(2)), json::parse(st.getText(3))};
}

std::int64_t Project::createPlan(const std::string& name, const json& plan, const json& run) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "INSERT INTO plans (name, plan, run) VALUES (?,?,?)");
  st.bind(1, name).bind(2, plan.dump()).bind(3, run.dump()).run();
  return db_->lastInsertRowId();
}

void Project::updatePlanRun(std::int64_t planId, const json& run) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "UPDATE plans SET run = ? WHERE id = ?");
  st.bind(1, run.dump()).bind(2, planId).run();
}

void Project::registerCells(std::int64_t planId, const std::vector<CellRecord>& cells) {
  std::lock_guard lock(mutex_);
  Transaction tx(*db_);
  Statement st(*db_, "INSERT INTO cells (cell_id, plan_id, idx, spec) VALUES (?,?,?,?) "
                     "ON CONFLICT(cell_id) DO NOTHING");
  for (const auto& c : cells) {
    st.bind(1, c.cellId).bind(2, planId).bind(3, c.index).bind(4, c.spec.dump());
    st.run();
    st.reset();
  }
  // A cell whose measurement arrived by ingest is done, too.
  db_->exec("UPDATE cells SET state = 'done' WHERE state <> 'done' AND cell_id IN "
            "(SELECT cell_id FROM measurements)");
  tx.commit();
}

std::vector<CellRecord> Project::cells(std::int64_t planId) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "SELECT cell_id, plan_id, idx, spec, state, error, attempts FROM cells "
                     "WHERE plan_id = ? ORDER BY idx");
  st.bind(1, planId);
  std::vector<CellRecord> out;
  while (st.step()) {
    CellRecord c;
    c.cellId = st.getText(0);
    c.planId = st.getInt(1);
    c.index = int(st.getInt(2));
    c.spec = json::parse(st.getText(3));
    c.state = cellStateFromString(st.getText(4));
    c.error = st.getText(5);
    c.attempts = int(st.getInt(6));
    out.push_back(std::move(c));
  }
  return out;
}

std::map<std::string, CellState> Project::cellStates(std::int64_t planId) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "SELECT cell_id, state FROM cells WHERE plan_id = ?");
  st.bind(1, planId);
  std::map<std::string, CellState> out;
  while (st.step()) out[st.getText(0)] = cellStateFromString(st.getText(1));
  return out;
}

void Project::setCellState(const std::string& cellId, CellState state, const std::string& error) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "UPDATE cells SET state = ?, error = ?, attempts = attempts + ?, "
                     "updated = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE cell_id = ?");
  st.bind(1, toString(state));
  if (error.empty()) st.bindNull(2); else st.bind(2, error);
  st.bind(3, state == CellState::Running ? 1 : 0).bind(4, cellId).run();
}

std::int64_t Project::saveFit(const FitRecord& fit) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "INSERT INTO fits (name, law, params, result, selection) VALUES (?,?,?,?,?)");
  st.bind(1, fit.name).bind(2, fit.law).bind(3, fit.params.dump()).bind(4, fit.result.dump());
  st.bind(5, fit.selection.dump()).run();
  return db_->lastInsertRowId();
}

std::vector<FitRecord> Project::fits() {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "SELECT id, name, law, params, result, selection, created FROM fits ORDER BY id");
  std::vector<FitRecord> out;
  while (st.step()) {
    FitRecord f;
    f.id = st.getInt(0);
    f.name = st.getText(1);
    f.law = st.getText(2);
    auto parse = [](const std::string& t) { return t.empty() ? json::object() : json::parse(t); };
    f.params = parse(st.getText(3));
    f.result = parse(st.getText(4));
    f.selection = parse(st.getText(5));
    f.created = st.getText(6);
    out.push_back(std::move(f));
  }
  return out;
}

int Project::refreshDuplicates() {
  std::lock_guard lock(mutex_);
  Transaction tx(*db_);
  db_->exec("UPDATE models SET duplicate_of = NULL");
  db_->exec("UPDATE measurements SET duplicate_of = NULL WHERE checkpoint_id IN "
            "(SELECT checkpoint_id FROM models WHERE content_hash <> '')");
  // Content groups with more than one claimed step.
  Statement groups(*db_, "SELECT content_hash FROM models WHERE content_hash <> '' GROUP BY content_hash "
                         "HAVING COUNT(DISTINCT COALESCE(step, -1)) > 1");
  std::vector<std::string> hashes;
  while (groups.step()) hashes.push_back(groups.getText(0));
  int flagged = 0;
  for (const auto& h : hashes) {
    Statement members(*db_, "SELECT checkpoint_id, COALESCE(step, -1), claim FROM models WHERE content_hash = ? "
                            "ORDER BY COALESCE(step, -1) DESC, checkpoint_id");
    members.bind(1, h);
    struct Member {
      std::string id;
      std::int64_t step;
      std::string claim;
    };
    std::vector<Member> ms;
    while (members.step()) ms.push_back({members.getText(0), members.getInt(1), members.getText(2)});
    const Member& genuine = ms.front();
    std::string tag = genuine.id + "@step" + std::to_string(genuine.step);
    for (size_t i = 1; i < ms.size(); ++i) {
      if (ms[i].step == genuine.step) continue;  // same step under two names: not a duplicate
      Statement up(*db_, "UPDATE models SET duplicate_of = ? WHERE checkpoint_id = ? AND claim = ?");
      up.bind(1, tag).bind(2, ms[i].id).bind(3, ms[i].claim).run();
      Statement upm(*db_, "UPDATE measurements SET duplicate_of = ? WHERE checkpoint_id = ? AND COALESCE(step, -1) = ?");
      upm.bind(1, tag).bind(2, ms[i].id).bind(3, ms[i].step).run();
      ++flagged;
    }
  }
  tx.commit();
  return flagged;
}

}  // namespace qid::store
