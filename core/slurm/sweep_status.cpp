#include "slurm/sweep_status.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "common/error.h"
#include "slurm/index_list.h"
#include "slurm/sbatch_script.h"
#include "store/project.h"
#include "store/result_file.h"

namespace qid::slurm {

using nlohmann::json;
namespace fs = std::filesystem;

int SweepArrayStatus::count(TaskState s) const {
  return int(std::count_if(tasks.begin(), tasks.end(), [s](const SweepTask& t) { return t.state == s; }));
}

bool SweepArrayStatus::finished() const {
  return count(TaskState::Pending) == 0 && count(TaskState::Running) == 0;
}

SweepArrayStatus sweepStatus(store::Project& project, const store::SlurmArrayRecord& array, const CommandRunner& run) {
  std::vector<ArrayStatus> perSubmission;
  bool someoneForgotten = false;
  for (const auto& sub : array.submissions) {
    perSubmission.push_back(queryArray(sub.jobId, 0, run));
    for (int i : parseIndexList(sub.indices)) {
      const auto& tasks = perSubmission.back().tasks;
      if (std::none_of(tasks.begin(), tasks.end(), [i](const TaskStatus& t) { return t.index == i; }))
        someoneForgotten = true;
    }
  }
  std::optional<std::vector<TaskStatus>> sacct;
  if (someoneForgotten) {
    std::vector<std::string> ids;
    for (const auto& sub : array.submissions) ids.push_back(sub.jobId);
    sacct = querySacct(ids, run);
  }
  return composeStatus(project, array, perSubmission, sacct);
}

SweepArrayStatus composeStatus(store::Project& project, const store::SlurmArrayRecord& array,
                               const std::vector<ArrayStatus>& scontrol,
                               const std::optional<std::vector<TaskStatus>>& sacct) {
  SweepArrayStatus st;
  st.array = array;
  st.accounting = sacct.has_value();
  st.tasks.resize(size_t(std::max(0, array.arraySize)));
  for (int i = 0; i < array.arraySize; ++i) {
    st.tasks[size_t(i)].index = i;
    st.tasks[size_t(i)].slurmState = "NOT SUBMITTED";
  }
  // Later submissions (retries) override earlier ones for the indices they ran.
  for (size_t k = 0; k < array.submissions.size(); ++k) {
    const auto& sub = array.submissions[k];
    for (int i : parseIndexList(sub.indices)) {
      if (i < 0 || i >= array.arraySize) continue;
      SweepTask& t = st.tasks[size_t(i)];
      ++t.attempts;
      t.arrayJobId = sub.jobId;
      t.logPath = taskLogPath(array.logDir, sub.jobId, i);
      t.state = TaskState::Unknown;
      t.slurmState = "FORGOTTEN";
      t.exitCode.clear();
      t.jobId.clear();
      const TaskStatus* found = nullptr;
      if (k < scontrol.size())
        for (const auto& s : scontrol[k].tasks)
          if (s.index == i) found = &s;
      if (!found && sacct)
        for (const auto& s : *sacct)
          if (s.index == i && s.arrayJobId == sub.jobId) found = &s;
      t.note.clear();
      if (found) {
        t.state = found->state;
        t.slurmState = found->rawState;
        t.exitCode = found->exitCode;
        t.jobId = found->jobId;
      } else if (k < scontrol.size() && !scontrol[k].tasks.empty() && !fs::exists(t.logPath)) {
        t.state = TaskState::Cancelled;
        t.slurmState = "CANCELLED";
        t.note = "dropped from its array by slurmctld before it started (no log): cancelled while pending";
      }
    }
  }
  // Cells: what landed in the results folder, what the project holds.
  if (array.shards.is_array()) {
    st.cells = 0;
    for (auto& t : st.tasks) {
      if (size_t(t.index) >= array.shards.size()) continue;
      const json& ids = array.shards[size_t(t.index)];
      t.cells = int(ids.size());
      for (const auto& idj : ids) {
        std::string id = idj.get<std::string>();
        if (fs::exists(store::resultFilePath(array.resultsDir, id))) ++t.landed;
        else t.missing.push_back(id);
        if (project.hasMeasurement(id)) ++t.ingested;
      }
      // slurmctld forgot the task and no accounting remembers it, but its
      // work is all there: it finished.
      if (t.state == TaskState::Unknown && t.attempts > 0 && t.cells > 0 && t.landed == t.cells) {
        t.state = TaskState::Done;
        t.note = "forgotten by Slurm; all its cells landed";
      }
      st.cells += t.cells;
      st.landed += t.landed;
      st.ingested += t.ingested;
    }
  }
  return st;
}

std::vector<int> selectRetryIndices(const SweepArrayStatus& status) {
  std::vector<int> out;
  for (const auto& t : status.tasks) {
    if (t.state == TaskState::Pending || t.state == TaskState::Running) continue;
    bool retry;
    if (t.cells >= 0) retry = t.landed < t.cells;
    else retry = t.state == TaskState::Failed || t.state == TaskState::Cancelled || t.state == TaskState::Unknown;
    if (retry) out.push_back(t.index);
  }
  return out;
}

json toJson(const SweepArrayStatus& st) {
  const auto& a = st.array;
  json subs = json::array();
  for (const auto& s : a.submissions)
    subs.push_back({{"job_id", s.jobId}, {"indices", s.indices}, {"kind", s.kind}, {"script", s.script},
                    {"submitted", s.submitted}});
  json tasks = json::array();
  for (const auto& t : st.tasks) {
    tasks.push_back({{"index", t.index},
                     {"state", toString(t.state)},
                     {"slurm_state", t.slurmState},
                     {"exit_code", t.exitCode},
                     {"array_job_id", t.arrayJobId},
                     {"job_id", t.jobId},
                     {"log", t.logPath},
                     {"note", t.note},
                     {"attempts", t.attempts},
                     {"cells", t.cells < 0 ? json(nullptr) : json(t.cells)},
                     {"landed", t.landed},
                     {"ingested", t.ingested},
                     {"missing", t.missing}});
  }
  json counts = json::object();
  for (auto s : {TaskState::Pending, TaskState::Running, TaskState::Done, TaskState::Failed, TaskState::Cancelled,
                 TaskState::Unknown})
    counts[toString(s)] = st.count(s);
  return {{"array",
           {{"id", a.id},
            {"plan", a.planName},
            {"job_id", a.firstJobId()},
            {"array_size", a.arraySize},
            {"results_dir", a.resultsDir},
            {"log_dir", a.logDir},
            {"plan_copy", a.planCopy},
            {"cli_binary", a.cliBinary},
            {"options", a.options},
            {"created", a.created},
            {"submissions", subs}}},
          {"tasks", tasks},
          {"counts", counts},
          {"cells", {{"total", st.cells < 0 ? json(nullptr) : json(st.cells)}, {"landed", st.landed},
                     {"ingested", st.ingested}}},
          {"accounting", st.accounting},
          {"finished", st.finished()},
          {"retry_indices", selectRetryIndices(st)}};
}

store::SlurmArrayRecord findSlurmArray(store::Project& project, const std::string& which) {
  auto arrays = project.slurmArrays();
  if (arrays.empty())
    throw Error(project.path().string() + ": no Slurm job array was submitted from this project (use `slurm submit`)");
  if (which.empty()) return arrays.back();
  if (which[0] == '#') {
    for (const auto& a : arrays)
      if (which.substr(1) == std::to_string(a.id)) return a;
  } else {
    for (auto it = arrays.rbegin(); it != arrays.rend(); ++it)
      for (const auto& s : it->submissions)
        if (s.jobId == which) return *it;
  }
  throw Error(project.path().string() + ": no Slurm job array " + which + " in this project");
}

}  // namespace qid::slurm
