#include "slurm/slurm_status.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

#include <sys/wait.h>

#include "common/error.h"
#include "slurm/index_list.h"
#include "slurm/sbatch_script.h"

namespace qid::slurm {

std::string toString(TaskState s) {
  switch (s) {
    case TaskState::Pending: return "pending";
    case TaskState::Running: return "running";
    case TaskState::Done: return "done";
    case TaskState::Failed: return "failed";
    case TaskState::Cancelled: return "cancelled";
    case TaskState::Unknown: break;
  }
  return "unknown";
}

TaskState classify(const std::string& w) {
  if (w == "PENDING" || w == "CONFIGURING" || w == "REQUEUED" || w == "REQUEUE_HOLD" ||
      w == "RESV_DEL_HOLD" || w == "SUSPENDED")
    return TaskState::Pending;
  if (w == "RUNNING" || w == "COMPLETING" || w == "STAGE_OUT" || w == "SIGNALING" || w == "RESIZING")
    return TaskState::Running;
  if (w == "COMPLETED") return TaskState::Done;
  if (w == "CANCELLED") return TaskState::Cancelled;
  if (w == "FAILED" || w == "TIMEOUT" || w == "NODE_FAIL" || w == "OUT_OF_MEMORY" ||
      w == "BOOT_FAIL" || w == "DEADLINE" || w == "PREEMPTED" || w == "REVOKED")
    return TaskState::Failed;
  return TaskState::Unknown;
}

int ArrayStatus::count(TaskState s) const {
  return int(std::count_if(tasks.begin(), tasks.end(), [s](const TaskStatus& t) { return t.state == s; }));
}

bool ArrayStatus::finished() const {
  return count(TaskState::Pending) == 0 && count(TaskState::Running) == 0;
}

namespace {

std::map<std::string, std::string> fields(const std::string& line) {
  std::map<std::string, std::string> out;
  std::istringstream in(line);
  std::string tok;
  while (in >> tok) {
    auto eq = tok.find('=');
    if (eq == std::string::npos) continue;
    out[tok.substr(0, eq)] = tok.substr(eq + 1);
  }
  return out;
}

}  // namespace

ArrayStatus parseScontrol(const std::string& arrayJobId, const std::string& text) {
  ArrayStatus status;
  status.arrayJobId = arrayJobId;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto f = fields(line);
    if (!f.count("JobId")) continue;
    if (f.count("ArrayJobId") && f["ArrayJobId"] != arrayJobId) continue;
    const std::string& idx = f["ArrayTaskId"];
    if (idx.empty()) continue;
    // A pending array can be shown as one record with a range ("0-2" or "1,3").
    std::vector<int> indices;
    try {
      indices = parseIndexList(idx);
    } catch (const Error&) {
      continue;  // not a task index: ignore the record
    }
    for (int index : indices) {
      TaskStatus t;
      t.index = index;
      t.arrayJobId = f.count("ArrayJobId") ? f["ArrayJobId"] : arrayJobId;
      t.jobId = f["JobId"];
      t.rawState = f["JobState"];
      t.state = classify(t.rawState);
      t.exitCode = f["ExitCode"];
      t.logPath = f["StdOut"];
      status.tasks.push_back(t);
    }
  }
  std::sort(status.tasks.begin(), status.tasks.end(),
            [](const TaskStatus& a, const TaskStatus& b) { return a.index < b.index; });
  // A retried index appears twice; keep the newest job (highest job id).
  std::vector<TaskStatus> unique;
  for (const auto& t : status.tasks) {
    if (!unique.empty() && unique.back().index == t.index) {
      if (std::stoll("0" + t.jobId) > std::stoll("0" + unique.back().jobId)) unique.back() = t;
    } else {
      unique.push_back(t);
    }
  }
  status.tasks = std::move(unique);
  return status;
}

CommandRunner systemRunner() {
  return [](const std::string& command) -> std::pair<int, std::string> {
    std::string full = command + " 2>&1";
    FILE* pipe = popen(full.c_str(), "r");
    if (!pipe) throw Error("cannot run: " + command);
    std::string out;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
    int rc = pclose(pipe);
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + WTERMSIG(rc), out};
  };
}

ArrayStatus queryArray(const std::string& arrayJobId, int arraySize, const CommandRunner& run) {
  auto [rc, out] = run("scontrol show job -o " + shellQuote(arrayJobId));
  ArrayStatus status;
  if (rc == 0) {
    status = parseScontrol(arrayJobId, out);
  } else if (out.find("Invalid job id") != std::string::npos) {
    status.arrayJobId = arrayJobId;  // purged from slurmctld's memory
  } else {
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    throw Error("scontrol show job " + arrayJobId + " failed (exit " + std::to_string(rc) + "): " +
                (out.empty() ? "no output" : out));
  }
  // Fill in indices Slurm no longer knows about.
  for (int i = 0; i < arraySize; ++i) {
    bool known = std::any_of(status.tasks.begin(), status.tasks.end(),
                             [i](const TaskStatus& t) { return t.index == i; });
    if (!known) {
      TaskStatus t;
      t.index = i;
      t.state = TaskState::Unknown;
      t.rawState = "FORGOTTEN";
      status.tasks.push_back(t);
    }
  }
  std::sort(status.tasks.begin(), status.tasks.end(),
            [](const TaskStatus& a, const TaskStatus& b) { return a.index < b.index; });
  return status;
}

std::vector<TaskStatus> parseSacct(const std::string& text) {
  std::vector<TaskStatus> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::istringstream parts(line);
    std::string col;
    while (std::getline(parts, col, '|')) cols.push_back(col);
    if (cols.size() < 4) continue;
    const std::string& id = cols[0];
    auto us = id.find('_');
    if (us == std::string::npos || id.find('.') != std::string::npos) continue;  // not an array task, or a step
    std::string spec = id.substr(us + 1);
    if (!spec.empty() && spec.front() == '[' && spec.back() == ']') spec = spec.substr(1, spec.size() - 2);
    std::vector<int> indices;
    try {
      indices = parseIndexList(spec);
    } catch (const Error&) {
      continue;
    }
    std::string state = cols[2].substr(0, cols[2].find(' '));
    for (int index : indices) {
      TaskStatus t;
      t.index = index;
      t.arrayJobId = id.substr(0, us);
      t.jobId = indices.size() == 1 ? cols[1] : "";
      t.rawState = state;
      t.state = classify(state);
      t.exitCode = cols[3];
      out.push_back(t);
    }
  }
  return out;
}

std::optional<std::vector<TaskStatus>> querySacct(const std::vector<std::string>& arrayJobIds,
                                                  const CommandRunner& run) {
  if (arrayJobIds.empty()) return std::vector<TaskStatus>{};
  std::string ids;
  for (const auto& id : arrayJobIds) {
    if (!ids.empty()) ids += ',';
    ids += id;
  }
  auto [rc, out] = run("sacct -n -P -X -o JobID,JobIDRaw,State,ExitCode -j " + shellQuote(ids));
  if (rc != 0) return std::nullopt;  // "Slurm accounting storage is disabled", or no sacct
  return parseSacct(out);
}

std::string submit(const std::string& scriptPath, const CommandRunner& run, const std::string& extraArgs) {
  auto [rc, out] = run("sbatch --parsable " + extraArgs + (extraArgs.empty() ? "" : " ") + shellQuote(scriptPath));
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (rc != 0) throw Error("sbatch failed (exit " + std::to_string(rc) + "): " + out);
  std::string id = out.substr(0, out.find(';'));
  auto lastLine = id.rfind('\n');
  if (lastLine != std::string::npos) id = id.substr(lastLine + 1);
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw Error("sbatch printed no job id: " + out);
  return id;
}

}  // namespace qid::slurm
