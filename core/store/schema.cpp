#include "store/schema.h"

#include <string>

#include "common/error.h"
#include "store/sqlite_db.h"

namespace qid::store {

namespace {

// Version 1: the first released schema. Frozen.
constexpr std::string_view kV1 = R"SQL(
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  checkpoint_id TEXT NOT NULL,         -- HF commit SHA when known, else content fingerprint
  id_kind TEXT NOT NULL,               -- 'hf-commit' | 'content'
  content_hash TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  source TEXT NOT NULL,                -- folder path or repo@revision
  revision TEXT NOT NULL DEFAULT '',
  n_params REAL, n_total REAL, tokens REAL, step INTEGER, lr REAL,
  claim TEXT NOT NULL DEFAULT '',      -- claimed revision/step: identical weights may be claimed twice
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  UNIQUE (checkpoint_id, claim)
);
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  bytes INTEGER,
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE baselines (
  key TEXT PRIMARY KEY,                -- hash of checkpoint id, dataset hash, recipe, seqlen, windows
  checkpoint_id TEXT NOT NULL,
  dataset_hash TEXT NOT NULL,
  recipe TEXT NOT NULL,
  seqlen INTEGER NOT NULL,
  windows INTEGER NOT NULL,
  loss16 REAL NOT NULL,
  stderr REAL,
  token_count INTEGER,
  window_nll BLOB,                     -- float32 little-endian, one per window
  wall_time_s REAL,
  manifest TEXT,
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE measurements (
  id INTEGER PRIMARY KEY,
  cell_id TEXT NOT NULL UNIQUE,
  model_id TEXT NOT NULL,
  revision TEXT NOT NULL DEFAULT '',
  checkpoint_id TEXT NOT NULL DEFAULT '',
  n_params REAL, n_total REAL, tokens REAL, step INTEGER, lr REAL,
  method TEXT NOT NULL,
  bits INTEGER NOT NULL,
  group_size INTEGER,
  method_options TEXT,
  eval_dataset TEXT, eval_hash TEXT, recipe TEXT,
  seqlen INTEGER, windows INTEGER, token_count INTEGER,
  loss16 REAL, lossq REAL, delta_q_loss REAL NOT NULL, stderr REAL,
  delta_ci_lo REAL, delta_ci_hi REAL,
  device TEXT, wall_time_s REAL, tool_version TEXT, timestamp TEXT,
  per_layer TEXT,                      -- JSON array
  manifest TEXT,                       -- JSON object (provenance)
  baseline_key TEXT,
  window_nllq BLOB,                    -- float32 little-endian, one per window
  origin TEXT NOT NULL DEFAULT 'local' -- local | ingest | import
);
CREATE INDEX measurements_model ON measurements(model_id, step);
CREATE TABLE fits (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  law TEXT NOT NULL,
  params TEXT NOT NULL,                -- JSON: name -> value
  result TEXT,                         -- JSON: stderr, CIs, rss, aic, ...
  selection TEXT,                      -- JSON: filter and cell ids used
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE plans (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  plan TEXT NOT NULL,                  -- the plan JSON as given
  run TEXT NOT NULL,                   -- JSON: what defines the run (identities, hashes)
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE cells (
  cell_id TEXT PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plans(id),
  idx INTEGER NOT NULL,
  spec TEXT NOT NULL,                  -- JSON of everything that defines the cell
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','running','done','failed')),
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX cells_plan ON cells(plan_id, idx);
)SQL";

// Version 2: duplicate-revision flags (identical weights, different claimed
// steps; EleutherAI/pythia#205).
constexpr std::string_view kV2 = R"SQL(
ALTER TABLE models ADD COLUMN duplicate_of TEXT;
ALTER TABLE measurements ADD COLUMN duplicate_of TEXT;
CREATE INDEX models_content ON models(content_hash);
)SQL";

// Version 3: sweeps submitted to Slurm as job arrays, and their sbatch
// submissions (the first one and each retry).
constexpr std::string_view kV3 = R"SQL(
CREATE TABLE slurm_arrays (
  id INTEGER PRIMARY KEY,
  plan_name TEXT NOT NULL,
  array_size INTEGER NOT NULL,
  results_dir TEXT NOT NULL,
  log_dir TEXT NOT NULL,
  plan_copy TEXT NOT NULL,             -- the pinned plan the tasks run
  cli_binary TEXT NOT NULL,            -- the pinned qidlab-cli
  options TEXT NOT NULL DEFAULT '{}',  -- JSON: sbatch options
  shards TEXT,                         -- JSON: cell ids per array index, NULL when unknown
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE TABLE slurm_submissions (
  id INTEGER PRIMARY KEY,
  array_id INTEGER NOT NULL REFERENCES slurm_arrays(id),
  job_id TEXT NOT NULL,                -- the array job id sbatch printed
  indices TEXT NOT NULL,               -- the --array spec it ran
  script TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'submit' CHECK (kind IN ('submit','retry')),
  submitted TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX slurm_submissions_array ON slurm_submissions(array_id, id);
)SQL";

// Version 4: weight fluctuation between adjacent checkpoints (Figure 12),
// one row per checkpoint, quantizer and bit width; a measurement finds its
// row through checkpoint_id and bits (analysis/fluctuation_store.h).
constexpr std::string_view kV4 = R"SQL(
CREATE TABLE weight_fluctuations (
  id INTEGER PRIMARY KEY,
  checkpoint_id TEXT NOT NULL,         -- the later checkpoint of the pair (= measurements.checkpoint_id)
  prev_checkpoint_id TEXT NOT NULL,
  run TEXT NOT NULL DEFAULT '',
  step INTEGER, prev_step INTEGER, tokens REAL, lr REAL, n_params REAL,
  method TEXT NOT NULL,                -- the data-free quantizer of the push (rtn, nf4, fp4)
  bits INTEGER NOT NULL,
  group_size INTEGER NOT NULL,
  movement TEXT NOT NULL,              -- JSON box statistics of |W_t - W_prev| over every block Linear
  push TEXT NOT NULL,                  -- JSON box statistics of |Q(W_t) - W_t|
  movement_median REAL, push_median REAL,
  ratio REAL,                          -- push_median / movement_median
  ratio_mean REAL,                     -- mean push / mean movement
  per_linear TEXT,                     -- JSON array: layer, linear, movement, push, ratio
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  UNIQUE (checkpoint_id, method, bits, group_size)
);
CREATE INDEX weight_fluctuations_checkpoint ON weight_fluctuations(checkpoint_id, bits);
)SQL";

}  // namespace

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> m{kV1, kV2, kV3, kV4};
  return m;
}

int latestSchemaVersion() { return int(migrations().size()); }

void migrate(Db& db, int target) {
  if (target < 0) target = latestSchemaVersion();
  // The common case, a project already current, takes no write lock, so
  // opening a project never waits for a running sweep's transaction.
  if (db.userVersion() == target) return;
  for (;;) {
    // Read the version inside the write transaction: two processes opening a
    // fresh project at once must not both apply a step.
    Transaction tx(db);
    int current = db.userVersion();
    if (current > latestSchemaVersion())
      throw Error(db.path() + ": project schema version " + std::to_string(current) +
                  " is newer than this QiD Lab understands (" +
                  std::to_string(latestSchemaVersion()) + "); upgrade QiD Lab");
    if (current >= target) return;
    db.exec(migrations()[size_t(current)]);
    db.setUserVersion(current + 1);
    tx.commit();
  }
}

}  // namespace qid::store
