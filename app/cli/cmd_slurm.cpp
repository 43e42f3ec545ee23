// qidlab-cli slurm: run a sweep plan as a Slurm job array (submit), see where
// it stands (status), bring its result files into the project (ingest,
// --follow until it ends), resubmit its failed tasks (retry) and cancel it
// (cancel). The logic
// lives in core/slurm; this file parses options and prints.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "progress_bar.h"
#include "slurm/index_list.h"
#include "slurm/sweep_cancel.h"
#include "slurm/sweep_ingest.h"
#include "slurm/sweep_status.h"
#include "slurm/sweep_submit.h"
#include "store/project.h"

namespace {

using namespace qid::slurm;
using nlohmann::json;

struct SlurmArgs {
  SweepSubmitRequest submit;
  std::string plan, project, resultsDir, logDir;
  std::string job;
  bool follow = false;
  double interval = 30;
  bool dryRun = false;
  bool json = false;
  bool quiet = false;
};

std::string countsLine(const SweepArrayStatus& st) {
  std::string out;
  for (auto s : {TaskState::Pending, TaskState::Running, TaskState::Done, TaskState::Failed, TaskState::Cancelled,
                 TaskState::Unknown}) {
    int n = st.count(s);
    if (!n) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(n);
    out += ' ';
    out += toString(s);
  }
  return out.empty() ? "no tasks" : out;
}

std::string cellsLine(const SweepArrayStatus& st) {
  if (st.cells < 0) return "cells unknown (plan with hub selectors)";
  return std::to_string(st.landed) + "/" + std::to_string(st.cells) + " cells landed, " +
         std::to_string(st.ingested) + " in the project";
}

void printStatus(const SweepArrayStatus& st, const std::string& project) {
  const auto& a = st.array;
  std::printf("Slurm array %s: plan '%s', %d tasks, results in %s\n", a.firstJobId().c_str(), a.planName.c_str(),
              a.arraySize, a.resultsDir.c_str());
  std::printf("  submissions:");
  for (const auto& s : a.submissions)
    std::printf(" %s%s [%s]", s.jobId.c_str(), s.kind == "retry" ? " (retry)" : "", s.indices.c_str());
  std::printf("\n  %-5s %-9s %-11s %-6s %5s %6s %8s  %s\n", "INDEX", "STATE", "SLURM", "EXIT", "CELLS", "LANDED",
              "INGESTED", "LOG");
  for (const auto& t : st.tasks) {
    std::string cells = t.cells < 0 ? "?" : std::to_string(t.cells);
    std::printf("  %-5d %-9s %-11s %-6s %5s %6d %8d  %s\n", t.index, toString(t.state).c_str(), t.slurmState.c_str(),
                t.exitCode.empty() ? "-" : t.exitCode.c_str(), cells.c_str(), t.landed, t.ingested,
                t.logPath.c_str());
  }
  for (const auto& t : st.tasks)
    if (!t.note.empty()) std::printf("  index %d: %s\n", t.index, t.note.c_str());
  std::printf("Tasks: %s. %s.%s\n", countsLine(st).c_str(), cellsLine(st).c_str(),
              st.accounting ? "" : " (no Slurm accounting: tasks are known while slurmctld remembers them)");
  auto retry = selectRetryIndices(st);
  if (!retry.empty() && st.finished())
    std::printf("To resubmit the unfinished tasks: qidlab-cli slurm retry --project %s\n", project.c_str());
}

qid::store::SlurmArrayRecord openArray(qid::store::Project& project, const std::string& job) {
  return findSlurmArray(project, job);
}

void runSubmit(SlurmArgs& a) {
  auto& r = a.submit;
  r.planPath = a.plan;
  r.resultsDir = a.resultsDir;
  r.logDir = a.logDir;
  r.dryRun = a.dryRun;
  SweepSubmitResult res;
  if (a.dryRun) {
    res = renderSubmission(r);
  } else {
    qid::store::Project project(a.project);
    res = submitSweep(project, r);
  }
  if (a.json) {
    json j{{"dry_run", res.dryRun}, {"job_id", res.jobId},          {"array_id", res.arrayId},
           {"array_size", res.arraySize}, {"cells", res.cells < 0 ? json(nullptr) : json(res.cells)},
           {"script_path", res.scriptPath.string()}, {"plan_copy", res.planCopy.string()},
           {"log_dir", res.logDir.string()}, {"script", res.script}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (res.dryRun) {
    std::fputs(res.script.c_str(), stdout);
    return;
  }
  std::printf("Submitted array job %s: %d tasks over %s cells of plan %s\n", res.jobId.c_str(), res.arraySize,
              res.cells < 0 ? "?" : std::to_string(res.cells).c_str(), a.plan.c_str());
  std::printf("  script %s\n  logs   %s/%s_<index>.out\n", res.scriptPath.string().c_str(),
              res.logDir.string().c_str(), res.jobId.c_str());
  std::printf("Follow it with: qidlab-cli slurm ingest --project %s --follow\n", a.project.c_str());
}

void runStatus(const SlurmArgs& a) {
  qid::store::Project project(a.project, qid::store::Project::Mode::OpenExisting);
  auto st = sweepStatus(project, openArray(project, a.job));
  if (a.json) std::cout << toJson(st).dump(2) << "\n";
  else printStatus(st, a.project);
}

void runIngest(const SlurmArgs& a) {
  qid::store::Project project(a.project, qid::store::Project::Mode::OpenExisting);
  auto array = openArray(project, a.job);
  if (!a.follow) {
    auto rep = ingestSweep(project, array);
    if (a.json) {
      std::cout << json{{"files", rep.files}, {"added", rep.added}, {"already_there", rep.alreadyThere},
                        {"errors", rep.errors}}.dump(2)
                << "\n";
    } else {
      std::printf("Ingested %s: %d result files, %d new, %d already in the project\n", array.resultsDir.c_str(),
                  rep.files, rep.added, rep.alreadyThere);
    }
    for (const auto& e : rep.errors) std::fprintf(stderr, "qidlab-cli: %s\n", e.c_str());
    if (!rep.errors.empty())
      throw qid::Error(std::to_string(rep.errors.size()) + " result file(s) could not be ingested (listed above)");
    return;
  }
  qid::cli::installCancelHandler();
  FollowOptions fo;
  fo.intervalS = a.interval;
  fo.stopRequested = [] { return qid::cli::interrupted(); };
  fo.onUpdate = [&](const FollowUpdate& u) {
    if (!a.quiet && !a.json) {
      std::printf("[round %d] +%d ingested; tasks: %s; %s\n", u.round, u.ingest.added, countsLine(u.status).c_str(),
                  cellsLine(u.status).c_str());
      std::fflush(stdout);
    }
    return !qid::cli::interrupted();
  };
  auto res = followSweep(project, array, fo);
  if (a.json) {
    json j = toJson(res.last);
    j["follow"] = {{"rounds", res.rounds}, {"added", res.added}, {"errors", res.errors}, {"stopped", res.stopped}};
    std::cout << j.dump(2) << "\n";
  }
  for (const auto& e : res.errors) std::fprintf(stderr, "qidlab-cli: %s\n", e.c_str());
  if (res.stopped) throw qid::Cancelled();
  if (!a.json) {
    std::printf("The array has ended: %s. %s.\n", countsLine(res.last).c_str(), cellsLine(res.last).c_str());
  }
  auto retry = selectRetryIndices(res.last);
  if (!retry.empty())
    throw qid::Error("the array ended with " + std::to_string(retry.size()) +
                     " unfinished task(s); resubmit them with: qidlab-cli slurm retry --project " + a.project);
  if (!res.errors.empty())
    throw qid::Error(std::to_string(res.errors.size()) + " result file(s) could not be ingested (listed above)");
}

void runRetry(const SlurmArgs& a) {
  qid::store::Project project(a.project, qid::store::Project::Mode::OpenExisting);
  auto array = openArray(project, a.job);
  auto res = retrySweep(project, array, a.dryRun);
  if (a.json) {
    std::cout << json{{"dry_run", res.dryRun}, {"indices", res.indices}, {"job_id", res.jobId},
                      {"script_path", res.scriptPath.string()}, {"script", res.script}}.dump(2)
              << "\n";
    return;
  }
  if (res.indices.empty()) {
    std::printf("Nothing to retry: every task of array %s is done, pending or running with its cells landed\n",
                array.firstJobId().c_str());
    return;
  }
  std::string list = formatIndexList(res.indices);
  if (res.dryRun) {
    std::printf("# would resubmit array indices %s of array %s\n", list.c_str(), array.firstJobId().c_str());
    std::fputs(res.script.c_str(), stdout);
    return;
  }
  std::printf("Resubmitted array indices %s of array %s as job %s (%s)\n", list.c_str(), array.firstJobId().c_str(),
              res.jobId.c_str(), res.scriptPath.string().c_str());
}

void runCancel(const SlurmArgs& a) {
  qid::store::Project project(a.project, qid::store::Project::Mode::OpenExisting);
  auto array = openArray(project, a.job);
  auto res = cancelSweep(array);
  if (a.json) {
    std::cout << json{{"job_ids", res.jobIds}, {"output", res.output}}.dump(2) << "\n";
    return;
  }
  std::string ids;
  for (const auto& id : res.jobIds) {
    if (!ids.empty()) ids += ", ";
    ids += id;
  }
  std::printf("Cancelled array %s (jobs %s). Landed cells stay; ingest them with: qidlab-cli slurm ingest --project %s\n",
              array.firstJobId().c_str(), ids.c_str(), a.project.c_str());
}

const char* kSubmitFooter =
    "Each task i runs `qidlab-cli sweep --plan PINNED --shard i/N --results-dir DIR` with a scratch project in "
    "$TMPDIR and writes one result file per cell into DIR; the plan is copied (with absolute paths) and the "
    "binary path fixed in the script, so later edits cannot change a running array. DIR must be on storage "
    "that this host and every node share (NFS, Lustre, GPFS); the pinned plan, the scripts and the logs "
    "(%A_%a.out) go into DIR/.qidlab-slurm/PLAN-TIME/. The plan and its cells are registered in the project "
    "as a local sweep would (a stored run of the same name must match). Environment variables are passed "
    "to the tasks (sbatch's default --export=ALL).\n"
    "Example: qidlab-cli slurm submit --plan plan.json --project study.qidlab --results-dir /shared/run1 "
    "--array-size 16 --max-running 8 --partition gpu --gres gpu:1 --time 04:00:00 --cpus-per-task 8";

const bool registered = qid::cli::registerCommand(
    {"slurm", 75, [](CLI::App& app) {
       auto* slurm = app.add_subcommand(
           "slurm",
           "Run a sweep plan on a Slurm cluster as a job array, follow it, ingest its results, retry failed tasks, "
           "cancel it");
       slurm->require_subcommand(1);
       auto a = std::make_shared<SlurmArgs>();

       auto* sub = slurm->add_subcommand("submit", "Submit a sweep plan as a Slurm job array (one shard per task)");
       sub->footer(kSubmitFooter);
       sub->add_option("--plan", a->plan, "Sweep plan JSON")->required();
       sub->add_option("--project", a->project, "Project file that records the job (created if missing)")->required();
       sub->add_option("--results-dir", a->resultsDir, "Shared folder the tasks write result files to")->required();
       sub->add_option("--array-size", a->submit.arraySize,
                       "N tasks; task i runs the cells with index % N == i (default: one per cell, at most 1000)")
           ->check(CLI::Range(1, 1000000));
       sub->add_option("--max-running", a->submit.maxRunning,
                       "At most this many tasks at once (the array's %N throttle)")
           ->check(CLI::Range(1, 1000000));
       sub->add_option("--partition,-p", a->submit.partition, "Slurm partition (sbatch --partition)");
       sub->add_option("--gres", a->submit.gres, "Generic resources per task, e.g. gpu:1 or gpu:a100:1");
       sub->add_option("--time,-t", a->submit.time, "Time limit per task: HH:MM:SS, MM:SS or D-HH:MM:SS");
       sub->add_option("--cpus-per-task,-c", a->submit.cpusPerTask, "CPU cores per task")->check(CLI::Range(1, 4096));
       sub->add_option("--extra-sbatch", a->submit.extraSbatch,
                       "More sbatch options, one #SBATCH line each, e.g. \"--mem=64G --account=proj --qos=long\"");
       sub->add_option("--job-name", a->submit.jobName, "Job name (default qidlab-PLAN)");
       sub->add_option("--log-dir", a->logDir, "Folder for the task logs (default DIR/.qidlab-slurm/PLAN-TIME/logs)");
       sub->add_option("--cli", a->submit.cliBinary,
                       "The qidlab-cli the tasks run, as seen from the nodes (default: this one)");
       sub->add_option("--sweep-arg", a->submit.sweepArgs,
                       "An argument added to every task's `qidlab-cli sweep` command; repeatable "
                       "(e.g. --sweep-arg=--workers=4)");
       sub->add_flag("--dry-run", a->dryRun, "Print the sbatch script; submit nothing, write nothing");
       sub->add_flag("--json", a->json, "Machine-readable output (job id, script path, the script)");
       sub->callback([a] { runSubmit(*a); });

       auto* st = slurm->add_subcommand(
           "status", "Show each array task (pending/running/done/failed/cancelled, exit code, log) and the cells "
                     "that have landed in the results folder and in the project");
       st->footer("Tasks come from scontrol, and from sacct when slurmctld has forgotten them and the cluster "
                  "keeps accounting. A retried index shows its latest attempt.");
       st->add_option("--project", a->project, "Project the array was submitted from")->required();
       st->add_option("--job", a->job, "Array job id (of the submission or a retry); default the latest array");
       st->add_flag("--json", a->json, "Machine-readable output");
       st->callback([a] { runStatus(*a); });

       auto* in = slurm->add_subcommand(
           "ingest", "Merge the result files that exist now into the project (idempotent); --follow keeps doing "
                     "so until the array ends");
       in->footer("With --follow it exits 0 once every task has ended with all its cells in the project, 1 if "
                  "some tasks ended unfinished (then run `slurm retry`), 130 on Ctrl-C.");
       in->add_option("--project", a->project, "Project the array was submitted from")->required();
       in->add_option("--job", a->job, "Array job id; default the latest array");
       in->add_flag("--follow,-f", a->follow, "Keep ingesting until no task is pending or running");
       in->add_option("--interval", a->interval, "Seconds between rounds with --follow (default 30)")
           ->check(CLI::Range(0.0, 86400.0));
       in->add_flag("--quiet,-q", a->quiet, "No line per round");
       in->add_flag("--json", a->json, "Machine-readable output");
       in->callback([a] { runIngest(*a); });

       auto* rt = slurm->add_subcommand(
           "retry", "Resubmit the array indices that ended without all their cells (failed, cancelled, timed "
                    "out, forgotten); cells already in the results folder are skipped");
       rt->footer("The retry uses the pinned plan, binary and sbatch options of the first submission. Indices "
                  "still pending or running are left alone.");
       rt->add_option("--project", a->project, "Project the array was submitted from")->required();
       rt->add_option("--job", a->job, "Array job id; default the latest array");
       rt->add_flag("--dry-run", a->dryRun, "Print which indices would be resubmitted and the script");
       rt->add_flag("--json", a->json, "Machine-readable output");
       rt->callback([a] { runRetry(*a); });

       auto* cn = slurm->add_subcommand(
           "cancel", "Cancel every task of the array still pending or running (scancel on the submission and "
                     "its retries); cells already landed stay and can be ingested");
       cn->add_option("--project", a->project, "Project the array was submitted from")->required();
       cn->add_option("--job", a->job, "Array job id; default the latest array");
       cn->add_flag("--json", a->json, "Machine-readable output");
       cn->callback([a] { runCancel(*a); });
     }});

}  // namespace
