#pragma once
// The state of a Slurm job array, read from `scontrol show job -o` (one line
// per task; finished tasks stay there for MinJobAge) and, where the cluster
// keeps accounting, `sacct` (which remembers tasks after that). The commands
// run through an injectable runner so the parsing is testable.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qid::slurm {

enum class TaskState { Pending, Running, Done, Failed, Cancelled, Unknown };
std::string toString(TaskState s);

struct TaskStatus {
  int index = -1;          // array index
  std::string arrayJobId;  // the array's job id
  std::string jobId;       // the task's own job id
  std::string rawState;    // Slurm's word: PENDING, RUNNING, COMPLETED, FAILED, ...
  TaskState state = TaskState::Unknown;
  std::string exitCode;    // "0:0"
  std::string logPath;     // StdOut
};

struct ArrayStatus {
  std::string arrayJobId;
  std::vector<TaskStatus> tasks;  // sorted by index
  int count(TaskState s) const;
  bool finished() const;          // no task pending or running
};

// Maps a Slurm job state word to our states.
TaskState classify(const std::string& slurmState);

// Parses the output of `scontrol show job -o ARRAYID` (one record per line).
ArrayStatus parseScontrol(const std::string& arrayJobId, const std::string& text);

// Parses `sacct -n -P -X -o JobID,JobIDRaw,State,ExitCode` (one task per
// line, "ARRAYID_INDEX|RAWID|STATE|EXIT"; a pending range is "ARRAYID_[0-2]";
// "CANCELLED by 0" counts as CANCELLED). Lines that are not array tasks are
// skipped.
std::vector<TaskStatus> parseSacct(const std::string& text);

// Runs a shell command and returns (exit code, stdout). The default runs it
// with popen; tests pass a fake.
using CommandRunner = std::function<std::pair<int, std::string>(const std::string&)>;
CommandRunner systemRunner();

// Queries the array. Tasks that Slurm has forgotten (past MinJobAge) are
// reported as Unknown by index up to arraySize (0: no filling). A job id that
// slurmctld no longer knows gives no tasks; any other scontrol failure (no
// controller, no Slurm installed) throws qid::Error with its message.
ArrayStatus queryArray(const std::string& arrayJobId, int arraySize, const CommandRunner& run);

// The tasks of the given arrays according to sacct, or nullopt when the
// cluster keeps no accounting (or sacct is missing or fails).
std::optional<std::vector<TaskStatus>> querySacct(const std::vector<std::string>& arrayJobIds,
                                                  const CommandRunner& run);

// Submits a script with `sbatch --parsable` and returns the job id.
std::string submit(const std::string& scriptPath, const CommandRunner& run,
                   const std::string& extraArgs = "");

}  // namespace qid::slurm
