#pragma once
// A QiD Lab project: one SQLite file (*.qidlab) holding models, evaluation
// datasets, cached 16-bit baselines, measurements, saved fits, sweep plans and
// the state of every sweep cell.
//
// Concurrency: the file is in WAL mode, so readers (the GUI, `results`) never
// block a running sweep and a sweep never blocks them. Open one Project per
// thread or process that reads; one Project object may also be shared by
// several worker threads (its methods are serialised internally).
// Crash safety: every finished cell is committed in its own transaction
// (commitCell) before the next starts, so a SIGKILL loses at most the cell in
// flight.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/measurement_filter.h"
#include "store/records.h"
#include "store/slurm_records.h"

namespace qid::store {

class Db;

class Project {
 public:
  enum class Mode { CreateOrOpen, OpenExisting };
  explicit Project(const std::filesystem::path& path, Mode mode = Mode::CreateOrOpen);
  ~Project();
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;

  const std::filesystem::path& path() const { return path_; }
  int schemaVersion();
  // "ok" when the file is sound (PRAGMA integrity_check).
  std::string integrityCheck();

  // Models and datasets.
  void upsertModel(const ModelRecord& m);
  std::vector<ModelRecord> models();
  std::optional<ModelRecord> findModel(const std::string& checkpointId);
  void upsertDataset(const std::string& hash, const std::string& path, std::int64_t bytes);

  // Baselines, keyed by Baseline::key.
  std::optional<Baseline> findBaseline(const std::string& key);
  void putBaseline(const Baseline& b);  // insert or keep the existing one

  // Measurements. insertMeasurement returns false when the cell id is already
  // there (ingest and import are idempotent).
  bool insertMeasurement(const Measurement& m);
  bool hasMeasurement(const std::string& cellId);
  std::vector<Measurement> measurements(const MeasurementFilter& filter = {}, bool forFit = false,
                                        bool withWindows = false);
  std::int64_t measurementCount();

  // Import (measurement_import.h): one transaction for a whole file. Models
  // are upserted, baselines kept when already there, measurements inserted
  // unless their cell id is there, and planned cells with those ids marked
  // done. Returns the number of measurements added.
  int importRecords(const std::vector<ModelRecord>& models, const std::vector<Baseline>& baselines,
                    const std::vector<Measurement>& measurements);

  // The one transaction a finished cell gets: its model, baseline and
  // measurement, and the cell marked done. Returns false if it already was.
  bool commitCell(const Measurement& m, const std::optional<ModelRecord>& model,
                  const std::optional<Baseline>& baseline);

  // Sweep plans and cells.
  std::optional<PlanRecord> findPlan(const std::string& name);
  std::int64_t createPlan(const std::string& name, const nlohmann::json& plan, const nlohmann::json& run);
  void updatePlanRun(std::int64_t planId, const nlohmann::json& run);
  void registerCells(std::int64_t planId, const std::vector<CellRecord>& cells);  // insert-or-ignore
  std::vector<CellRecord> cells(std::int64_t planId);
  std::map<std::string, CellState> cellStates(std::int64_t planId);
  void setCellState(const std::string& cellId, CellState state, const std::string& error = "");

  // Saved fits.
  std::int64_t saveFit(const FitRecord& fit);
  std::vector<FitRecord> fits();

  // Slurm job arrays (slurm/sweep_submit.h). addSlurmArray stores the array
  // and its submissions and returns its id; slurmArrays() lists them oldest
  // first, each with its submissions.
  std::int64_t addSlurmArray(const SlurmArrayRecord& array);
  std::int64_t addSlurmSubmission(std::int64_t arrayId, const SlurmSubmission& submission);
  std::vector<SlurmArrayRecord> slurmArrays();
  std::optional<SlurmArrayRecord> slurmArray(std::int64_t id);

  // Duplicate revisions: models with identical content but different claimed
  // steps. All but the one with the largest step are flagged (duplicate_of =
  // that one's checkpoint id), and so are their measurements. Measurements
  // whose checkpoint has no fingerprinted model here (imported from CSV) keep
  // the flag they came with. Returns the number of flagged models.
  int refreshDuplicates();

 private:
  std::filesystem::path path_;
  std::unique_ptr<Db> db_;
  std::recursive_mutex mutex_;

  bool insertMeasurementLocked(const Measurement& m);
  void upsertModelLocked(const ModelRecord& m);
  void putBaselineLocked(const Baseline& b);
};

}  // namespace qid::store
