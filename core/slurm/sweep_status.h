#pragma once
// Where a sweep submitted to Slurm stands: each array index's latest task
// (pending / running / done / failed / cancelled, with its exit code and log)
// from scontrol, or from sacct when slurmctld has forgotten it and the cluster
// keeps accounting; and, per index, how many of its cells have landed in the
// results folder and how many are in the project. Also which indices a retry
// should resubmit.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "slurm/slurm_status.h"
#include "store/slurm_records.h"

namespace qid::store {
class Project;
}

namespace qid::slurm {

struct SweepTask {
  int index = 0;
  TaskState state = TaskState::Unknown;
  std::string slurmState;  // Slurm's word, or FORGOTTEN when neither scontrol nor sacct knows the task
  std::string exitCode;    // "code:signal" as Slurm gives it; "" when unknown
  std::string arrayJobId;  // the submission that ran it last
  std::string jobId;       // the task's own job id, when known
  std::string logPath;
  std::string note;        // how the state was inferred when Slurm no longer says
  int attempts = 0;        // submissions that included this index
  int cells = -1;          // cells in its shard; -1 when unknown
  int landed = 0;          // of those, result files in the results folder
  int ingested = 0;        // of those, measurements in the project
  std::vector<std::string> missing;  // cell ids with no result file yet
};

struct SweepArrayStatus {
  store::SlurmArrayRecord array;
  std::vector<SweepTask> tasks;  // by index, 0..N-1
  bool accounting = false;       // sacct answered
  int cells = -1, landed = 0, ingested = 0;  // totals (cells -1: unknown)

  int count(TaskState s) const;
  bool finished() const;  // no task pending or running
};

// Slurm without accounting keeps no trace of a pending array task that was
// cancelled (slurmctld just drops the index from the array), and forgets
// finished tasks after MinJobAge. So when neither scontrol nor sacct knows a
// task: all its cells landed -> done; its array is still known to slurmctld
// but the task never started (no log file) -> cancelled; otherwise unknown
// (FORGOTTEN). `note` says which inference was made.
//
// Queries Slurm and the results folder. Throws qid::Error when scontrol
// fails for another reason than a forgotten job (no controller, no Slurm).
SweepArrayStatus sweepStatus(store::Project& project, const store::SlurmArrayRecord& array,
                             const CommandRunner& run = systemRunner());

// The same from already-queried Slurm answers (scontrol's per submission,
// sacct's if any): no commands run. sweepStatus() calls this.
SweepArrayStatus composeStatus(store::Project& project, const store::SlurmArrayRecord& array,
                               const std::vector<ArrayStatus>& scontrolPerSubmission,
                               const std::optional<std::vector<TaskStatus>>& sacct);

// The indices a retry resubmits: tasks that are neither pending nor running
// and have cells without a result file; when the cells are unknown, tasks
// that failed, were cancelled or were forgotten. A task whose cells have all
// landed is never resubmitted, whatever Slurm says of it.
std::vector<int> selectRetryIndices(const SweepArrayStatus& status);

nlohmann::json toJson(const SweepArrayStatus& status);

// The project's Slurm array named by `which`: "" = the latest, a job id of
// any of its submissions, or "#N" for record id N. Throws qid::Error naming
// the project when there is none.
store::SlurmArrayRecord findSlurmArray(store::Project& project, const std::string& which = "");

}  // namespace qid::slurm
