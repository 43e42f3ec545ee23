// Project: the Slurm job arrays submitted from it (store/slurm_records.h).
#include "common/error.h"
#include "store/project.h"
#include "store/sqlite_db.h"

namespace qid::store {

using nlohmann::json;

namespace {

void insertSubmission(Db& db, std::int64_t arrayId, const SlurmSubmission& s) {
  if (s.jobId.empty()) throw Error("internal: a Slurm submission needs a job id");
  Statement st(db, "INSERT INTO slurm_submissions (array_id, job_id, indices, script, kind) VALUES (?,?,?,?,?)");
  st.bind(1, arrayId).bind(2, s.jobId).bind(3, s.indices).bind(4, s.script).bind(5, s.kind).run();
}

std::vector<SlurmSubmission> submissionsOf(Db& db, std::int64_t arrayId) {
  Statement st(db, "SELECT id, job_id, indices, script, kind, submitted FROM slurm_submissions "
                   "WHERE array_id = ? ORDER BY id");
  st.bind(1, arrayId);
  std::vector<SlurmSubmission> out;
  while (st.step()) {
    SlurmSubmission s;
    s.id = st.getInt(0);
    s.jobId = st.getText(1);
    s.indices = st.getText(2);
    s.script = st.getText(3);
    s.kind = st.getText(4);
    s.submitted = st.getText(5);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<SlurmArrayRecord> readArrays(Db& db, const std::string& where, std::int64_t id) {
  Statement st(db, "SELECT id, plan_name, array_size, results_dir, log_dir, plan_copy, cli_binary, options, "
                   "shards, created FROM slurm_arrays " + where + " ORDER BY id");
  if (!where.empty()) st.bind(1, id);
  std::vector<SlurmArrayRecord> out;
  while (st.step()) {
    SlurmArrayRecord a;
    a.id = st.getInt(0);
    a.planName = st.getText(1);
    a.arraySize = int(st.getInt(2));
    a.resultsDir = st.getText(3);
    a.logDir = st.getText(4);
    a.planCopy = st.getText(5);
    a.cliBinary = st.getText(6);
    a.options = json::parse(st.getText(7), nullptr, false);
    if (a.options.is_discarded()) throw Error(db.path() + ": slurm_arrays row " + std::to_string(a.id) + " has bad options JSON");
    if (!st.isNull(8)) {
      a.shards = json::parse(st.getText(8), nullptr, false);
      if (a.shards.is_discarded()) throw Error(db.path() + ": slurm_arrays row " + std::to_string(a.id) + " has bad shards JSON");
    }
    a.created = st.getText(9);
    out.push_back(std::move(a));
  }
  for (auto& a : out) a.submissions = submissionsOf(db, a.id);
  return out;
}

}  // namespace

std::int64_t Project::addSlurmArray(const SlurmArrayRecord& a) {
  std::lock_guard lock(mutex_);
  if (a.arraySize < 1) throw Error("internal: a Slurm array needs at least one task");
  Transaction tx(*db_);
  Statement st(*db_, "INSERT INTO slurm_arrays (plan_name, array_size, results_dir, log_dir, plan_copy, "
                     "cli_binary, options, shards) VALUES (?,?,?,?,?,?,?,?)");
  st.bind(1, a.planName).bind(2, a.arraySize).bind(3, a.resultsDir).bind(4, a.logDir);
  st.bind(5, a.planCopy).bind(6, a.cliBinary).bind(7, a.options.dump());
  if (a.shards.is_null()) st.bindNull(8);
  else st.bind(8, a.shards.dump());
  st.run();
  std::int64_t id = db_->lastInsertRowId();
  for (const auto& s : a.submissions) insertSubmission(*db_, id, s);
  tx.commit();
  return id;
}

std::int64_t Project::addSlurmSubmission(std::int64_t arrayId, const SlurmSubmission& s) {
  std::lock_guard lock(mutex_);
  insertSubmission(*db_, arrayId, s);
  return db_->lastInsertRowId();
}

std::vector<SlurmArrayRecord> Project::slurmArrays() {
  std::lock_guard lock(mutex_);
  return readArrays(*db_, "", 0);
}

std::optional<SlurmArrayRecord> Project::slurmArray(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto rows = readArrays(*db_, "WHERE id = ?", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

}  // namespace qid::store
