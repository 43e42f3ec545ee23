#include "jobs/sweep.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <set>

#include "jobs/fake_cell_runner.h"
#include "jobs/manifest.h"
#include "store/project.h"
#include "store/result_file.h"
#include "sweep_fixture.h"

using namespace qid::jobs;
using qid::store::Project;
namespace fs = std::filesystem;

namespace {

// Counts baseline computations.
class CountingRunner : public FakeCellRunner {
 public:
  std::atomic<int> baselines{0};
  BaselineOutcome baseline(const CellSpec& c, const RunContext& ctx) override {
    ++baselines;
    return FakeCellRunner::baseline(c, ctx);
  }
};

SweepPlan planAt(const qid::test::TempDir& tmp, const std::string& name = "tiny") {
  return SweepPlan::parse(qid::test::tinyPlan(tmp.path(), name), tmp.path());
}

}  // namespace

TEST(Sweep, PlanExpandsToContentAddressedCells) {
  qid::test::TempDir tmp;
  auto cells = expandPlan(planAt(tmp));
  ASSERT_EQ(cells.size(), 12u);
  EXPECT_EQ(*cells[0].model.step, 1000);
  EXPECT_DOUBLE_EQ(*cells[0].model.D, 1000 * 2097152.0);
  resolveIdentities(cells);
  std::set<std::string> ids;
  for (const auto& c : cells) ids.insert(c.cellId);
  EXPECT_EQ(ids.size(), 12u);
  EXPECT_EQ(cells[0].baselineKey, cells[5].baselineKey);
  EXPECT_NE(cells[0].baselineKey, cells[6].baselineKey);
  EXPECT_EQ(cells[0].checkpointId.rfind("sha256s:", 0), 0u);
  // The identity follows content, not the path.
  fs::copy(tmp / "ckpt", tmp / "moved", fs::copy_options::recursive);
  auto plan = qid::test::tinyPlan(tmp.path());
  plan["models"] = {"moved/step1000", "moved/step4000"};
  auto moved = expandPlan(SweepPlan::parse(plan, tmp.path()));
  resolveIdentities(moved);
  EXPECT_EQ(moved[3].cellId, cells[3].cellId);
}

TEST(Sweep, BadPlansGiveClearErrors) {
  qid::test::TempDir tmp;
  auto plan = qid::test::tinyPlan(tmp.path());
  auto expectError = [&](nlohmann::json p, const std::string& needle) {
    try {
      SweepPlan::parse(p, tmp.path(), "plan.json");
      ADD_FAILURE() << "accepted: " << p.dump();
    } catch (const qid::Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  auto p1 = plan; p1.erase("name"); expectError(p1, "name");
  auto p2 = plan; p2["methods"][0]["bits"] = "three"; expectError(p2, "methods[0]");
  auto p3 = plan; p3["methods"][1]["bits"] = {20}; expectError(p3, "outside");
  auto p4 = plan; p4["models"] = nlohmann::json::array(); expectError(p4, "models");
  auto p5 = plan; p5["eval"].erase("path"); expectError(p5, "eval");
  EXPECT_THROW(selectShard({}, "3/2"), qid::Error);
  EXPECT_THROW(selectShard({}, "x"), qid::Error);
}

TEST(Sweep, RunsEveryCellOnceAndSharesBaselines) {
  qid::test::TempDir tmp;
  Project project(tmp / "p.qidlab");
  CountingRunner runner;
  Sweep sweep(project, planAt(tmp), runner, {});
  auto sum = sweep.run();
  EXPECT_EQ(sum.cells, 12);
  EXPECT_EQ(sum.finished, 12);
  EXPECT_EQ(sum.failed, 0);
  EXPECT_EQ(runner.baselines, 2);
  auto rows = project.measurements({}, false, true);
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& m : rows) {
    EXPECT_GT(m.delta, 0);
    ASSERT_TRUE(m.ciLo && m.ciHi);
    EXPECT_LE(*m.ciLo, m.delta);
    EXPECT_GE(*m.ciHi, m.delta);
    EXPECT_EQ(m.windowNllq.size(), 6u);
    for (const auto& key : manifestKeys()) EXPECT_TRUE(m.manifest.contains(key)) << key;
    EXPECT_EQ(m.manifest["checkpoint"]["id"], m.checkpointId);
    EXPECT_FALSE(m.manifest["tool"]["commit"].get<std::string>().empty());
    auto base = project.findBaseline(m.baselineKey);
    ASSERT_TRUE(base);
    EXPECT_EQ(base->windowNll.size(), 6u);
  }
  // Resuming finds nothing to do.
  Sweep again(project, planAt(tmp), runner, {});
  auto sum2 = again.run();
  EXPECT_EQ(sum2.alreadyDone, 12);
  EXPECT_EQ(sum2.finished, 0);
  EXPECT_EQ(project.measurementCount(), 12);
  EXPECT_EQ(runner.baselines, 2);
}

TEST(Sweep, ACorruptCheckpointFailsItsCellAndTheRestFinish) {
  qid::test::TempDir tmp;
  auto plan = qid::test::tinyPlan(tmp.path());
  qid::test::writeFakeCheckpoint(tmp / "ckpt" / "broken", 3);
  qid::test::writeFile(tmp / "ckpt" / "broken" / "config.json", "{ not json");
  plan["models"] = {"ckpt/step1000", "ckpt/broken"};
  plan["methods"] = {{{"method", "rtn"}, {"bits", 3}}};
  Project project(tmp / "p.qidlab");
  FakeCellRunner runner;
  Sweep sweep(project, SweepPlan::parse(plan, tmp.path()), runner, {});
  auto sum = sweep.run();
  EXPECT_EQ(sum.finished, 1);
  ASSERT_EQ(sum.failed, 1);
  EXPECT_NE(sum.failures[0].second.find("broken/config.json"), std::string::npos) << sum.failures[0].second;
  auto cells = project.cells(project.findPlan("tiny")->id);
  int failed = 0;
  for (const auto& c : cells)
    if (c.state == qid::store::CellState::Failed) {
      ++failed;
      EXPECT_NE(c.error.find("corrupt checkpoint config"), std::string::npos) << c.error;
    }
  EXPECT_EQ(failed, 1);
}

TEST(Sweep, OutOfMemoryIsRetriedWithASmallerBatch) {
  qid::test::TempDir tmp;
  setenv("QIDLAB_FAKE_OOM_BITS", "2", 1);
  Project project(tmp / "p.qidlab");
  FakeCellRunner runner;
  Sweep sweep(project, planAt(tmp), runner, {});
  auto sum = sweep.run();
  unsetenv("QIDLAB_FAKE_OOM_BITS");
  EXPECT_EQ(sum.finished, 12);
  for (const auto& m : project.measurements(qid::store::MeasurementFilter::parse("bits=2")))
    EXPECT_EQ(m.manifest["runner_details"]["batch_divisor"], 2);
}

TEST(Sweep, AResumeAgainstADifferentRunFailsClosed) {
  qid::test::TempDir tmp;
  Project project(tmp / "p.qidlab");
  FakeCellRunner runner;
  Sweep(project, planAt(tmp), runner, {}).run();
  // Same plan name, but the step4000 checkpoint's weights changed.
  qid::test::writeFakeCheckpoint(tmp / "ckpt" / "step4000", 99);
  auto plan = SweepPlan::parse(qid::test::tinyPlan(tmp.path()), tmp.path());
  qid::test::writeFakeCheckpoint(tmp / "ckpt" / "step4000", 99);
  try {
    Sweep(project, plan, runner, {}).run();
    FAIL() << "resumed a different run";
  } catch (const qid::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("step4000 changed"), std::string::npos) << msg;
  }
  // Changed eval data.
  qid::test::TempDir tmp2;
  Project p2(tmp2 / "p.qidlab");
  Sweep(p2, planAt(tmp2), runner, {}).run();
  auto plan2 = qid::test::tinyPlan(tmp2.path());
  qid::test::writeFile(tmp2 / "eval.txt", "other text\n");
  try {
    Sweep(p2, SweepPlan::parse(plan2, tmp2.path()), runner, {}).run();
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("eval data changed"), std::string::npos) << e.what();
  }
  // Changed settings.
  auto plan3 = qid::test::tinyPlan(tmp2.path());
  qid::test::writeFile(tmp2 / "eval.txt", "some evaluation text\n");
  plan3["eval"]["seqlen"] = 128;
  try {
    Sweep(p2, SweepPlan::parse(plan3, tmp2.path()), runner, {}).run();
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'eval' changed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(p2.measurementCount(), 12);
}

TEST(Sweep, ShardsPlusIngestEqualTheUnshardedRun) {
  qid::test::TempDir tmp;
  FakeCellRunner runner;
  Project whole(tmp / "whole.qidlab");
  Sweep(whole, planAt(tmp), runner, {}).run();
  for (const char* shard : {"0/2", "1/2"}) {
    Project part(tmp / (std::string(shard).substr(0, 1) + ".qidlab"));
    SweepOptions o;
    o.shard = shard;
    o.resultsDir = tmp / "results";
    auto sum = Sweep(part, planAt(tmp), runner, o).run();
    EXPECT_EQ(sum.finished, 6);
  }
  Project merged(tmp / "merged.qidlab");
  auto rep = qid::store::ingestResultsDir(merged, tmp / "results");
  EXPECT_EQ(rep.files, 12);
  EXPECT_EQ(rep.added, 12);
  EXPECT_TRUE(rep.errors.empty());
  auto again = qid::store::ingestResultsDir(merged, tmp / "results");
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.alreadyThere, 12);
  auto a = whole.measurements({}, false, true), b = merged.measurements({}, false, true);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].cellId, b[i].cellId);
    EXPECT_DOUBLE_EQ(a[i].delta, b[i].delta);
    EXPECT_EQ(a[i].windowNllq, b[i].windowNllq);
    EXPECT_EQ(a[i].ciLo, b[i].ciLo);
    EXPECT_TRUE(merged.findBaseline(b[i].baselineKey));
  }
}

TEST(Sweep, DuplicateRevisionsAreFlagged) {
  qid::test::TempDir tmp;
  auto plan = qid::test::tinyPlan(tmp.path());
  fs::copy(tmp / "ckpt" / "step4000", tmp / "ckpt" / "step2000", fs::copy_options::recursive);
  plan["models"] = {"ckpt/step1000", "ckpt/step2000", "ckpt/step4000"};
  plan["methods"] = {{{"method", "rtn"}, {"bits", 3}}};
  Project project(tmp / "p.qidlab");
  FakeCellRunner runner;
  Sweep(project, SweepPlan::parse(plan, tmp.path()), runner, {}).run();
  EXPECT_EQ(project.measurementCount(), 3);
  auto fit = project.measurements({}, true);
  ASSERT_EQ(fit.size(), 2u);
  for (const auto& m : fit) EXPECT_NE(*m.step, 2000);
  auto all = project.measurements();
  for (const auto& m : all) EXPECT_EQ(m.duplicateOf.empty(), *m.step != 2000);
}
