// The done-when, with the REAL runner through the CLI: a plan over two
// tiny trained checkpoints x RTN and GPTQ x bits 2/3/4 survives kill -9,
// resumes and completes with exactly the expected rows; and a corrupt
// checkpoint fails its own cells with an error naming the file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "store/project.h"
#include "support/child_process.h"
#include "support/trained_checkpoints.h"
#include "test_support.h"

namespace qid::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using store::Project;

json realPlan(const std::vector<std::string>& models) {
  const auto& t = trainedCheckpoints();
  return {{"name", "real"},
          {"models", models},
          {"methods", {{{"method", "rtn"}, {"bits", {2, 3, 4}}},
                       {{"method", "gptq"}, {"bits", {2, 3, 4}}, {"options", {{"damp", 0.1}, {"sym", true}}}}}},
          {"eval", {{"path", t.evalText.string()}, {"seqlen", 32}, {"windows", 0}}},
          {"calibration", {{"path", t.calibText.string()}, {"samples", 8}, {"seqlen", 32}}}};
}

TEST(SweepRealCli, SurvivesKillNineAndCompletesWithExactlyTheExpectedRows) {
  const auto& t = trainedCheckpoints();
  TempDir tmp;
  fs::path plan = tmp / "plan.json", project = tmp / "p.qidlab";
  writeFile(plan, realPlan({t.early.string(), t.late.string()}).dump());
  { Project create(project); }
  Project reader(project, Project::Mode::OpenExisting);
  {
    ChildProcess child({QIDLAB_CLI_PATH, "sweep", "--plan", plan.string(), "--project", project.string()}, {});
    ASSERT_TRUE(waitUntil([&] { return reader.measurementCount() >= 2; })) << "no cell committed in time";
    child.signal(SIGKILL);
    EXPECT_EQ(child.wait(), 128 + SIGKILL);
  }
  std::map<std::string, double> before;
  for (const auto& m : reader.measurements()) before[m.cellId] = m.delta;
  ASSERT_GE(before.size(), 2u);
  ASSERT_LT(before.size(), 12u) << "the sweep finished before the kill";
  EXPECT_EQ(reader.integrityCheck(), "ok");

  auto r = runCli("sweep --plan '" + plan.string() + "' --project '" + project.string() + "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["already_done"].get<int>() + j["finished"].get<int>(), 12);
  EXPECT_EQ(j["failed"], 0);

  auto rows = reader.measurements({}, false, true);
  ASSERT_EQ(rows.size(), 12u);
  std::set<std::tuple<std::int64_t, std::string, int>> cells;
  std::set<std::string> baselines;
  std::map<std::pair<std::int64_t, std::string>, std::map<int, double>> delta;
  for (const auto& m : rows) {
    ASSERT_TRUE(m.step);
    cells.insert({*m.step, m.method, m.bits});
    baselines.insert(m.baselineKey);
    delta[{*m.step, m.method}][m.bits] = m.delta;
    EXPECT_EQ(m.windowNllq.size(), reader.findBaseline(m.baselineKey)->windowNll.size());
    if (before.count(m.cellId)) {
      EXPECT_EQ(before[m.cellId], m.delta) << "a committed cell changed";
    }
  }
  std::set<std::tuple<std::int64_t, std::string, int>> expected;
  for (std::int64_t step : {96, 192})
    for (const char* method : {"rtn", "gptq"})
      for (int bits : {2, 3, 4}) expected.insert({step, method, bits});
  EXPECT_EQ(cells, expected);
  EXPECT_EQ(baselines.size(), 2u);  // one 16-bit baseline per checkpoint
  for (const auto& [key, byBits] : delta) {
    EXPECT_GT(byBits.at(2), byBits.at(3)) << key.first << " " << key.second;
    EXPECT_GT(byBits.at(3), byBits.at(4)) << key.first << " " << key.second;
  }
}

TEST(SweepRealCli, ACorruptCheckpointFailsWithAnErrorNamingTheFile) {
  const auto& t = trainedCheckpoints();
  TempDir tmp;
  fs::path bad = tmp / "bad" / "step96";
  fs::create_directories(bad);
  for (const char* f : {"config.json", "tokenizer.json", "model.safetensors"}) fs::copy_file(t.early / f, bad / f);
  fs::resize_file(bad / "model.safetensors", fs::file_size(bad / "model.safetensors") / 2);
  json plan = realPlan({t.late.string(), bad.string()});
  plan["methods"] = {{{"method", "rtn"}, {"bits", 4}}};
  writeFile(tmp / "plan.json", plan.dump());
  auto r = runCli("sweep --plan '" + (tmp / "plan.json").string() + "' --project '" + (tmp / "p.qidlab").string() +
                  "' --json");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["finished"], 1);
  EXPECT_EQ(j["failed"], 1);
  ASSERT_EQ(j["failures"].size(), 1u);
  std::string error = j["failures"][0]["error"];
  EXPECT_NE(error.find("model.safetensors"), std::string::npos) << error;
  EXPECT_NE(error.find(bad.string()), std::string::npos) << error;
}

}  // namespace
}  // namespace qid::test
