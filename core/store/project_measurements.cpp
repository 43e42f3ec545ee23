// Project: the measurements table (insert, query). Split from project.cpp to
// keep each file about one thing.
#include "common/error.h"
#include "store/project.h"
#include "store/sqlite_db.h"

namespace qid::store {

using nlohmann::json;

namespace {

constexpr const char* kInsert = R"SQL(
  INSERT INTO measurements (cell_id, model_id, revision, checkpoint_id, n_params, n_total, tokens, step, lr,
    method, bits, group_size, method_options, eval_dataset, eval_hash, recipe, seqlen, windows,
    token_count, loss16, lossq, delta_q_loss, stderr, delta_ci_lo, delta_ci_hi, device, wall_time_s,
    tool_version, timestamp, per_layer, manifest, baseline_key, window_nllq, origin, duplicate_of)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
  ON CONFLICT(cell_id) DO NOTHING)SQL";

constexpr const char* kSelect =
    "SELECT cell_id, model_id, revision, checkpoint_id, n_params, n_total, tokens, step, lr, "
    "method, bits, group_size, method_options, eval_dataset, eval_hash, recipe, seqlen, windows, "
    "token_count, loss16, lossq, delta_q_loss, stderr, delta_ci_lo, delta_ci_hi, device, wall_time_s, "
    "tool_version, timestamp, per_layer, manifest, baseline_key, origin, duplicate_of";

json parseOr(const std::string& text, json def) { return text.empty() ? def : json::parse(text); }

}  // namespace

bool Project::insertMeasurement(const Measurement& m) {
  std::lock_guard lock(mutex_);
  return insertMeasurementLocked(m);
}

bool Project::insertMeasurementLocked(const Measurement& m) {
  if (m.cellId.empty()) throw Error("internal: a measurement needs a cell id");
  Statement st(*db_, kInsert);
  int i = 0;
  auto b = [&](const auto& v) { st.bind(++i, v); };
  b(m.cellId); b(m.modelId); b(m.revision); b(m.checkpointId);
  b(m.N); b(m.Ntotal); b(m.D); b(m.step); b(m.lr);
  b(m.method); b(m.bits); b(m.groupSize); b(m.methodOptions.dump());
  b(m.evalDataset); b(m.evalHash); b(m.recipe);
  b(m.seqlen); b(m.windows); b(m.tokenCount);
  b(m.loss16); b(m.lossq); b(m.delta); b(m.stderr_);
  b(m.ciLo); b(m.ciHi); b(m.device); b(m.wallTimeS);
  b(m.toolVersion); b(m.timestamp); b(m.perLayer.dump());
  b(m.manifest.dump()); b(m.baselineKey);
  if (m.windowNllq.empty()) st.bindNull(++i); else st.bindBlob(++i, packFloats(m.windowNllq));
  b(m.origin);
  if (m.duplicateOf.empty()) st.bindNull(++i); else st.bind(++i, m.duplicateOf);
  st.run();
  return db_->changes() > 0;
}

int Project::importRecords(const std::vector<ModelRecord>& models, const std::vector<Baseline>& baselines,
                           const std::vector<Measurement>& measurements) {
  std::lock_guard lock(mutex_);
  Transaction tx(*db_);
  for (const auto& m : models) upsertModelLocked(m);
  for (const auto& b : baselines) putBaselineLocked(b);
  int added = 0;
  for (const auto& m : measurements) added += insertMeasurementLocked(m) ? 1 : 0;
  if (added)
    db_->exec("UPDATE cells SET state = 'done', error = NULL WHERE state <> 'done' AND cell_id IN "
              "(SELECT cell_id FROM measurements)");
  tx.commit();
  return added;
}

bool Project::hasMeasurement(const std::string& cellId) {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "SELECT 1 FROM measurements WHERE cell_id = ?");
  st.bind(1, cellId);
  return st.step();
}

std::int64_t Project::measurementCount() {
  std::lock_guard lock(mutex_);
  Statement st(*db_, "SELECT COUNT(*) FROM measurements");
  st.step();
  return st.getInt(0);
}

std::vector<Measurement> Project::measurements(const MeasurementFilter& filter, bool forFit,
                                               bool withWindows) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> binds;
  std::string sql = std::string(kSelect) + (withWindows ? ", window_nllq" : "") + " FROM measurements" +
                    filter.whereClause(binds, forFit) +
                    " ORDER BY model_id, n_params, tokens, step, method, bits, group_size, cell_id";
  Statement st(*db_, sql);
  for (size_t k = 0; k < binds.size(); ++k) st.bind(int(k + 1), binds[k]);
  std::vector<Measurement> out;
  while (st.step()) {
    Measurement m;
    int i = 0;
    m.cellId = st.getText(i++);
    m.modelId = st.getText(i++);
    m.revision = st.getText(i++);
    m.checkpointId = st.getText(i++);
    m.N = st.getOptDouble(i++);
    m.Ntotal = st.getOptDouble(i++);
    m.D = st.getOptDouble(i++);
    m.step = st.getOptInt(i++);
    m.lr = st.getOptDouble(i++);
    m.method = st.getText(i++);
    m.bits = int(st.getInt(i++));
    m.groupSize = st.getOptInt(i++);
    m.methodOptions = parseOr(st.getText(i++), json::object());
    m.evalDataset = st.getText(i++);
    m.evalHash = st.getText(i++);
    m.recipe = st.getText(i++);
    m.seqlen = st.getOptInt(i++);
    m.windows = st.getOptInt(i++);
    m.tokenCount = st.getOptInt(i++);
    m.loss16 = st.getOptDouble(i++);
    m.lossq = st.getOptDouble(i++);
    m.delta = st.getDouble(i++);
    m.stderr_ = st.getOptDouble(i++);
    m.ciLo = st.getOptDouble(i++);
    m.ciHi = st.getOptDouble(i++);
    m.device = st.getText(i++);
    m.wallTimeS = st.getOptDouble(i++);
    m.toolVersion = st.getText(i++);
    m.timestamp = st.getText(i++);
    m.perLayer = parseOr(st.getText(i++), json::array());
    m.manifest = parseOr(st.getText(i++), json::object());
    m.baselineKey = st.getText(i++);
    m.origin = st.getText(i++);
    m.duplicateOf = st.getText(i++);
    if (withWindows) m.windowNllq = unpackFloats(st.getBlob(i++));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace qid::store
