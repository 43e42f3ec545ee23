#pragma once
// A scripted stand-in for the Slurm commands (sbatch, scontrol, sacct, scancel) behind
// a slurm::CommandRunner, for the tests that need no cluster.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "slurm/slurm_status.h"

namespace qid::test {

struct FakeSlurm {
  int nextJobId = 100;
  std::vector<std::string> commands;              // every command line run
  std::vector<std::string> submittedScripts;      // script paths given to sbatch
  std::map<std::string, std::string> scontrol;    // array job id -> `scontrol show job -o` text
  std::string sacct;                              // "" with sacctRc != 0: accounting disabled
  int sacctRc = 1;
  std::string sbatchError;                        // non-empty: sbatch fails with this
  int scancelRc = 0;                              // scancel's exit code and output
  std::string scancelOutput;

  slurm::CommandRunner runner() {
    return [this](const std::string& cmd) -> std::pair<int, std::string> {
      commands.push_back(cmd);
      if (cmd.rfind("sbatch --parsable ", 0) == 0) {
        if (!sbatchError.empty()) return {1, sbatchError};
        std::string path = cmd.substr(cmd.rfind(' ') + 1);
        if (path.size() >= 2 && path.front() == '\'') path = path.substr(1, path.size() - 2);
        submittedScripts.push_back(path);
        return {0, std::to_string(nextJobId++) + "\n"};
      }
      if (cmd.rfind("scontrol show job -o ", 0) == 0) {
        std::string id = cmd.substr(std::string("scontrol show job -o ").size());
        if (id.size() >= 2 && id.front() == '\'') id = id.substr(1, id.size() - 2);
        auto it = scontrol.find(id);
        if (it == scontrol.end()) return {1, "slurm_load_jobs error: Invalid job id specified\n"};
        return {0, it->second};
      }
      if (cmd.rfind("scancel ", 0) == 0) return {scancelRc, scancelOutput};
      if (cmd.rfind("sacct ", 0) == 0) {
        if (sacctRc != 0) return {sacctRc, "Slurm accounting storage is disabled\n"};
        return {0, sacct};
      }
      return {127, "fake slurm: unknown command " + cmd};
    };
  }
};

// One `scontrol show job -o` line of an array task, as the local cluster prints it.
inline std::string scontrolLine(const std::string& arrayId, int index, const std::string& taskJobId,
                                const std::string& state, const std::string& exit = "0:0") {
  return "JobId=" + taskJobId + " ArrayJobId=" + arrayId + " ArrayTaskId=" + std::to_string(index) +
         " JobName=qidlab-tiny UserId=root(0) JobState=" + state + " Reason=None ExitCode=" + exit +
         " StdOut=/logs/" + arrayId + "_" + std::to_string(index) + ".out\n";
}

}  // namespace qid::test
