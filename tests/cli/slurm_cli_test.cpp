// qidlab-cli slurm against a REAL single-node Slurm cluster
// (scripts/slurm-local: slurmctld, slurmd and munged started by hand, stopped
// by PID). Skips, saying why, when Slurm is not installed or its daemons do
// not start. Also the parts that need no cluster: --help and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "local_slurm.h"
#include "store/project.h"
#include "support/tiny_checkpoint.h"
#include "test_support.h"

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"  // GCC bug 105651, "literal" + string
#endif

using nlohmann::json;
using qid::test::runCli;
using qid::test::runShell;
using qid::test::TempDir;
using qid::test::writeFile;
namespace fs = std::filesystem;

namespace {

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// Two tiny GPT-NeoX checkpoints x (RTN 2/3/4 + GPTQ 3/4) = 10 cells.
fs::path writePlan(const fs::path& root) {
  for (auto [name, seed] : {std::pair{"step1000", 1u}, std::pair{"step4000", 2u}}) {
    fs::path d = root / "ckpt" / name;
    writeFile(d / "config.json", qid::test::tinyConfigJson(32, 2));
    writeFile(d / "tokenizer.json", qid::test::tinyTokenizerJson());
    writeFile(d / "model.safetensors", qid::test::tinySafetensors(seed, 2048));
  }
  writeFile(root / "eval.txt", "a b a b a b a b a b\n");
  json plan = {{"name", "slurm-tiny"},
               {"models", {"ckpt/step1000", "ckpt/step4000"}},
               {"methods", {{{"method", "rtn"}, {"bits", {2, 3, 4}}, {"group", 32}},
                            {{"method", "gptq"}, {"bits", {3, 4}}, {"group", 32}}}},
               {"eval", {{"path", "eval.txt"}, {"seqlen", 16}, {"windows", 4}}}};
  writeFile(root / "plan.json", plan.dump(2));
  return root / "plan.json";
}

json parseJson(const qid::test::RunResult& r) {
  try {
    return json::parse(r.out);
  } catch (const json::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\nstdout: " << r.out << "\nstderr: " << r.err;
    return json::object();
  }
}

std::map<std::string, std::string> filesIn(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".json")
      out[e.path().filename().string()] = qid::test::readFile(e.path());
  return out;
}

// cell id -> (loss16, lossq, delta)
std::map<std::string, std::tuple<double, double, double>> valuesOf(const fs::path& project) {
  qid::store::Project p(project, qid::store::Project::Mode::OpenExisting);
  std::map<std::string, std::tuple<double, double, double>> out;
  for (const auto& m : p.measurements()) out[m.cellId] = {m.loss16.value_or(-1), m.lossq.value_or(-1), m.delta};
  return out;
}

#define REQUIRE_SLURM(var)                                           \
  std::string var##_why;                                             \
  auto var = qid::test::LocalSlurm::start(var##_why);               \
  if (!var) GTEST_SKIP() << "real Slurm unavailable: " << var##_why

}  // namespace

TEST(SlurmCli, HelpExplainsEachSubcommand) {
  auto r = runCli("slurm --help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* sub : {"submit", "status", "ingest", "retry", "cancel"}) EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
  r = runCli("slurm submit --help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* opt : {"--plan", "--results-dir", "--array-size", "--max-running", "--partition", "--gres",
                          "--time", "--cpus-per-task", "--extra-sbatch", "--dry-run", "--json", "shared"})
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
  r = runCli("slurm ingest --help");
  EXPECT_NE(r.out.find("--follow"), std::string::npos);
  EXPECT_NE(r.out.find("--interval"), std::string::npos);
  r = runCli("slurm retry --help");
  EXPECT_NE(r.out.find("--dry-run"), std::string::npos);
}

TEST(SlurmCli, DryRunPrintsTheScriptAndBadInputIsOneLine) {
  TempDir tmp;
  auto plan = writePlan(tmp.path());
  auto r = runCli("slurm submit --plan " + q(plan) + " --project " + q(tmp / "p.qidlab") + " --results-dir " +
                  q(tmp / "results") + " --array-size 3 --max-running 2 --gres gpu:1 --time 01:00:00 "
                  "--cpus-per-task 4 --extra-sbatch '--mem=8G' --dry-run");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out.rfind("#!/bin/bash\n", 0), 0u);
  for (const char* line : {"#SBATCH --array=0-2%2\n", "#SBATCH --gres=gpu:1\n", "#SBATCH --time=01:00:00\n",
                           "#SBATCH --cpus-per-task=4\n", "#SBATCH --mem=8G\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line;
  EXPECT_FALSE(fs::exists(tmp / "p.qidlab"));
  EXPECT_FALSE(fs::exists(tmp / "results"));

  r = runCli("slurm submit --plan " + q(tmp / "nope.json") + " --project " + q(tmp / "p.qidlab") +
             " --results-dir " + q(tmp / "results") + " --dry-run");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("nope.json"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  r = runCli("slurm status --project " + q(tmp / "absent.qidlab"));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("absent.qidlab"), std::string::npos) << r.err;
  qid::store::Project empty(tmp / "empty.qidlab");
  r = runCli("slurm retry --project " + q(tmp / "empty.qidlab"));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("no Slurm job array"), std::string::npos) << r.err;
}

TEST(SlurmCluster, AnArrayOfThreeLandsInTheProjectAsALocalRunDoes) {
  REQUIRE_SLURM(slurm);
  TempDir tmp;
  auto plan = writePlan(tmp.path());
  auto local = runCli("sweep --plan " + q(plan) + " --project " + q(tmp / "local.qidlab") + " --runner fake");
  ASSERT_EQ(local.exitCode, 0) << local.out << local.err;

  auto sub = runCli("slurm submit --plan " + q(plan) + " --project " + q(tmp / "slurm.qidlab") + " --results-dir " +
                    q(tmp / "results") + " --array-size 3 --time 00:05:00 --sweep-arg=--runner=fake --json");
  ASSERT_EQ(sub.exitCode, 0) << sub.out << sub.err;
  json s = parseJson(sub);
  std::string job = s.value("job_id", "");
  ASSERT_FALSE(job.empty()) << sub.out;
  EXPECT_EQ(s["array_size"], 3);
  EXPECT_EQ(s["cells"], 10);

  auto follow = runShell("timeout 120 '" + std::string(QIDLAB_CLI_PATH) + "' slurm ingest --project " +
                         q(tmp / "slurm.qidlab") + " --follow --interval 1");
  ASSERT_EQ(follow.exitCode, 0) << follow.out << follow.err;
  EXPECT_NE(follow.out.find("The array has ended"), std::string::npos) << follow.out;

  auto st = runCli("slurm status --project " + q(tmp / "slurm.qidlab") + " --json");
  ASSERT_EQ(st.exitCode, 0) << st.err;
  json status = parseJson(st);
  EXPECT_EQ(status["array"]["job_id"], job);
  EXPECT_EQ(status["finished"], true);
  ASSERT_EQ(status["tasks"].size(), 3u);
  for (const auto& t : status["tasks"]) {
    EXPECT_EQ(t["state"], "done") << t.dump();
    EXPECT_EQ(t["slurm_state"], "COMPLETED") << t.dump();
    EXPECT_EQ(t["exit_code"], "0:0") << t.dump();
    EXPECT_EQ(t["landed"], t["cells"]);
    // The task really ran under Slurm: its log says which task it was.
    std::string log = qid::test::readFile(t["log"].get<std::string>());
    EXPECT_NE(log.find("qidlab: task " + std::to_string(t["index"].get<int>()) + "/3"), std::string::npos) << log;
  }
  EXPECT_EQ(status["cells"]["total"], 10);
  EXPECT_EQ(status["cells"]["landed"], 10);
  EXPECT_EQ(status["cells"]["ingested"], 10);

  // The project equals the local run: the same cells with the same numbers.
  auto a = valuesOf(tmp / "local.qidlab"), b = valuesOf(tmp / "slurm.qidlab");
  ASSERT_EQ(a.size(), 10u);
  ASSERT_EQ(b.size(), a.size());
  for (const auto& [id, v] : a) {
    ASSERT_TRUE(b.count(id)) << "cell " << id << " missing from the Slurm run";
    EXPECT_DOUBLE_EQ(std::get<0>(b[id]), std::get<0>(v));
    EXPECT_DOUBLE_EQ(std::get<1>(b[id]), std::get<1>(v));
    EXPECT_DOUBLE_EQ(std::get<2>(b[id]), std::get<2>(v));
  }
  // Ingesting again adds nothing.
  auto again = runCli("slurm ingest --project " + q(tmp / "slurm.qidlab") + " --json");
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(parseJson(again)["added"], 0);
}

namespace {

// Submits the plan as an array of 3 with slow fake cells (1.5 s each), so that
// tasks are still there to cancel; the job id, or "" (with a test failure).
std::string submitSlowArray(const fs::path& plan, const fs::path& project, const fs::path& results) {
  auto sub = runShell("QIDLAB_FAKE_CELL_MS=1500 '" + std::string(QIDLAB_CLI_PATH) + "' slurm submit --plan " + q(plan) +
                      " --project " + q(project) + " --results-dir " + q(results) +
                      " --array-size 3 --sweep-arg=--runner=fake --json");
  EXPECT_EQ(sub.exitCode, 0) << sub.out << sub.err;
  if (sub.exitCode != 0) return "";
  return parseJson(sub).value("job_id", "");
}

}  // namespace

TEST(SlurmCluster, CancelledTasksShowAndRetryFinishesThemWithoutDuplicates) {
  REQUIRE_SLURM(slurm);
  TempDir tmp;
  auto plan = writePlan(tmp.path());
  auto project = tmp / "p.qidlab";
  // Slow cells (1.5 s each), so that tasks can be cancelled before they end.
  const std::string job = submitSlowArray(plan, project, tmp / "results");
  ASSERT_FALSE(job.empty());
  // Index 2 at once (pending on a 2-core node, or just started); index 1
  // once it runs and one of its cells has landed, so that the retry must skip it.
  ASSERT_EQ(runShell("scancel " + job + "_2").exitCode, 0);
  json first = parseJson(runCli("slurm status --project " + q(project) + " --json"));
  std::vector<fs::path> cellsOf1;
  for (const auto& id : first["tasks"][1]["missing"]) cellsOf1.push_back(tmp / "results" / (id.get<std::string>() + ".json"));
  ASSERT_EQ(cellsOf1.size(), 3u);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto anyLanded = [&] {
    return std::any_of(cellsOf1.begin(), cellsOf1.end(), [](const fs::path& f) { return fs::exists(f); });
  };
  while (!anyLanded() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(anyLanded()) << "task 1 landed no cell within 60 s";
  ASSERT_EQ(runShell("scancel " + job + "_1").exitCode, 0);

  // Follow exits 1 once the array has ended: tasks ended unfinished.
  auto follow = runShell("timeout 120 '" + std::string(QIDLAB_CLI_PATH) + "' slurm ingest --project " + q(project) +
                         " --follow --interval 1 --quiet");
  EXPECT_EQ(follow.exitCode, 1) << follow.out << follow.err;
  EXPECT_NE(follow.err.find("slurm retry"), std::string::npos) << follow.err;

  json status = parseJson(runCli("slurm status --project " + q(project) + " --json"));
  ASSERT_EQ(status["tasks"].size(), 3u);
  EXPECT_EQ(status["tasks"][0]["state"], "done");
  EXPECT_EQ(status["tasks"][0]["exit_code"], "0:0");
  for (int i : {1, 2}) {
    const auto& t = status["tasks"][size_t(i)];
    EXPECT_EQ(t["state"], "cancelled") << t.dump();
    EXPECT_EQ(t["slurm_state"], "CANCELLED") << t.dump();
    EXPECT_LT(t["landed"].get<int>(), t["cells"].get<int>()) << t.dump();
  }
  EXPECT_GE(status["tasks"][1]["landed"].get<int>(), 1);
  EXPECT_EQ(status["retry_indices"], json::array({1, 2}));
  auto text = runCli("slurm status --project " + q(project));
  EXPECT_NE(text.out.find("cancelled"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("slurm retry"), std::string::npos) << text.out;

  // What has landed must not be touched by the retry.
  auto landedBefore = filesIn(tmp / "results");
  EXPECT_EQ(int(landedBefore.size()), status["cells"]["landed"].get<int>());

  auto dry = runCli("slurm retry --project " + q(project) + " --dry-run --json");
  ASSERT_EQ(dry.exitCode, 0) << dry.err;
  EXPECT_EQ(parseJson(dry)["indices"], json::array({1, 2}));
  auto retry = runCli("slurm retry --project " + q(project) + " --json");
  ASSERT_EQ(retry.exitCode, 0) << retry.out << retry.err;
  json rj = parseJson(retry);
  EXPECT_EQ(rj["indices"], json::array({1, 2}));
  std::string retryJob = rj.value("job_id", "");
  EXPECT_NE(retryJob, job);

  follow = runShell("timeout 120 '" + std::string(QIDLAB_CLI_PATH) + "' slurm ingest --project " + q(project) +
                    " --follow --interval 1 --quiet");
  ASSERT_EQ(follow.exitCode, 0) << follow.out << follow.err;

  status = parseJson(runCli("slurm status --project " + q(project) + " --json"));
  for (int i : {1, 2}) {
    const auto& t = status["tasks"][size_t(i)];
    EXPECT_EQ(t["state"], "done") << t.dump();
    EXPECT_EQ(t["slurm_state"], "COMPLETED") << t.dump();
    EXPECT_EQ(t["array_job_id"], retryJob);
    EXPECT_EQ(t["attempts"], 2);
  }
  EXPECT_EQ(status["tasks"][0]["attempts"], 1);
  EXPECT_EQ(status["cells"]["landed"], 10);
  EXPECT_EQ(status["cells"]["ingested"], 10);
  EXPECT_TRUE(status["retry_indices"].empty());

  // Nothing duplicated, nothing re-run: every earlier result file is byte for
  // byte what it was, and the project holds each cell once.
  auto landedAfter = filesIn(tmp / "results");
  EXPECT_EQ(landedAfter.size(), 10u);
  for (const auto& [name, content] : landedBefore) EXPECT_EQ(landedAfter[name], content) << name << " was rewritten";
  auto values = valuesOf(project);
  EXPECT_EQ(values.size(), 10u);
  qid::store::Project p(project, qid::store::Project::Mode::OpenExisting);
  EXPECT_EQ(p.measurementCount(), 10);
  EXPECT_EQ(runCli("slurm retry --project " + q(project)).out.find("Nothing to retry"), 0u);
}

TEST(SlurmCluster, CancelStopsEveryTaskAndKeepsWhatLanded) {
  REQUIRE_SLURM(slurm);
  TempDir tmp;
  auto plan = writePlan(tmp.path());
  auto project = tmp / "p.qidlab";
  // Slow cells, so that the array is still there to cancel.
  const std::string job = submitSlowArray(plan, project, tmp / "results");
  ASSERT_FALSE(job.empty());

  auto cancel = runCli("slurm cancel --project " + q(project) + " --json");
  ASSERT_EQ(cancel.exitCode, 0) << cancel.out << cancel.err;
  EXPECT_EQ(parseJson(cancel)["job_ids"], json::array({job}));

  // The array ends unfinished: follow says so, status names every task cancelled.
  auto follow = runShell("timeout 120 '" + std::string(QIDLAB_CLI_PATH) + "' slurm ingest --project " + q(project) +
                         " --follow --interval 1 --quiet");
  EXPECT_EQ(follow.exitCode, 1) << follow.out << follow.err;
  json status = parseJson(runCli("slurm status --project " + q(project) + " --json"));
  EXPECT_EQ(status["finished"], true);
  ASSERT_EQ(status["tasks"].size(), 3u);
  for (const auto& t : status["tasks"]) EXPECT_EQ(t["state"], "cancelled") << t.dump();
  EXPECT_LT(status["cells"]["landed"].get<int>(), 10);
  EXPECT_EQ(status["cells"]["ingested"], status["cells"]["landed"]);

  // Cancelling an array that has ended is no error.
  EXPECT_EQ(runCli("slurm cancel --project " + q(project)).exitCode, 0);
}
