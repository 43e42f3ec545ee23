#pragma once
// The sbatch script of a sweep submitted as a Slurm job array: task i of N
// runs `qidlab-cli sweep --shard i/N --results-dir DIR` on a pinned copy of
// the plan with a pinned binary, so a later edit of the plan cannot change a
// running array. Each task keeps its own scratch project in node-local
// $TMPDIR (SQLite must not live on NFS); its results reach the user's project
// only through the result files, which a retried task also finds, so it
// skips the cells that already landed.
#include <string>

namespace qid::slurm {

struct SubmitOptions {
  std::string cliBinary;    // absolute path of the qidlab-cli that tasks run
  std::string planPath;     // absolute path of the pinned plan copy
  std::string resultsDir;   // shared directory for per-cell result files
  std::string logDir;       // where %A_%a.out logs go
  std::string workDir;      // --chdir for the tasks ("" = sbatch's: the submit folder)
  std::string jobName = "qidlab-sweep";
  int arraySize = 1;        // N shards, tasks 0..N-1
  std::string arrayIndices; // e.g. "1,3" for a retry; empty = 0..N-1
  int maxRunning = 0;       // at most this many tasks at once ("%N"); 0 = no limit
  std::string partition;
  std::string gres;         // e.g. gpu:1
  std::string time;         // HH:MM:SS
  int cpusPerTask = 0;      // 0: Slurm's default
  std::string extraSbatch;  // extra "#SBATCH" options, space separated
  std::string sweepArgs;    // extra arguments passed to every `sweep` (already shell-quoted)
};

// Throws qid::Error on options that would produce a broken script.
std::string renderSbatchScript(const SubmitOptions& options);

// The log file of array task `index` of the array job `arrayJobId` (the
// script's --output pattern, %A_%a.out, filled in).
std::string taskLogPath(const std::string& logDir, const std::string& arrayJobId, int index);

// Quotes a string for a POSIX shell.
std::string shellQuote(const std::string& s);

}  // namespace qid::slurm
