#pragma once
// Bringing a Slurm array's results into the project: ingestSweep() merges
// the result files that exist now (idempotent: a cell already there adds
// nothing); followSweep() keeps doing so until the array has ended, for the
// terminal (`slurm ingest --follow`) and the GUI's job panel.
#include <functional>

#include "slurm/sweep_status.h"
#include "store/result_file.h"

namespace qid::slurm {

// Ingests every result file in the array's results folder (none yet: an
// empty report).
store::IngestReport ingestSweep(store::Project& project, const store::SlurmArrayRecord& array);

struct FollowUpdate {
  int round = 0;
  store::IngestReport ingest;  // this round's
  SweepArrayStatus status;     // as queried just before this round's ingest
};

struct FollowOptions {
  double intervalS = 30;  // between rounds
  // Called after every round; false stops following.
  std::function<bool(const FollowUpdate&)> onUpdate;
  // Polled about every 100 ms while waiting; true stops following.
  std::function<bool()> stopRequested;
};

struct FollowResult {
  int rounds = 0;
  int added = 0, alreadyThere = 0;
  std::vector<std::string> errors;  // unreadable result files, each once
  SweepArrayStatus last;
  bool stopped = false;  // by onUpdate or stopRequested, before the array ended
};

// Rounds of (status, ingest) until the status shows no task pending or
// running. Each round queries Slurm before it ingests, so the last round
// ingests everything the finished tasks wrote.
FollowResult followSweep(store::Project& project, const store::SlurmArrayRecord& array, const FollowOptions& options,
                         const CommandRunner& run = systemRunner());

}  // namespace qid::slurm
