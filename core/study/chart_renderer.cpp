#include "study/chart_renderer.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

extern char** environ;

namespace qid::study {

namespace fs = std::filesystem;

std::vector<ChartJob> reproduceCharts(const fs::path& chartsDir, const fs::path& lawFile) {
  std::vector<ChartJob> out;
  for (const char* chart : {"tokens", "size", "bits", "lossq", "map", "predicted", "fluctuation", "fluctuation_ratio"})
    for (const char* ext : {".png", ".svg"}) out.push_back({chart, lawFile, chartsDir / (std::string(chart) + ext)});
  return out;
}

int runProgram(const std::vector<std::string>& argv, const fs::path& logFile) {
  if (argv.empty()) throw Error("internal: runProgram needs a program");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return 127;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 127;
}

std::vector<ChartOutcome> renderCharts(const fs::path& plotter, const fs::path& project,
                                       const std::vector<ChartJob>& jobs, const ProgressFn& progress) {
  std::vector<ChartOutcome> out;
  if (jobs.empty()) return out;
  fs::create_directories(jobs.front().out.parent_path());
  const fs::path log = jobs.front().out.parent_path() / "qidlab-plot.log";
  std::int64_t done = 0;
  for (const auto& job : jobs) {
    report(progress, {"charts", done, static_cast<std::int64_t>(jobs.size()), job.out.filename().string()});
    ChartOutcome o;
    o.job = job;
    std::error_code ec;
    fs::remove(job.out, ec);
    const int rc = runProgram({plotter.string(), "--project", project.string(), "--chart", job.chart, "--law",
                               job.law.string(), "--out", job.out.string()},
                              log);
    if (rc != 0) o.error = plotter.filename().string() + " exited with status " + std::to_string(rc) + " (see " + log.string() + ")";
    else if (!fs::exists(job.out)) o.error = plotter.filename().string() + " wrote no " + job.out.string();
    else o.ok = true;
    out.push_back(o);
    ++done;
  }
  report(progress, {"charts", done, done, ""});
  return out;
}

}  // namespace qid::study
