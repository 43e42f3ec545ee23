#include "slurm/sweep_cancel.h"

#include <sstream>

#include "common/error.h"
#include "slurm/sbatch_script.h"

namespace qid::slurm {

namespace {

// scancel complains, and may exit non-zero, about a job that has already
// ended or that slurmctld has forgotten; neither stops a cancel.
bool onlyAboutEndedJobs(const std::string& out) {
  std::istringstream in(out);
  std::string line;
  bool any = false;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    any = true;
    if (line.find("already completing or completed") == std::string::npos &&
        line.find("Invalid job id") == std::string::npos)
      return false;
  }
  return any;
}

}  // namespace

CancelResult cancelSweep(const store::SlurmArrayRecord& array, const CommandRunner& run) {
  CancelResult res;
  for (const auto& s : array.submissions)
    if (!s.jobId.empty()) res.jobIds.push_back(s.jobId);
  if (res.jobIds.empty())
    throw Error(std::string("slurm cancel: array #") + std::to_string(array.id) + " (" + array.planName +
                ") has no submitted job");
  std::string cmd = "scancel";
  for (const auto& id : res.jobIds) {
    cmd += ' ';
    cmd += shellQuote(id);
  }
  auto [rc, out] = run(cmd);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (rc != 0 && !onlyAboutEndedJobs(out))
    throw Error(std::string("scancel failed (exit ") + std::to_string(rc) + "): " + (out.empty() ? "no output" : out));
  res.output = out;
  return res;
}

}  // namespace qid::slurm
