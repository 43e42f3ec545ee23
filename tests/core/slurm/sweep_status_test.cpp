// Status, retry selection and follow of a submitted array, with Slurm's
// answers scripted (fake_slurm.h) and the tasks' work done by local shards.
#include "slurm/sweep_status.h"

#include <gtest/gtest.h>

#include <chrono>

#include "common/error.h"
#include "fake_slurm.h"
#include "slurm/index_list.h"
#include "slurm/pinned_plan.h"
#include "slurm/sweep_ingest.h"
#include "slurm/sweep_submit.h"
#include "slurm_sweep_fixture.h"

using namespace qid::slurm;
using qid::store::Project;
using qid::test::FakeSlurm;
using qid::test::scontrolLine;
using qid::test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Submitted {
  TempDir tmp;
  FakeSlurm slurm;
  std::unique_ptr<Project> project;
  SweepSubmitResult sub;
  qid::store::SlurmArrayRecord array;

  Submitted() {
    auto planFile = qid::test::writeTinyPlanFile(tmp.path());
    project = std::make_unique<Project>(tmp / "p.qidlab");
    SweepSubmitRequest r;
    r.planPath = planFile;
    r.resultsDir = tmp / "results";
    r.arraySize = 3;
    r.cliBinary = QIDLAB_CLI_PATH;
    sub = submitSweep(*project, r, slurm.runner());
    array = findSlurmArray(*project);
  }
  void runTask(int i) { qid::test::runShardLocally(sub.planCopy, array.resultsDir, i, 3, tmp.path()); }
};

SweepTask task(int index, TaskState s, int cells, int landed) {
  SweepTask t;
  t.index = index;
  t.state = s;
  t.cells = cells;
  t.landed = landed;
  t.attempts = 1;
  return t;
}

}  // namespace

TEST(SlurmSweepStatus, TasksCarryStateExitCodeLogAndLandedCells) {
  Submitted s;
  s.runTask(0);
  s.slurm.scontrol["100"] = scontrolLine("100", 0, "101", "COMPLETED") + scontrolLine("100", 1, "102", "FAILED", "3:0") +
                            scontrolLine("100", 2, "100", "RUNNING");
  auto st = sweepStatus(*s.project, s.array, s.slurm.runner());
  ASSERT_EQ(st.tasks.size(), 3u);
  EXPECT_EQ(st.tasks[0].state, TaskState::Done);
  EXPECT_EQ(st.tasks[0].landed, 4);
  EXPECT_EQ(st.tasks[0].ingested, 0);
  EXPECT_EQ(st.tasks[1].state, TaskState::Failed);
  EXPECT_EQ(st.tasks[1].exitCode, "3:0");
  EXPECT_EQ(st.tasks[1].jobId, "102");
  EXPECT_EQ(st.tasks[1].logPath, s.array.logDir + "/100_1.out");
  EXPECT_EQ(st.tasks[1].missing.size(), 4u);
  EXPECT_EQ(st.tasks[2].state, TaskState::Running);
  EXPECT_FALSE(st.finished());
  EXPECT_EQ(st.cells, 12);
  EXPECT_EQ(st.landed, 4);
  EXPECT_FALSE(st.accounting);  // every task was known to scontrol: sacct not asked
  EXPECT_EQ(selectRetryIndices(st), std::vector<int>{1});  // 2 is still running

  auto rep = ingestSweep(*s.project, s.array);
  EXPECT_EQ(rep.added, 4);
  EXPECT_EQ(ingestSweep(*s.project, s.array).added, 0);  // idempotent
  st = sweepStatus(*s.project, s.array, s.slurm.runner());
  EXPECT_EQ(st.tasks[0].ingested, 4);
  EXPECT_EQ(st.ingested, 4);
  auto j = toJson(st);
  EXPECT_EQ(j["tasks"][1]["state"], "failed");
  EXPECT_EQ(j["counts"]["running"], 1);
  EXPECT_EQ(j["cells"]["landed"], 4);
  EXPECT_EQ(j["retry_indices"], nlohmann::json::array({1}));
  EXPECT_EQ(j["array"]["job_id"], "100");
}

TEST(SlurmSweepStatus, ForgottenTasksComeFromSacctOrTheirLandedCells) {
  Submitted s;
  s.runTask(0);
  // slurmctld has purged the job; no accounting: task 0 did all its work.
  auto st = sweepStatus(*s.project, s.array, s.slurm.runner());
  EXPECT_EQ(st.tasks[0].state, TaskState::Done);
  EXPECT_EQ(st.tasks[1].state, TaskState::Unknown);
  EXPECT_EQ(st.tasks[1].slurmState, "FORGOTTEN");
  EXPECT_FALSE(st.accounting);
  EXPECT_EQ(selectRetryIndices(st), (std::vector<int>{1, 2}));
  // With accounting (as sacct -n -P -X -o JobID,JobIDRaw,State,ExitCode prints it).
  s.slurm.sacctRc = 0;
  s.slurm.sacct = "100_0|101|COMPLETED|0:0\n100_1|102|CANCELLED by 0|0:15\n100_2|100|TIMEOUT|0:1\n";
  st = sweepStatus(*s.project, s.array, s.slurm.runner());
  EXPECT_TRUE(st.accounting);
  EXPECT_EQ(st.tasks[1].state, TaskState::Cancelled);
  EXPECT_EQ(st.tasks[1].slurmState, "CANCELLED");
  EXPECT_EQ(st.tasks[2].state, TaskState::Failed);
  EXPECT_EQ(st.tasks[2].jobId, "100");
  EXPECT_TRUE(st.finished());
}

// What the local cluster shows after `scancel ARRAY_1` while index 1 was
// pending: the index is simply gone from the array's records.
TEST(SlurmSweepStatus, AnIndexDroppedFromALiveArrayWithoutALogWasCancelledPending) {
  Submitted s;
  s.runTask(0);
  s.slurm.scontrol["100"] = scontrolLine("100", 0, "101", "COMPLETED") + scontrolLine("100", 2, "100", "RUNNING");
  auto st = sweepStatus(*s.project, s.array, s.slurm.runner());
  EXPECT_EQ(st.tasks[1].state, TaskState::Cancelled);
  EXPECT_NE(st.tasks[1].note.find("cancelled while pending"), std::string::npos);
  EXPECT_TRUE(st.tasks[0].note.empty());
  EXPECT_FALSE(st.finished());  // 2 still runs
  // With a log, the task did start: Slurm purged it, the outcome is unknown.
  qid::test::writeFile(st.tasks[1].logPath, "qidlab: task 1/3\n");
  st = sweepStatus(*s.project, s.array, s.slurm.runner());
  EXPECT_EQ(st.tasks[1].state, TaskState::Unknown);
  EXPECT_EQ(st.tasks[1].slurmState, "FORGOTTEN");
  EXPECT_EQ(selectRetryIndices(st), std::vector<int>{1});  // 1 has ended unfinished; 2 still runs
}

TEST(SlurmSweepStatus, AControllerThatCannotBeReachedIsAnError) {
  Submitted s;
  qid::slurm::CommandRunner down = [](const std::string&) -> std::pair<int, std::string> {
    return {1, "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"};
  };
  try {
    sweepStatus(*s.project, s.array, down);
    FAIL() << "expected an error";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("Unable to contact slurm controller"), std::string::npos) << e.what();
  }
}

TEST(SlurmSweepStatus, RetrySelection) {
  SweepArrayStatus st;
  st.tasks = {task(0, TaskState::Done, 4, 4),      task(1, TaskState::Failed, 4, 1),
              task(2, TaskState::Cancelled, 4, 0), task(3, TaskState::Pending, 4, 0),
              task(4, TaskState::Running, 4, 2),   task(5, TaskState::Failed, 4, 4),
              task(6, TaskState::Done, 4, 3),      task(7, TaskState::Unknown, 4, 0)};
  // 5 failed after landing everything: nothing to redo. 6 "completed" with a cell missing: redo.
  EXPECT_EQ(selectRetryIndices(st), (std::vector<int>{1, 2, 6, 7}));
  // Cells unknown: Slurm's word decides.
  SweepArrayStatus unknown;
  unknown.tasks = {task(0, TaskState::Done, -1, 0), task(1, TaskState::Failed, -1, 0),
                   task(2, TaskState::Cancelled, -1, 0), task(3, TaskState::Unknown, -1, 0),
                   task(4, TaskState::Running, -1, 0)};
  EXPECT_EQ(selectRetryIndices(unknown), (std::vector<int>{1, 2, 3}));
}

TEST(SlurmSweepStatus, FindsArraysByJobIdRecordIdOrLatest) {
  Submitted s;
  EXPECT_EQ(findSlurmArray(*s.project, "100").id, s.array.id);
  EXPECT_EQ(findSlurmArray(*s.project, "#" + std::to_string(s.array.id)).id, s.array.id);
  EXPECT_THROW(findSlurmArray(*s.project, "999"), qid::Error);
  Project empty(s.tmp / "empty.qidlab");
  try {
    findSlurmArray(empty);
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("empty.qidlab"), std::string::npos);
  }
}

TEST(SlurmFollow, IngestsRoundByRoundUntilTheArrayEnds) {
  Submitted s;
  int queries = 0;
  auto base = s.slurm.runner();
  qid::slurm::CommandRunner run = [&](const std::string& cmd) -> std::pair<int, std::string> {
    if (cmd.rfind("scontrol", 0) == 0) {
      ++queries;
      // Round 1: all running; round 2: 0 and 1 done; round 3: all done.
      std::string t0 = queries >= 2 ? "COMPLETED" : "RUNNING", t2 = queries >= 3 ? "COMPLETED" : "RUNNING";
      return {0, scontrolLine("100", 0, "101", t0) + scontrolLine("100", 1, "102", t0) +
                     scontrolLine("100", 2, "100", t2)};
    }
    return base(cmd);
  };
  std::vector<int> added;
  FollowOptions fo;
  fo.intervalS = 0;
  fo.onUpdate = [&](const FollowUpdate& u) {
    added.push_back(u.ingest.added);
    EXPECT_EQ(u.status.ingested, s.project->measurementCount());
    // The tasks' work lands between rounds.
    if (u.round == 1) {
      s.runTask(0);
      s.runTask(1);
    }
    if (u.round == 2) s.runTask(2);
    return true;
  };
  auto res = followSweep(*s.project, s.array, fo, run);
  EXPECT_EQ(res.rounds, 3);
  EXPECT_EQ(added, (std::vector<int>{0, 8, 4}));
  EXPECT_EQ(res.added, 12);
  EXPECT_FALSE(res.stopped);
  EXPECT_TRUE(res.last.finished());
  EXPECT_EQ(s.project->measurementCount(), 12);

  // A stop request ends a follow of a running array while it waits.
  queries = -100;
  FollowOptions stop;
  stop.intervalS = 60;
  int polls = 0;
  stop.stopRequested = [&] { return ++polls >= 2; };
  auto t0 = std::chrono::steady_clock::now();
  auto stopped = followSweep(*s.project, s.array, stop, run);
  EXPECT_TRUE(stopped.stopped);
  EXPECT_EQ(stopped.rounds, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(SlurmIndexList, FormatsAndParses) {
  EXPECT_EQ(formatIndexList({5, 0, 1, 2, 2, 7, 8}), "0-2,5,7-8");
  EXPECT_EQ(formatIndexList({}), "");
  EXPECT_EQ(parseIndexList("0-2,5,7-8"), (std::vector<int>{0, 1, 2, 5, 7, 8}));
  EXPECT_EQ(parseIndexList("3-4%1"), (std::vector<int>{3, 4}));
  for (const char* bad : {"", "a", "1-", "3-1", "1,,2", "1,", "-1", "0-99999999"})
    EXPECT_THROW(parseIndexList(bad), qid::Error) << bad;
}

TEST(SlurmSacct, ParsesTasksRangesAndSkipsSteps) {
  auto tasks = parseSacct(
      "7_0|8|COMPLETED|0:0\n"
      "7_1|9|CANCELLED by 1000|0:15\n"
      "7_[2-3]|7|PENDING|0:0\n"
      "7_0.batch|8.batch|COMPLETED|0:0\n"
      "12|12|COMPLETED|0:0\n"
      "garbage\n");
  ASSERT_EQ(tasks.size(), 4u);
  EXPECT_EQ(tasks[0].arrayJobId, "7");
  EXPECT_EQ(tasks[0].jobId, "8");
  EXPECT_EQ(tasks[1].state, TaskState::Cancelled);
  EXPECT_EQ(tasks[1].exitCode, "0:15");
  EXPECT_EQ(tasks[2].index, 2);
  EXPECT_EQ(tasks[3].index, 3);
  EXPECT_EQ(tasks[3].state, TaskState::Pending);
}

TEST(SlurmPinnedPlan, MakesPathsAbsoluteAndLeavesSelectors) {
  nlohmann::json plan = {{"name", "p"},
                         {"models", {"ckpt/a", "/abs/b", "suite:pythia-70m@main", {{"path", "../c"}, {"step", 3}},
                                     {{"hub", "org/x"}, {"revision", "main"}}}},
                         {"eval", {{"path", "data/eval.txt"}}},
                         {"calibration", {{"path", "/data/calib.txt"}}}};
  auto pinned = pinPlanPaths(plan, "/work/plans");
  EXPECT_EQ(pinned["models"][0], "/work/plans/ckpt/a");
  EXPECT_EQ(pinned["models"][1], "/abs/b");
  EXPECT_EQ(pinned["models"][2], "suite:pythia-70m@main");
  EXPECT_EQ(pinned["models"][3]["path"], "/work/c");
  EXPECT_EQ(pinned["models"][3]["step"], 3);
  EXPECT_EQ(pinned["models"][4], plan["models"][4]);
  EXPECT_EQ(pinned["eval"]["path"], "/work/plans/data/eval.txt");
  EXPECT_EQ(pinned["calibration"]["path"], "/data/calib.txt");
  EXPECT_THROW(pinPlanPaths(nlohmann::json::array(), "/"), qid::Error);
}
