#pragma once
// Submitting a sweep plan to Slurm as a job array, and resubmitting the
// array's failed tasks. This is the API `qidlab-cli slurm submit|retry` and
// the GUI's "Run on Slurm" share:
//
//   slurm::SweepSubmitRequest req;
//   req.planPath = "plan.json"; req.resultsDir = "/shared/run1"; req.arraySize = 8;
//   auto r = slurm::submitSweep(project, req);      // r.jobId, r.arrayId
//   auto st = slurm::sweepStatus(project, *project.slurmArray(r.arrayId));  (sweep_status.h)
//   slurm::followSweep(project, *project.slurmArray(r.arrayId), ...);       (sweep_ingest.h)
//   slurm::retrySweep(project, *project.slurmArray(r.arrayId));
//
// submitSweep registers the plan and its cells in the project exactly as a
// local `sweep` would (refusing a plan that differs from a stored run of the
// same name), writes a pinned copy of the plan and the sbatch script under
// RESULTS/.qidlab-slurm/<plan>-<time>/, submits it and records the job id,
// the array size, the results and log folders and each index's cells.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "jobs/sweep_plan.h"
#include "slurm/sbatch_script.h"
#include "slurm/slurm_status.h"
#include "store/slurm_records.h"

namespace qid::store {
class Project;
}

namespace qid::slurm {

struct SweepSubmitRequest {
  std::filesystem::path planPath;
  std::filesystem::path resultsDir;  // shared by the submit host and every node
  std::filesystem::path logDir;      // "" = RESULTS/.qidlab-slurm/<run>/logs
  std::string cliBinary;             // "" = defaultCliBinary()
  int arraySize = 0;                 // 0 = one task per cell, at most kMaxDefaultArraySize
  int maxRunning = 0;                // "%N": at most N tasks at once; 0 = no limit
  std::string partition, gres, time, extraSbatch;
  int cpusPerTask = 0;
  std::string jobName;               // "" = "qidlab-<plan name>"
  std::vector<std::string> sweepArgs;  // extra arguments of every task's `qidlab-cli sweep`
  bool dryRun = false;               // as renderSubmission(): no files, no sbatch, the project untouched
  jobs::ModelResolver resolver;      // for hub/suite selectors (cells unknown without it)
};

constexpr int kMaxDefaultArraySize = 1000;  // Slurm's default MaxArraySize is 1001

struct SweepSubmitResult {
  std::int64_t arrayId = 0;  // the project's record (0 on a dry run)
  std::string jobId;         // the array job id ("" on a dry run)
  std::string script;        // the sbatch script
  std::filesystem::path scriptPath, planCopy, logDir, runDir;
  int arraySize = 0;
  int cells = -1;            // cells in the plan (-1: unknown, selectors without a resolver)
  bool dryRun = false;
};

// Throws qid::Error for a bad plan or options, a plan that differs from a
// stored run of the same name, or a failed sbatch (with sbatch's message).
SweepSubmitResult submitSweep(store::Project& project, const SweepSubmitRequest& request,
                              const CommandRunner& run = systemRunner());

// A dry run without a project: the script submitSweep would submit, with
// nothing written, submitted or recorded.
SweepSubmitResult renderSubmission(const SweepSubmitRequest& request);

struct RetryResult {
  std::vector<int> indices;  // the array indices resubmitted (empty: nothing to retry)
  std::string jobId;         // the retry's array job id ("" on a dry run or when nothing to retry)
  std::string script;
  std::filesystem::path scriptPath;
  bool dryRun = false;
};

// Resubmits the array indices selectRetryIndices() picks (sweep_status.h),
// with the same pinned plan, binary and options, and records the submission.
// The retried tasks skip the cells whose result files already exist.
RetryResult retrySweep(store::Project& project, const store::SlurmArrayRecord& array, bool dryRun = false,
                       const CommandRunner& run = systemRunner());

// The qidlab-cli that tasks should run: this process when it is qidlab-cli,
// else a qidlab-cli next to this executable, else the first on $PATH; ""
// when there is none.
std::string defaultCliBinary();

// The sbatch options of a submission as stored in the project, and back.
nlohmann::json optionsToJson(const SubmitOptions& o);
SubmitOptions optionsFromJson(const nlohmann::json& j);

}  // namespace qid::slurm
