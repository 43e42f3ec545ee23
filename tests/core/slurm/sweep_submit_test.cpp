// submitSweep / retrySweep against a scripted Slurm (fake_slurm.h): the
// pinned plan and script, the project's record, dry runs, bad requests, and
// which indices a retry resubmits.
#include "slurm/sweep_submit.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"
#include "fake_slurm.h"
#include "slurm/sweep_status.h"
#include "slurm_sweep_fixture.h"
#include "store/project.h"

using namespace qid::slurm;
using qid::store::Project;
using qid::test::FakeSlurm;
using qid::test::TempDir;
namespace fs = std::filesystem;

namespace {

SweepSubmitRequest requestFor(const TempDir& tmp, const fs::path& plan, int n = 3) {
  SweepSubmitRequest r;
  r.planPath = plan;
  r.resultsDir = tmp / "results";
  r.arraySize = n;
  r.cliBinary = QIDLAB_CLI_PATH;
  r.partition = "debug";
  r.sweepArgs = {"--runner", "fake"};
  return r;
}

std::vector<std::string> cellIdsOf(const fs::path& planFile) {
  auto cells = qid::jobs::expandPlan(qid::jobs::SweepPlan::load(planFile));
  qid::jobs::resolveIdentities(cells);
  std::vector<std::string> ids;
  for (const auto& c : cells) ids.push_back(c.cellId);
  return ids;
}

}  // namespace

TEST(SlurmSubmit, PinsThePlanSubmitsTheScriptAndRecordsTheArray) {
  TempDir tmp;
  auto planFile = qid::test::writeTinyPlanFile(tmp.path());
  Project project(tmp / "p.qidlab");
  FakeSlurm slurm;
  auto res = submitSweep(project, requestFor(tmp, planFile), slurm.runner());
  EXPECT_EQ(res.jobId, "100");
  EXPECT_EQ(res.cells, 12);
  EXPECT_EQ(res.arraySize, 3);
  ASSERT_EQ(slurm.submittedScripts.size(), 1u);
  EXPECT_EQ(slurm.submittedScripts[0], res.scriptPath.string());

  // The script: an array of 3, the pinned copy, the pinned binary, the extras.
  std::string script = qid::test::readFile(res.scriptPath);
  EXPECT_EQ(script, res.script);
  EXPECT_NE(script.find("#SBATCH --array=0-2\n"), std::string::npos);
  EXPECT_NE(script.find("#SBATCH --partition=debug\n"), std::string::npos);
  EXPECT_NE(script.find("PLAN=" + shellQuote(res.planCopy.string())), std::string::npos);
  EXPECT_NE(script.find("QIDLAB_CLI=" + shellQuote(QIDLAB_CLI_PATH)), std::string::npos);
  EXPECT_NE(script.find("'--runner' 'fake'"), std::string::npos);
  EXPECT_TRUE((fs::status(res.scriptPath).permissions() & fs::perms::owner_exec) != fs::perms::none);
  EXPECT_TRUE(fs::is_directory(res.logDir));

  // The pinned copy is independent of the original: editing or moving the
  // original changes nothing, and the copy expands to the same cells.
  auto original = cellIdsOf(planFile);
  qid::test::writeFile(planFile, "{\"name\": \"edited\"}");
  auto pinned = cellIdsOf(res.planCopy);
  EXPECT_EQ(pinned, original);
  EXPECT_EQ(res.planCopy.parent_path().parent_path(), fs::absolute(tmp / "results" / ".qidlab-slurm"));

  // The record, with the cells of each index as selectShard gives them.
  auto arrays = project.slurmArrays();
  ASSERT_EQ(arrays.size(), 1u);
  const auto& a = arrays[0];
  EXPECT_EQ(a.id, res.arrayId);
  EXPECT_EQ(a.planName, "tiny");
  EXPECT_EQ(a.arraySize, 3);
  EXPECT_EQ(a.resultsDir, fs::absolute(tmp / "results").lexically_normal().string());
  EXPECT_EQ(a.logDir, res.logDir.string());
  EXPECT_EQ(a.cliBinary, QIDLAB_CLI_PATH);
  EXPECT_EQ(a.options.value("partition", ""), "debug");
  ASSERT_EQ(a.submissions.size(), 1u);
  EXPECT_EQ(a.submissions[0].jobId, "100");
  EXPECT_EQ(a.submissions[0].indices, "0-2");
  ASSERT_TRUE(a.shards.is_array());
  ASSERT_EQ(a.shards.size(), 3u);
  std::set<std::string> all;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(a.shards[size_t(i)].size(), 4u);
    for (const auto& id : a.shards[size_t(i)]) {
      all.insert(id.get<std::string>());
      auto pos = std::find(original.begin(), original.end(), id.get<std::string>()) - original.begin();
      EXPECT_EQ(pos % 3, i) << "cell " << pos << " is not in shard " << i;
    }
  }
  EXPECT_EQ(all.size(), 12u);
  // The plan and its cells are registered as a local sweep registers them.
  auto plan = project.findPlan("tiny");
  ASSERT_TRUE(plan);
  EXPECT_EQ(project.cells(plan->id).size(), 12u);
}

TEST(SlurmSubmit, DryRunRendersWithoutWritingSubmittingOrTouchingTheProject) {
  TempDir tmp;
  auto planFile = qid::test::writeTinyPlanFile(tmp.path());
  auto req = requestFor(tmp, planFile, 0);  // default size: one task per cell
  req.maxRunning = 2;
  req.dryRun = true;
  auto res = renderSubmission(req);
  EXPECT_TRUE(res.dryRun);
  EXPECT_EQ(res.arraySize, 12);
  EXPECT_NE(res.script.find("#SBATCH --array=0-11%2\n"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp / "results"));

  Project project(tmp / "p.qidlab");
  FakeSlurm slurm;
  auto viaProject = submitSweep(project, req, slurm.runner());
  EXPECT_TRUE(viaProject.dryRun);
  EXPECT_TRUE(slurm.commands.empty());
  EXPECT_TRUE(project.slurmArrays().empty());
  EXPECT_FALSE(project.findPlan("tiny"));
}

TEST(SlurmSubmit, BadRequestsFailWithoutARecord) {
  TempDir tmp;
  auto planFile = qid::test::writeTinyPlanFile(tmp.path());
  Project project(tmp / "p.qidlab");
  FakeSlurm slurm;
  auto expectError = [&](SweepSubmitRequest r, const std::string& needle) {
    try {
      submitSweep(project, r, slurm.runner());
      ADD_FAILURE() << "expected an error containing " << needle;
    } catch (const qid::Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expectError(requestFor(tmp, planFile, 13), "more than the plan's 12 cells");
  auto r = requestFor(tmp, planFile);
  r.time = "soon";
  expectError(r, "--time");
  r = requestFor(tmp, planFile);
  r.planPath = tmp / "missing.json";
  expectError(r, "missing.json");
  r = requestFor(tmp, planFile);
  r.cliBinary = (tmp / "no-such-cli").string();
  expectError(r, "not an executable");
  slurm.sbatchError = "sbatch: error: invalid partition specified: nope";
  expectError(requestFor(tmp, planFile), "invalid partition");
  EXPECT_TRUE(project.slurmArrays().empty());

  // A plan that differs from the stored run of the same name is refused.
  slurm.sbatchError.clear();
  submitSweep(project, requestFor(tmp, planFile), slurm.runner());
  auto plan = nlohmann::json::parse(qid::test::readFile(planFile));
  plan["eval"]["windows"] = 3;
  qid::test::writeFile(planFile, plan.dump());
  expectError(requestFor(tmp, planFile), "differs");
  EXPECT_EQ(project.slurmArrays().size(), 1u);
}

TEST(SlurmRetry, ResubmitsOnlyTheIndicesWithMissingCells) {
  TempDir tmp;
  auto planFile = qid::test::writeTinyPlanFile(tmp.path());
  Project project(tmp / "p.qidlab");
  FakeSlurm slurm;
  auto sub = submitSweep(project, requestFor(tmp, planFile), slurm.runner());
  auto array = findSlurmArray(project);
  // Tasks 0 and 2 ran; task 1 was cancelled before it started.
  auto results = fs::path(array.resultsDir);
  qid::test::runShardLocally(sub.planCopy, results, 0, 3, tmp.path());
  qid::test::runShardLocally(sub.planCopy, results, 2, 3, tmp.path());
  slurm.scontrol["100"] = qid::test::scontrolLine("100", 0, "101", "COMPLETED") +
                          qid::test::scontrolLine("100", 1, "100", "CANCELLED", "0:15") +
                          qid::test::scontrolLine("100", 2, "102", "COMPLETED");
  auto dry = retrySweep(project, array, true, slurm.runner());
  EXPECT_EQ(dry.indices, std::vector<int>{1});
  EXPECT_EQ(slurm.submittedScripts.size(), 1u);  // nothing submitted
  EXPECT_FALSE(fs::exists(dry.scriptPath));

  auto res = retrySweep(project, array, false, slurm.runner());
  EXPECT_EQ(res.indices, std::vector<int>{1});
  EXPECT_EQ(res.jobId, "101");
  std::string script = qid::test::readFile(res.scriptPath);
  EXPECT_NE(script.find("#SBATCH --array=1\n"), std::string::npos);
  EXPECT_NE(script.find("--shard \"${SLURM_ARRAY_TASK_ID}/3\""), std::string::npos);
  EXPECT_NE(script.find("PLAN=" + shellQuote(sub.planCopy.string())), std::string::npos);
  EXPECT_NE(script.find("#SBATCH --partition=debug\n"), std::string::npos);  // same options
  array = findSlurmArray(project, "101");
  ASSERT_EQ(array.submissions.size(), 2u);
  EXPECT_EQ(array.submissions[1].kind, "retry");
  EXPECT_EQ(array.submissions[1].indices, "1");

  // While the retry runs, index 1 shows it and nothing is resubmitted.
  slurm.scontrol["101"] = qid::test::scontrolLine("101", 1, "101", "RUNNING");
  auto st = sweepStatus(project, array, slurm.runner());
  EXPECT_EQ(st.tasks[1].state, TaskState::Running);
  EXPECT_EQ(st.tasks[1].arrayJobId, "101");
  EXPECT_EQ(st.tasks[1].attempts, 2);
  EXPECT_TRUE(retrySweep(project, array, false, slurm.runner()).indices.empty());

  // The retried task landed its cells (exit code aside): nothing left to retry.
  qid::test::runShardLocally(sub.planCopy, results, 1, 3, tmp.path());
  slurm.scontrol["101"] = qid::test::scontrolLine("101", 1, "101", "FAILED", "1:0");
  st = sweepStatus(project, array, slurm.runner());
  EXPECT_EQ(st.landed, 12);
  EXPECT_TRUE(selectRetryIndices(st).empty());
  EXPECT_EQ(slurm.submittedScripts.size(), 2u);
}
