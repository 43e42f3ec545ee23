// Checkpoint identity in cells and the baseline cache: a checkpoint is known
// by its content (or its HF commit), never by its path, so a changed
// checkpoint at the same path is never confused with the old one.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

#include "jobs/content_hash.h"
#include "jobs/fake_cell_runner.h"
#include "jobs/sweep.h"
#include "store/project.h"
#include "sweep_fixture.h"

using namespace qid::jobs;
using qid::store::Project;
namespace fs = std::filesystem;

namespace {

class CountingRunner : public FakeCellRunner {
 public:
  std::atomic<int> baselines{0};
  BaselineOutcome baseline(const CellSpec& c, const RunContext& ctx) override {
    ++baselines;
    return FakeCellRunner::baseline(c, ctx);
  }
};

std::vector<CellSpec> resolved(const nlohmann::json& plan, const fs::path& base) {
  auto cells = expandPlan(SweepPlan::parse(plan, base));
  resolveIdentities(cells);
  return cells;
}

}  // namespace

TEST(CheckpointIdentity, AChangedCheckpointGetsNewCellsAndANewBaseline) {
  qid::test::TempDir tmp;
  Project project(tmp / "p.qidlab");
  CountingRunner runner;
  auto plan = qid::test::tinyPlan(tmp.path(), "first");
  auto before = resolved(plan, tmp.path());
  Sweep(project, SweepPlan::parse(plan, tmp.path()), runner, {}).run();
  EXPECT_EQ(runner.baselines, 2);

  // Same path, different weights (tinyPlan rewrites the folders, so after it).
  auto second = qid::test::tinyPlan(tmp.path(), "second");
  qid::test::writeFakeCheckpoint(tmp / "ckpt" / "step4000", 77);
  auto after = resolved(second, tmp.path());
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    const bool changed = before[i].model.path.find("step4000") != std::string::npos;
    EXPECT_EQ(before[i].checkpointId == after[i].checkpointId, !changed) << i;
    EXPECT_EQ(before[i].cellId == after[i].cellId, !changed) << i;
    EXPECT_EQ(before[i].baselineKey == after[i].baselineKey, !changed) << i;
    EXPECT_NE(after[i].definition().dump().find(after[i].checkpointId), std::string::npos);
    EXPECT_NE(after[i].baselineDefinition().dump().find(after[i].checkpointId), std::string::npos);
  }
  auto sum = Sweep(project, SweepPlan::parse(second, tmp.path()), runner, {}).run();
  EXPECT_EQ(sum.alreadyDone, 6);  // the unchanged checkpoint's cells are the same cells
  EXPECT_EQ(sum.finished, 6);
  EXPECT_EQ(runner.baselines, 3);  // only the changed checkpoint's baseline was recomputed
  EXPECT_EQ(project.measurementCount(), 18);
  for (const auto& c : after) {
    auto b = project.findBaseline(c.baselineKey);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->checkpointId, c.checkpointId);
  }
}

TEST(CheckpointIdentity, HubSnapshotsAreKnownByCommitAndStillCarryTheirContent) {
  qid::test::TempDir tmp;
  const std::string commitA(40, 'a'), commitB(40, 'b');
  fs::path root = tmp / "hub" / "models--org--tiny" / "snapshots";
  qid::test::writeFakeCheckpoint(root / commitA, 5);
  qid::test::writeFakeCheckpoint(root / commitB, 5);  // byte-identical revision
  qid::test::writeFile(tmp / "eval.txt", "some evaluation text\n");
  nlohmann::json plan = {{"name", "hub"},
                         {"models", {{{"path", (root / commitA).string()}, {"step", 1000}},
                                     {{"path", (root / commitB).string()}, {"step", 143000}}}},
                         {"methods", {{{"method", "rtn"}, {"bits", 3}}}},
                         {"eval", {{"path", "eval.txt"}, {"seqlen", 64}, {"windows", 6}}}};
  auto cells = resolved(plan, tmp.path());
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].checkpointId, "hf:" + commitA);
  EXPECT_EQ(cells[0].idKind, "hf-commit");
  EXPECT_EQ(cells[1].checkpointId, "hf:" + commitB);
  EXPECT_EQ(cells[0].contentHash, cells[1].contentHash);  // what duplicate detection compares
  EXPECT_NE(cells[0].cellId, cells[1].cellId);
  Project project(tmp / "p.qidlab");
  FakeCellRunner runner;
  Sweep(project, SweepPlan::parse(plan, tmp.path()), runner, {}).run();
  auto all = project.measurements();
  ASSERT_EQ(all.size(), 2u);
  for (const auto& m : all) EXPECT_EQ(m.duplicateOf.empty(), *m.step == 143000) << *m.step;
  EXPECT_EQ(project.measurements({}, true).size(), 1u);
  EXPECT_EQ(project.findModel("hf:" + commitA)->duplicateOf, "hf:" + commitB + "@step143000");
}

TEST(CheckpointIdentity, TheFullHashSeesWhatSamplingSkips) {
  qid::test::TempDir tmp;
  fs::create_directories(tmp / "c");
  std::string bytes(3 << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = char(i * 2654435761u >> 13);
  for (int i = 0; i < 8; ++i) bytes[size_t(i)] = '\xff';  // no plausible safetensors header length
  qid::test::writeFile(tmp / "c" / "model.safetensors", bytes);
  const std::string sampled = checkpointFingerprint(tmp / "c"), full = checkpointFingerprint(tmp / "c", true);
  EXPECT_EQ(sampled.rfind("sha256s:", 0), 0u);
  EXPECT_EQ(full.rfind("sha256:", 0), 0u);
  // A byte between the sampled pages: only the full hash changes.
  bytes[(3 << 20) / 16 + 5000] ^= 1;
  qid::test::writeFile(tmp / "c" / "model.safetensors", bytes);
  EXPECT_EQ(checkpointFingerprint(tmp / "c"), sampled);
  EXPECT_NE(checkpointFingerprint(tmp / "c", true), full);
  // A byte in a sampled page, or a size change: both change.
  bytes[10] ^= 1;
  qid::test::writeFile(tmp / "c" / "model.safetensors", bytes);
  EXPECT_NE(checkpointFingerprint(tmp / "c"), sampled);
  qid::test::writeFile(tmp / "c" / "model.safetensors", bytes + "x");
  EXPECT_NE(checkpointFingerprint(tmp / "c"), sampled);
  // pytorch_model.bin checkpoints are fingerprinted too.
  fs::create_directories(tmp / "b");
  qid::test::writeFile(tmp / "b" / "pytorch_model.bin", "PK...");
  EXPECT_EQ(checkpointFingerprint(tmp / "b").rfind("sha256s:", 0), 0u);
}
