#pragma once
// The project's record of sweeps submitted to Slurm as job arrays
// (slurm/sweep_submit.h). One SlurmArrayRecord per `slurm submit`: the
// pinned plan copy and binary, the shared results folder, the sbatch options
// and which cells each array index runs; one SlurmSubmission per sbatch
// call (the first submission, then one per `slurm retry`).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace qid::store {

struct SlurmSubmission {
  std::int64_t id = 0;
  std::string jobId;    // the array job id sbatch printed
  std::string indices;  // the --array spec this submission ran: "0-2", "1,3"
  std::string script;   // path of the script it submitted
  std::string kind = "submit";  // submit | retry
  std::string submitted;        // UTC timestamp
};

struct SlurmArrayRecord {
  std::int64_t id = 0;
  std::string planName;
  int arraySize = 0;        // N: task i runs shard i/N
  std::string resultsDir;   // shared folder the tasks write result files to
  std::string logDir;       // %A_%a.out logs
  std::string planCopy;     // the pinned plan (absolute paths)
  std::string cliBinary;    // the pinned qidlab-cli
  nlohmann::json options = nlohmann::json::object();  // sbatch options (partition, gres, ...)
  // Cell ids per array index ([[id, ...], ...]); null when the plan could not
  // be expanded at submit time (hub selectors without a resolver).
  nlohmann::json shards;
  std::string created;
  std::vector<SlurmSubmission> submissions;  // oldest first

  // The array job id of the first submission ("" when none).
  std::string firstJobId() const { return submissions.empty() ? "" : submissions.front().jobId; }
};

}  // namespace qid::store
