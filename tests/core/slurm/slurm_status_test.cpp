#include <gtest/gtest.h>

#include "common/error.h"
#include "slurm/sbatch_script.h"
#include "slurm/slurm_status.h"

using namespace qid::slurm;

namespace {

SubmitOptions validOptions() {
  SubmitOptions o;
  o.cliBinary = "/opt/qid/bin/qidlab-cli";
  o.planPath = "/shared/r/.qidlab-slurm/plan-abc.json";
  o.resultsDir = "/shared/r";
  o.logDir = "/shared/r/.qidlab-slurm/logs";
  o.arraySize = 3;
  return o;
}

}  // namespace

TEST(SbatchScript, RunsOneShardPerArrayTaskWithPinnedPlanAndBinary) {
  auto o = validOptions();
  o.partition = "gpu";
  o.gres = "gpu:1";
  o.time = "04:00:00";
  o.extraSbatch = "--mem=64G --constraint a100";
  std::string s = renderSbatchScript(o);
  EXPECT_EQ(s.rfind("#!/bin/bash\n", 0), 0u);
  EXPECT_NE(s.find("#SBATCH --array=0-2\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --partition=gpu\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --gres=gpu:1\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --time=04:00:00\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --mem=64G\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --constraint a100\n"), std::string::npos);
  EXPECT_NE(s.find("QIDLAB_CLI='/opt/qid/bin/qidlab-cli'"), std::string::npos);
  EXPECT_NE(s.find("PLAN='/shared/r/.qidlab-slurm/plan-abc.json'"), std::string::npos);
  EXPECT_NE(s.find("--shard \"${SLURM_ARRAY_TASK_ID}/3\""), std::string::npos);
  EXPECT_NE(s.find("--results-dir \"$RESULTS\""), std::string::npos);
}

TEST(SbatchScript, RetryArrayListsOnlyTheGivenIndices) {
  auto o = validOptions();
  o.arrayIndices = "1,2";
  std::string s = renderSbatchScript(o);
  EXPECT_NE(s.find("#SBATCH --array=1,2\n"), std::string::npos);
  EXPECT_NE(s.find("/3\""), std::string::npos);  // still shard i of 3
}

TEST(SbatchScript, RejectsBrokenOptions) {
  auto o = validOptions();
  o.resultsDir = "relative/dir";
  EXPECT_THROW(renderSbatchScript(o), qid::Error);
  o = validOptions();
  o.arraySize = 0;
  EXPECT_THROW(renderSbatchScript(o), qid::Error);
  o = validOptions();
  o.time = "four hours";
  EXPECT_THROW(renderSbatchScript(o), qid::Error);
  o = validOptions();
  o.partition = "gpu\nrm -rf /";
  EXPECT_THROW(renderSbatchScript(o), qid::Error);
  o = validOptions();
  o.arrayIndices = "1;reboot";
  EXPECT_THROW(renderSbatchScript(o), qid::Error);
}

TEST(SbatchScript, ShellQuoteSurvivesQuotes) {
  EXPECT_EQ(shellQuote("a b"), "'a b'");
  EXPECT_EQ(shellQuote("it's"), "'it'\\''s'");
}

TEST(SlurmStatus, ClassifiesSlurmStates) {
  EXPECT_EQ(classify("PENDING"), TaskState::Pending);
  EXPECT_EQ(classify("RUNNING"), TaskState::Running);
  EXPECT_EQ(classify("COMPLETED"), TaskState::Done);
  EXPECT_EQ(classify("FAILED"), TaskState::Failed);
  EXPECT_EQ(classify("OUT_OF_MEMORY"), TaskState::Failed);
  EXPECT_EQ(classify("TIMEOUT"), TaskState::Failed);
  EXPECT_EQ(classify("CANCELLED"), TaskState::Cancelled);
  EXPECT_EQ(classify("WEIRD"), TaskState::Unknown);
}

// Records in the format `scontrol show job -o` printed on the local cluster.
TEST(SlurmStatus, ParsesScontrolRecordsPerTask) {
  std::string text =
      "JobId=4 ArrayJobId=4 ArrayTaskId=1 JobName=j2.sh JobState=FAILED Reason=NonZeroExitCode "
      "ExitCode=3:0 StdOut=/tmp/qs/o-4_1.log\n"
      "JobId=5 ArrayJobId=4 ArrayTaskId=0 JobName=j2.sh JobState=CANCELLED Reason=None "
      "ExitCode=0:15 StdOut=/tmp/qs/o-4_0.log\n"
      "JobId=6 ArrayJobId=4 ArrayTaskId=2 JobName=j2.sh JobState=COMPLETED ExitCode=0:0 "
      "StdOut=/tmp/qs/o-4_2.log\n";
  auto st = parseScontrol("4", text);
  ASSERT_EQ(st.tasks.size(), 3u);
  EXPECT_EQ(st.tasks[0].index, 0);
  EXPECT_EQ(st.tasks[0].state, TaskState::Cancelled);
  EXPECT_EQ(st.tasks[1].state, TaskState::Failed);
  EXPECT_EQ(st.tasks[1].exitCode, "3:0");
  EXPECT_EQ(st.tasks[1].logPath, "/tmp/qs/o-4_1.log");
  EXPECT_EQ(st.tasks[2].state, TaskState::Done);
  EXPECT_TRUE(st.finished());
  EXPECT_EQ(st.count(TaskState::Failed), 1);
}

TEST(SlurmStatus, ExpandsAPendingRangeRecord) {
  auto st = parseScontrol("9", "JobId=9 ArrayJobId=9 ArrayTaskId=0-2%1 JobState=PENDING ExitCode=0:0\n");
  ASSERT_EQ(st.tasks.size(), 3u);
  EXPECT_EQ(st.count(TaskState::Pending), 3);
  EXPECT_FALSE(st.finished());
}

TEST(SlurmStatus, RetriedIndexKeepsTheNewestJob) {
  std::string text =
      "JobId=5 ArrayJobId=4 ArrayTaskId=1 JobState=FAILED ExitCode=1:0\n"
      "JobId=12 ArrayJobId=4 ArrayTaskId=1 JobState=COMPLETED ExitCode=0:0\n";
  auto st = parseScontrol("4", text);
  ASSERT_EQ(st.tasks.size(), 1u);
  EXPECT_EQ(st.tasks[0].jobId, "12");
  EXPECT_EQ(st.tasks[0].state, TaskState::Done);
}

TEST(SlurmStatus, QueryFillsForgottenTasksAndSubmitParsesTheId) {
  CommandRunner fake = [](const std::string& cmd) -> std::pair<int, std::string> {
    if (cmd.rfind("scontrol", 0) == 0) return {0, "JobId=8 ArrayJobId=7 ArrayTaskId=1 JobState=RUNNING\n"};
    if (cmd.rfind("sbatch --parsable", 0) == 0) return {0, "1234;cluster\n"};
    return {1, "unknown"};
  };
  auto st = queryArray("7", 3, fake);
  ASSERT_EQ(st.tasks.size(), 3u);
  EXPECT_EQ(st.tasks[0].state, TaskState::Unknown);
  EXPECT_EQ(st.tasks[1].state, TaskState::Running);
  EXPECT_EQ(submit("/tmp/x.sh", fake), "1234");
  CommandRunner failing = [](const std::string&) -> std::pair<int, std::string> {
    return {1, "sbatch: error: invalid partition specified: nope"};
  };
  try {
    submit("/tmp/x.sh", failing);
    FAIL() << "expected an error";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("invalid partition"), std::string::npos);
  }
}
