// qidlab-cli sweep and ingest end to end with the fake runner (fast, no
// model runtime): resume, SIGKILL and SIGINT, kills during writes, shards +
// ingest, idempotent ingest, failing cells. The real runner's end-to-end test
// is sweep_real_cli_test.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "core/jobs/sweep_fixture.h"
#include "store/project.h"
#include "support/child_process.h"
#include "test_support.h"

namespace qid::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using store::Project;

class SweepCli : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path plan = tmp / "plan.json";
  fs::path project = tmp / "p.qidlab";

  void SetUp() override { writeFile(plan, tinyPlan(tmp.path()).dump()); }

  RunResult sweep(const std::string& args, const std::string& env = "") const {
    return runShell("env " + env + " QIDLAB_FAKE_CELL_MS=0 '" + std::string(QIDLAB_CLI_PATH) + "' sweep --runner fake --plan '" +
                    plan.string() + "' " + args);
  }
  std::unique_ptr<ChildProcess> startSweep(int cellMs, const std::vector<std::string>& extra = {},
                                           const fs::path& err = "/dev/null") const {
    std::vector<std::string> argv{QIDLAB_CLI_PATH, "sweep", "--runner", "fake", "--plan", plan.string(),
                                  "--project", project.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<ChildProcess>(argv, std::vector<std::string>{"QIDLAB_FAKE_CELL_MS=" + std::to_string(cellMs)},
                                          "/dev/null", err);
  }
  static std::map<std::string, double> deltas(Project& p) {
    std::map<std::string, double> out;
    for (const auto& m : p.measurements({}, false, false)) out[m.cellId] = m.delta;
    return out;
  }
};

TEST_F(SweepCli, DryRunListsTheCellsAndRunsNothing) {
  auto r = sweep("--project '" + project.string() + "' --dry-run --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = json::parse(r.out);
  ASSERT_EQ(j["cells"].size(), 12u);
  EXPECT_EQ(j["to_run"], 12);
  EXPECT_EQ(j["cells"][0]["state"], "pending");
  EXPECT_EQ(j["cells"][0]["label"], "step1000@step1000 rtn 2b g128");
  EXPECT_FALSE(fs::exists(project));
  auto shard = sweep("--dry-run --shard 1/2");
  ASSERT_EQ(shard.exitCode, 0) << shard.err;
  EXPECT_NE(shard.out.find("6 cells in shard 1/2, 6 to run"), std::string::npos) << shard.out;
  auto bad = sweep("--project '" + project.string() + "' --shard 2/2");
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("--shard '2/2'"), std::string::npos) << bad.err;
}

TEST_F(SweepCli, RunsEveryCellThenSkipsThemAll) {
  auto r = sweep("--project '" + project.string() + "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["finished"], 12);
  EXPECT_EQ(j["failed"], 0);
  EXPECT_NE(r.err.find("[12/12] done"), std::string::npos) << r.err;
  auto again = sweep("--project '" + project.string() + "' --json");
  ASSERT_EQ(again.exitCode, 0) << again.err;
  auto k = json::parse(again.out);
  EXPECT_EQ(k["finished"], 0);
  EXPECT_EQ(k["already_done"], 12);
  auto dry = sweep("--project '" + project.string() + "' --dry-run --json");
  EXPECT_EQ(json::parse(dry.out)["to_run"], 0);
  Project p(project);
  EXPECT_EQ(p.measurementCount(), 12);
}

// kill -9 after some cells committed: they all survive, none is duplicated,
// and the next run completes the rest.
TEST_F(SweepCli, SigkillThenResumeKeepsEveryCommittedCell) {
  { Project create(project); }
  Project reader(project, Project::Mode::OpenExisting);
  auto child = startSweep(100);
  ASSERT_TRUE(waitUntil([&] { return reader.measurementCount() >= 3; })) << "no cell committed in time";
  child->signal(SIGKILL);
  EXPECT_EQ(child->wait(), 128 + SIGKILL);
  auto before = deltas(reader);
  ASSERT_GE(before.size(), 3u);
  ASSERT_LT(before.size(), 12u) << "the sweep finished before the kill";
  EXPECT_EQ(reader.integrityCheck(), "ok");

  auto r = sweep("--project '" + project.string() + "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["already_done"].get<int>() + j["finished"].get<int>(), 12);
  EXPECT_GE(j["already_done"].get<int>(), int(before.size()));
  auto after = deltas(reader);
  EXPECT_EQ(after.size(), 12u);
  EXPECT_EQ(reader.measurementCount(), 12);  // no duplicates
  for (const auto& [id, d] : before) {
    ASSERT_TRUE(after.count(id)) << id;
    EXPECT_EQ(after[id], d) << id;
  }
}

// Kills at many moments, most of them while cells are being committed: the
// file stays sound every time and the final run completes exactly once per cell.
TEST_F(SweepCli, KillsDuringWritesNeverCorruptTheProject) {
  json p = tinyPlan(tmp.path(), "many");
  writeFakeCheckpoint(tmp / "ckpt" / "step2000", 3);
  writeFakeCheckpoint(tmp / "ckpt" / "step8000", 4);
  p["models"] = {"ckpt/step1000", "ckpt/step2000", "ckpt/step4000", "ckpt/step8000"};
  p["methods"] = {{{"method", "rtn"}, {"bits", {2, 3, 4, 5, 6, 7, 8}}}, {{"method", "gptq"}, {"bits", {2, 3, 4, 5, 6, 7, 8}}}};
  writeFile(plan, p.dump());
  { Project create(project); }
  Project reader(project, Project::Mode::OpenExisting);
  std::int64_t last = 0;
  int killedMidway = 0;
  for (int i = 0; i < 8 && reader.measurementCount() < 56; ++i) {
    auto child = startSweep(3, {"--results-dir", (tmp / "results").string()});
    // Wait until this run committed something new (or a bounded time), then kill at once.
    std::int64_t start = reader.measurementCount();
    waitUntil([&] { return reader.measurementCount() > start + i % 3; }, std::chrono::seconds(20));
    child->signal(SIGKILL);
    child->wait();
    ASSERT_EQ(Project(project, Project::Mode::OpenExisting).integrityCheck(), "ok") << "after kill " << i;
    std::int64_t now = reader.measurementCount();
    EXPECT_GE(now, last);
    killedMidway += now < 56;
    last = now;
  }
  EXPECT_GT(killedMidway, 3);
  auto r = sweep("--project '" + project.string() + "' --results-dir '" + (tmp / "results").string() + "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(reader.measurementCount(), 56);
  EXPECT_EQ(deltas(reader).size(), 56u);
  auto plans = reader.findPlan("many");
  ASSERT_TRUE(plans);
  for (const auto& [id, state] : reader.cellStates(plans->id)) EXPECT_EQ(state, store::CellState::Done) << id;
  EXPECT_EQ(reader.integrityCheck(), "ok");
}

TEST_F(SweepCli, SigintStopsAfterTheCurrentCellAndSaysHowToResume) {
  { Project create(project); }
  Project reader(project, Project::Mode::OpenExisting);
  auto child = startSweep(150, {}, tmp / "err.txt");
  ASSERT_TRUE(waitUntil([&] { return reader.measurementCount() >= 1; }));
  child->signal(SIGINT);
  EXPECT_EQ(child->wait(), 130);
  std::string err = readFile(tmp / "err.txt");
  EXPECT_NE(err.find("stopping after the current cell"), std::string::npos) << err;
  EXPECT_NE(err.find("Run the same command again to resume"), std::string::npos) << err;
  std::int64_t done = reader.measurementCount();
  EXPECT_GE(done, 1);
  EXPECT_LT(done, 12);
  // The cell in flight when Ctrl-C came was finished, not abandoned.
  auto plans = reader.findPlan("tiny");
  ASSERT_TRUE(plans);
  for (const auto& [id, state] : reader.cellStates(plans->id)) EXPECT_NE(state, store::CellState::Running) << id;
  auto r = sweep("--project '" + project.string() + "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["already_done"], done);
  EXPECT_EQ(reader.measurementCount(), 12);
}

TEST_F(SweepCli, TwoShardsPlusIngestEqualTheUnshardedSweep) {
  ASSERT_EQ(sweep("--project '" + (tmp / "whole.qidlab").string() + "' -q").exitCode, 0);
  auto results = tmp / "results";
  for (const char* shard : {"0/2", "1/2"}) {
    auto r = sweep("--shard " + std::string(shard) + " --project '" + (tmp / (std::string("s") + shard[0] + ".qidlab")).string() +
                   "' --results-dir '" + results.string() + "' --json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["finished"], 6);
  }
  auto merged = tmp / "merged.qidlab";
  auto in = runCli("ingest '" + results.string() + "' --project '" + merged.string() + "' --json");
  ASSERT_EQ(in.exitCode, 0) << in.err;
  auto j = json::parse(in.out);
  EXPECT_EQ(j["files"], 12);
  EXPECT_EQ(j["added"], 12);
  EXPECT_EQ(j["bad"], 0);
  // Idempotent: the same folder again adds nothing.
  auto again = runCli("ingest '" + results.string() + "' --project '" + merged.string() + "'");
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_NE(again.out.find("12 result files: 0 added, 12 already present, 0 bad"), std::string::npos) << again.out;

  Project whole(tmp / "whole.qidlab"), m(merged);
  auto a = whole.measurements({}, false, true), b = m.measurements({}, false, true);
  ASSERT_EQ(a.size(), 12u);
  ASSERT_EQ(b.size(), 12u);
  std::map<std::string, store::Measurement> byId;
  for (const auto& x : b) byId[x.cellId] = x;
  for (const auto& x : a) {
    ASSERT_TRUE(byId.count(x.cellId)) << x.cellId;
    const auto& y = byId[x.cellId];
    EXPECT_EQ(x.delta, y.delta);
    EXPECT_EQ(x.lossq, y.lossq);
    EXPECT_EQ(x.loss16, y.loss16);
    EXPECT_EQ(x.bits, y.bits);
    EXPECT_EQ(x.method, y.method);
    EXPECT_EQ(x.checkpointId, y.checkpointId);
    EXPECT_EQ(x.windowNllq, y.windowNllq);
  }
}

TEST_F(SweepCli, IngestReportsBadFilesAndKeepsTheGoodOnes) {
  auto results = tmp / "results";
  ASSERT_EQ(sweep("--shard 0/4 --project '" + project.string() + "' --results-dir '" + results.string() + "' -q").exitCode, 0);
  writeFile(results / "broken.json", "{\"format\": \"qidlab-result\", \"version\": 1");
  writeFile(results / "other.json", "{\"format\": \"something-else\"}");
  auto r = runCli("ingest '" + results.string() + "' --project '" + (tmp / "m.qidlab").string() + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.out.find("5 result files: 3 added, 0 already present, 2 bad"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("broken.json"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("other.json"), std::string::npos) << r.out;
  auto missing = runCli("ingest '" + (tmp / "nope").string() + "' --project '" + (tmp / "m.qidlab").string() + "'");
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("nope"), std::string::npos) << missing.err;
}

TEST_F(SweepCli, ACorruptCheckpointFailsOneCellAndTheOthersFinish) {
  json p = tinyPlan(tmp.path());
  writeFakeCheckpoint(tmp / "ckpt" / "step2000", 3);
  writeFile(tmp / "ckpt" / "step2000" / "config.json", "{\"hidden_size\": 64, ");
  p["models"] = {"ckpt/step1000", "ckpt/step2000", "ckpt/step4000"};
  p["methods"] = {{{"method", "rtn"}, {"bits", 3}}};
  writeFile(plan, p.dump());
  auto r = sweep("--project '" + project.string() + "' --json");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["finished"], 2);
  EXPECT_EQ(j["failed"], 1);
  ASSERT_EQ(j["failures"].size(), 1u);
  std::string error = j["failures"][0]["error"];
  EXPECT_NE(error.find((tmp / "ckpt" / "step2000" / "config.json").string()), std::string::npos) << error;
  EXPECT_NE(j["failures"][0]["cell"].get<std::string>().find("step2000"), std::string::npos);
  EXPECT_NE(r.err.find("FAILED"), std::string::npos) << r.err;
  auto text = sweep("--project '" + project.string() + "'");
  EXPECT_EQ(text.exitCode, 1);
  EXPECT_NE(text.out.find("FAILED step2000"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace qid::test
