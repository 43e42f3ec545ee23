#include "slurm/sweep_submit.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "common/error.h"
#include "jobs/cell_runner.h"
#include "jobs/sweep.h"
#include "slurm/index_list.h"
#include "slurm/pinned_plan.h"
#include "slurm/sweep_status.h"
#include "store/project.h"

namespace qid::slurm {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Sweep::prepare() registers the plan and its cells; it never runs a cell.
class NoCellRunner : public jobs::CellRunner {
 public:
  std::string name() const override { return "slurm-submit"; }
  jobs::BaselineOutcome baseline(const jobs::CellSpec&, const jobs::RunContext&) override {
    throw Error("internal: slurm submit does not run cells");
  }
  jobs::QuantOutcome quantize(const jobs::CellSpec&, const store::Baseline&, const jobs::RunContext&) override {
    throw Error("internal: slurm submit does not run cells");
  }
};

std::string safeName(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out.empty() ? "plan" : out.substr(0, 60);
}

std::string timeStamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  std::random_device rd;
  return std::string(buf) + "-" + std::to_string(rd() % 100000);
}

void writeText(const fs::path& file, const std::string& text, bool executable = false) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(file.string() + ": cannot write");
  out << text;
  out.close();
  if (!out) throw Error(file.string() + ": write failed");
  if (executable)
    fs::permissions(file, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
}

json readPlanJson(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(file.string() + ": cannot read plan file");
  try {
    return json::parse(in);
  } catch (const json::parse_error& e) {
    throw Error(file.string() + ": invalid JSON: " + e.what());
  }
}

std::string joinQuoted(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) {
    if (!out.empty()) out += ' ';
    out += shellQuote(a);
  }
  return out;
}

}  // namespace

json optionsToJson(const SubmitOptions& o) {
  return {{"job_name", o.jobName},   {"partition", o.partition},     {"gres", o.gres},
          {"time", o.time},          {"cpus_per_task", o.cpusPerTask}, {"max_running", o.maxRunning},
          {"extra_sbatch", o.extraSbatch}, {"sweep_args", o.sweepArgs}, {"work_dir", o.workDir}};
}

SubmitOptions optionsFromJson(const json& j) {
  SubmitOptions o;
  o.jobName = j.value("job_name", o.jobName);
  o.partition = j.value("partition", "");
  o.gres = j.value("gres", "");
  o.time = j.value("time", "");
  o.cpusPerTask = j.value("cpus_per_task", 0);
  o.maxRunning = j.value("max_running", 0);
  o.extraSbatch = j.value("extra_sbatch", "");
  o.sweepArgs = j.value("sweep_args", "");
  o.workDir = j.value("work_dir", "");
  return o;
}

std::string defaultCliBinary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    if (self.filename() == "qidlab-cli") return self.string();
    fs::path sibling = self.parent_path() / "qidlab-cli";
    if (fs::exists(sibling)) return sibling.string();
  }
  if (const char* path = std::getenv("PATH")) {
    std::istringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      if (dir.empty()) continue;
      fs::path candidate = fs::path(dir) / "qidlab-cli";
      if (::access(candidate.c_str(), X_OK) == 0) return fs::absolute(candidate).string();
    }
  }
  return "";
}

namespace {

// project == nullptr: a dry run.
SweepSubmitResult submitOrRender(store::Project* project, const SweepSubmitRequest& req, const CommandRunner& run) {
  if (req.planPath.empty()) throw Error("slurm submit: --plan is required");
  if (req.resultsDir.empty()) throw Error("slurm submit: --results-dir is required (a folder every node can write)");
  const fs::path planFile = fs::absolute(req.planPath);
  json source = readPlanJson(planFile);
  jobs::SweepPlan plan = jobs::SweepPlan::parse(source, planFile.parent_path(), planFile.string());

  // The cells, as a local sweep would register them.
  std::vector<jobs::CellSpec> cells;
  bool cellsKnown = plan.modelSelectors.empty() || bool(req.resolver);
  NoCellRunner noRunner;
  jobs::SweepOptions sweepOptions;
  sweepOptions.resolver = req.resolver;
  std::unique_ptr<jobs::Sweep> sweep;
  if (cellsKnown) {
    if (!project) {
      cells = jobs::expandPlan(plan, req.resolver);
      jobs::resolveIdentities(cells);
    } else {
      sweep = std::make_unique<jobs::Sweep>(*project, plan, noRunner, sweepOptions);
      sweep->prepare();
      cells = sweep->cells();
    }
    if (cells.empty()) throw Error(planFile.string() + ": the plan has no cells");
  }

  SweepSubmitResult res;
  res.dryRun = !project;
  res.cells = cellsKnown ? int(cells.size()) : -1;
  int n = req.arraySize;
  if (n < 0) throw Error("slurm submit: --array-size must be at least 1");
  if (n == 0) {
    if (!cellsKnown)
      throw Error("slurm submit: the plan has hub/suite selectors, so its cells are not known here; give --array-size");
    n = std::min(int(cells.size()), kMaxDefaultArraySize);
  }
  if (cellsKnown && n > int(cells.size()))
    throw Error("slurm submit: --array-size " + std::to_string(n) + " is more than the plan's " +
                std::to_string(cells.size()) + " cells; some tasks would have nothing to do");
  res.arraySize = n;

  const fs::path results = fs::absolute(req.resultsDir).lexically_normal();
  res.runDir = results / ".qidlab-slurm" / (safeName(plan.name) + "-" + timeStamp());
  res.planCopy = res.runDir / "plan.json";
  res.scriptPath = res.runDir / "submit.sbatch";
  res.logDir = req.logDir.empty() ? res.runDir / "logs" : fs::absolute(req.logDir).lexically_normal();

  SubmitOptions o;
  o.cliBinary = req.cliBinary.empty() ? defaultCliBinary() : req.cliBinary;
  if (o.cliBinary.empty()) throw Error("slurm submit: cannot find qidlab-cli for the tasks to run; give its path");
  o.cliBinary = fs::absolute(o.cliBinary).lexically_normal().string();
  if (project && ::access(o.cliBinary.c_str(), X_OK) != 0)
    throw Error("slurm submit: " + o.cliBinary + " is not an executable qidlab-cli");
  o.planPath = res.planCopy.string();
  o.resultsDir = results.string();
  o.logDir = res.logDir.string();
  o.workDir = res.runDir.string();
  o.jobName = req.jobName.empty() ? "qidlab-" + safeName(plan.name) : req.jobName;
  o.arraySize = n;
  o.maxRunning = req.maxRunning;
  o.partition = req.partition;
  o.gres = req.gres;
  o.time = req.time;
  o.cpusPerTask = req.cpusPerTask;
  o.extraSbatch = req.extraSbatch;
  o.sweepArgs = joinQuoted(req.sweepArgs);
  res.script = renderSbatchScript(o);
  if (!project) return res;

  std::error_code ec;
  fs::create_directories(res.logDir, ec);
  if (ec) throw Error(res.logDir.string() + ": cannot create the log folder: " + ec.message());
  fs::create_directories(res.runDir, ec);
  if (ec) throw Error(res.runDir.string() + ": cannot create the submission folder: " + ec.message());
  writeText(res.planCopy, pinPlanPaths(source, planFile.parent_path()).dump(2) + "\n");
  writeText(res.scriptPath, res.script, true);

  res.jobId = submit(res.scriptPath.string(), run);

  store::SlurmArrayRecord rec;
  rec.planName = plan.name;
  rec.arraySize = n;
  rec.resultsDir = o.resultsDir;
  rec.logDir = o.logDir;
  rec.planCopy = o.planPath;
  rec.cliBinary = o.cliBinary;
  rec.options = optionsToJson(o);
  if (cellsKnown) {
    rec.shards = json::array();
    for (int i = 0; i < n; ++i) {
      json ids = json::array();
      for (const auto& c : jobs::selectShard(cells, std::to_string(i) + "/" + std::to_string(n))) ids.push_back(c.cellId);
      rec.shards.push_back(ids);
    }
  }
  store::SlurmSubmission sub;
  sub.jobId = res.jobId;
  sub.indices = std::string("0-") + std::to_string(n - 1);
  sub.script = res.scriptPath.string();
  sub.kind = "submit";
  rec.submissions.push_back(sub);
  try {
    res.arrayId = project->addSlurmArray(rec);
  } catch (const Error& e) {
    throw Error(std::string("slurm submit: job ") + res.jobId + " was submitted but could not be recorded in " +
                project->path().string() + ": " + e.what());
  }
  return res;
}

}  // namespace

SweepSubmitResult submitSweep(store::Project& project, const SweepSubmitRequest& req, const CommandRunner& run) {
  return submitOrRender(req.dryRun ? nullptr : &project, req, run);
}

SweepSubmitResult renderSubmission(const SweepSubmitRequest& req) {
  return submitOrRender(nullptr, req, [](const std::string&) -> std::pair<int, std::string> {
    throw Error("internal: a dry run runs no command");
  });
}

RetryResult retrySweep(store::Project& project, const store::SlurmArrayRecord& array, bool dryRun,
                       const CommandRunner& run) {
  RetryResult res;
  res.dryRun = dryRun;
  SweepArrayStatus status = sweepStatus(project, array, run);
  res.indices = selectRetryIndices(status);
  if (res.indices.empty()) return res;

  SubmitOptions o = optionsFromJson(array.options);
  o.cliBinary = array.cliBinary;
  o.planPath = array.planCopy;
  o.resultsDir = array.resultsDir;
  o.logDir = array.logDir;
  o.arraySize = array.arraySize;
  o.arrayIndices = formatIndexList(res.indices);
  res.script = renderSbatchScript(o);
  int retries = 0;
  for (const auto& s : array.submissions) retries += s.kind == "retry";
  res.scriptPath = fs::path(array.planCopy).parent_path() / (std::string("retry-") + std::to_string(retries + 1) + ".sbatch");
  if (dryRun) return res;

  if (!fs::exists(array.planCopy))
    throw Error("slurm retry: the pinned plan " + array.planCopy + " is gone; submit the plan again");
  writeText(res.scriptPath, res.script, true);
  res.jobId = submit(res.scriptPath.string(), run);
  store::SlurmSubmission sub;
  sub.jobId = res.jobId;
  sub.indices = o.arrayIndices;
  sub.script = res.scriptPath.string();
  sub.kind = "retry";
  project.addSlurmSubmission(array.id, sub);
  return res;
}

}  // namespace qid::slurm
