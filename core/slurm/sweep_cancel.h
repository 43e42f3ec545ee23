#pragma once
// Cancelling a sweep submitted to Slurm: `scancel` for every submission of
// the array (the first one and each retry), so no task of it stays pending
// or running. Cells that already landed stay in the results folder and can
// still be ingested; a later `slurm retry` resubmits what is missing.
#include <string>
#include <vector>

#include "slurm/slurm_status.h"
#include "store/slurm_records.h"

namespace qid::slurm {

struct CancelResult {
  std::vector<std::string> jobIds;  // the array job ids scancel was given
  std::string output;               // what scancel printed (warnings about finished jobs)
};

// Runs `scancel ID...` with the array's job ids. A job that has already
// ended is not an error. Throws qid::Error with scancel's message when it
// fails otherwise (no scancel, no controller), or when the array has no
// submission.
CancelResult cancelSweep(const store::SlurmArrayRecord& array, const CommandRunner& run = systemRunner());

}  // namespace qid::slurm
