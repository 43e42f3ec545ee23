// Sweeps over hub models (issue 9): with HF_ENDPOINT at the fake hub on
// 127.0.0.1, a plan whose models are `suite:` / `hub:` selectors resolves
// them, downloads the checkpoints into an HF-layout cache just ahead of the
// workers (within --max-cache-gb) and runs; one cell with the real runner on
// a trained checkpoint served by the hub.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "store/project.h"
#include "support/fake_hub.h"
#include "support/tiny_checkpoint.h"
#include "support/trained_checkpoints.h"
#include "test_support.h"

namespace qid::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class SweepHubCli : public ::testing::Test {
 protected:
  const std::string c1 = std::string(40, 'a'), c2 = std::string(40, 'b'), c3 = std::string(40, 'c');
  TempDir tmp;
  std::unique_ptr<FakeHub> hub;

  void SetUp() override {
    hub = std::make_unique<FakeHub>(tmp / "server");
    for (const auto& [commit, rev, seed] : {std::tuple{c1, "step1", 1u}, std::tuple{c2, "step2", 2u}})
      hub->addCommit("EleutherAI/pythia-14m", commit, {rev},
                     {{"config.json", tinyConfigJson()},
                      {"tokenizer.json", tinyTokenizerJson()},
                      {"model.safetensors", tinySafetensors(seed, 60000)}});
    writeFile(tmp / "eval.txt", "some evaluation text\n");
  }

  fs::path cache() const { return tmp / "cache"; }
  RunResult sweep(const json& plan, const std::string& args) const {
    writeFile(tmp / "plan.json", plan.dump());
    return runShell("env -u HF_TOKEN -u HF_HUB_CACHE -u HF_HUB_OFFLINE HF_HOME='" + (tmp / "hfhome").string() +
                    "' HF_ENDPOINT='" + hub->endpoint() + "' QIDLAB_HUB_BACKOFF_MS=5 QIDLAB_FAKE_CELL_MS=0 '" +
                    QIDLAB_CLI_PATH + "' sweep --plan '" + (tmp / "plan.json").string() + "' --project '" +
                    (tmp / "p.qidlab").string() + "' --cache '" + cache().string() + "' --json " + args);
  }
  static json fakePlan(const json& models) {
    return {{"name", "hub"},
            {"models", models},
            {"methods", {{{"method", "rtn"}, {"bits", {3, 4}}}}},
            {"eval", {{"path", "eval.txt"}, {"seqlen", 64}, {"windows", 4}}}};
  }
};

TEST_F(SweepHubCli, SuiteSelectorDownloadsIntoTheHfCacheAndRuns) {
  auto r = sweep(fakePlan({"suite:pythia-14m@step1,step2"}), "--runner fake");
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["finished"], 4);
  EXPECT_EQ(j["hub"]["downloads"], 2);

  // The huggingface_hub layout: refs, blobs, relative symlinks in snapshots.
  fs::path repo = cache() / "models--EleutherAI--pythia-14m";
  EXPECT_EQ(readFile(repo / "refs" / "step1"), c1);
  EXPECT_EQ(readFile(repo / "refs" / "step2"), c2);
  fs::path link = repo / "snapshots" / c2 / "model.safetensors";
  ASSERT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link).string().rfind("../../blobs/", 0), 0u) << fs::read_symlink(link);
  EXPECT_EQ(readFile(link), tinySafetensors(2, 60000));

  store::Project p(tmp / "p.qidlab");
  auto rows = p.measurements();
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& m : rows) {
    ASSERT_TRUE(m.step);
    EXPECT_TRUE(m.checkpointId == "hf:" + c1 || m.checkpointId == "hf:" + c2) << m.checkpointId;
    EXPECT_EQ(m.checkpointId, "hf:" + (*m.step == 1 ? c1 : c2));
    EXPECT_EQ(m.modelId, "pythia-14m");
    EXPECT_EQ(m.revision, *m.step == 1 ? "step1" : "step2");
    EXPECT_DOUBLE_EQ(*m.D, double(*m.step) * 2097152.0);
  }

  // Again: everything is done and cached, so no file is requested at all.
  hub->clearRequests();
  auto again = sweep(fakePlan({"suite:pythia-14m@step1,step2"}), "--runner fake");
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["already_done"], 4);
  EXPECT_EQ(hub->count({"/resolve/"}) + hub->count({"/cdn/"}), 0);
}

TEST_F(SweepHubCli, DiskBudgetEvictsFinishedCheckpointsAndAMissingRevisionFailsClearly) {
  // Each checkpoint holds ~240 KB of weights; a 0.3 MB budget holds one.
  auto r = sweep(fakePlan({{{"hub", "EleutherAI/pythia-14m"}, {"revisions", {"step1", "step2"}}, {"name", "p14"}}}),
                 "--runner fake --max-cache-gb 0.0003");
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["finished"], 4);
  EXPECT_GE(j["hub"]["evictions"].get<int>(), 1);
  EXPECT_FALSE(fs::exists(cache() / "models--EleutherAI--pythia-14m" / "snapshots" / c1 / "model.safetensors"));
  store::Project p(tmp / "p.qidlab");
  EXPECT_EQ(p.measurementCount(), 4);
  EXPECT_EQ(p.measurements()[0].modelId, "p14");

  auto missing = sweep(fakePlan({"hub:EleutherAI/pythia-14m@step7"}), "--runner fake");
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("EleutherAI/pythia-14m"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("step7"), std::string::npos) << missing.err;
}

TEST_F(SweepHubCli, RealRunnerCellOnAHubCheckpoint) {
  const auto& t = trainedCheckpoints();
  std::map<std::string, std::string> files;
  for (const char* f : {"config.json", "tokenizer.json", "model.safetensors"}) files[f] = readFile(t.late / f);
  hub->addCommit("org/trained", c3, {"step192"}, files);
  json plan = {{"name", "hub-real"},
               {"models", {{{"hub", "org/trained"}, {"revision", "step192"}}}},
               {"methods", {{{"method", "rtn"}, {"bits", 3}}}},
               {"eval", {{"path", t.evalText.string()}, {"seqlen", 32}, {"windows", 0}}}};
  auto r = sweep(plan, "");
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  EXPECT_EQ(json::parse(r.out)["finished"], 1);
  store::Project p(tmp / "p.qidlab");
  auto rows = p.measurements();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].checkpointId, "hf:" + c3);
  EXPECT_EQ(rows[0].step, 192);
  EXPECT_GT(rows[0].delta, 0.0);
  EXPECT_EQ(rows[0].manifest["runner"], "quant");
}

}  // namespace
}  // namespace qid::test
