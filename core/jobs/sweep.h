#pragma once
// Runs a sweep plan into a project: expands the plan to cells, resolves their
// identities, refuses to resume a run that differs (fail closed, saying what
// differs), skips cells already done, and runs the rest on a JobEngine. Each
// finished cell is written to its result file (when a results folder is
// given) and committed to the project in its own transaction before the
// worker takes its next cell. A failed cell records its error and the sweep
// goes on; out-of-memory is retried with a smaller batch; each checkpoint's
// 16-bit baseline is computed once and shared by its cells.
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "jobs/cell_runner.h"
#include "jobs/job_engine.h"
#include "jobs/sweep_plan.h"

namespace qid::store {
class Project;
}

namespace qid::jobs {

struct SweepOptions {
  std::string shard;                 // "i/n" or "" for all cells
  std::filesystem::path resultsDir;  // "" = no result files
  int cpuWorkers = 1;
  std::vector<std::string> devices;  // GPU workers, one per device
  int bootstrapResamples = 2000;
  std::uint64_t bootstrapSeed = 0;
  int maxOomRetries = 3;             // batch / 2, / 4, / 8
  bool fullHash = false;             // hash every weight byte for identities
  ModelResolver resolver;            // hub/suite selectors
};

struct SweepSummary {
  int cells = 0;        // in this shard
  int alreadyDone = 0;  // skipped at start
  int recovered = 0;    // result files found for cells the project lacked
  int finished = 0, failed = 0, notRun = 0;
  bool stopped = false;
  std::vector<std::pair<std::string, std::string>> failures;  // cell label, error
};

class Sweep {
 public:
  Sweep(store::Project& project, SweepPlan plan, CellRunner& runner, SweepOptions options = {});
  ~Sweep();

  // Expands and resolves the plan, checks it against a stored run of the same
  // name (throws qid::Error listing every difference), registers the cells and
  // recovers result files already written. Called by run() when needed.
  void prepare();
  const std::vector<CellSpec>& cells() const { return cells_; }
  std::vector<CellSpec> pendingCells() const;

  // Runs the pending cells. `listener` sees every engine event; `stopRequested`
  // is polled and, once true, lets running cells finish and starts no more.
  SweepSummary run(const JobEngine::Listener& listener = {}, const std::function<bool()>& stopRequested = {});

  // A short human label for a cell: "tiny@step1000 gptq 3b g128".
  static std::string label(const CellSpec& c);

 private:
  void runCell(const CellSpec& c, TaskContext& ctx);
  store::Baseline baselineFor(const CellSpec& c, const RunContext& rc);
  nlohmann::json runDefinition() const;
  bool cellDone(std::map<std::string, store::CellState>& states, const std::string& cellId) const;

  store::Project& project_;
  SweepPlan plan_;
  CellRunner& runner_;
  SweepOptions options_;
  bool prepared_ = false;
  std::int64_t planId_ = 0;
  std::vector<CellSpec> cells_;
  int recovered_ = 0, alreadyDone_ = 0;
  std::mutex baselineMutex_;
  std::map<std::string, std::shared_ptr<std::mutex>> baselineLocks_;
};

// Lists what differs between two run definitions ("" when none).
std::string describeRunDifferences(const nlohmann::json& stored, const nlohmann::json& current);

}  // namespace qid::jobs
