// The Pythia suite picker marks the checkpoints already in the HF cache and
// turns ticks into suite: selectors; the New evaluation dialog counts cells.
#include <gtest/gtest.h>

#include <QLabel>
#include <QTableWidget>

#include "evaluation_request.h"
#include "hub/hub_cache.h"
#include "new_evaluation_dialog.h"
#include "pythia_suite_picker.h"
#include "test_support.h"

namespace qid::ui {
namespace {

// A cache holding pythia-160m-deduped at step 17000 (config and weights).
void cacheCheckpoint(const std::filesystem::path& root, const std::string& repo, const std::string& rev) {
  qid::hub::HubCache cache(root, repo);
  const std::string commit(40, 'a');
  std::filesystem::create_directories(cache.repoDir() / "blobs");
  qid::test::writeFile(cache.blobPath("cfg"), "{}");
  qid::test::writeFile(cache.blobPath("w"), "weights");
  cache.linkSnapshotFile(commit, "config.json", "cfg");
  cache.linkSnapshotFile(commit, "model.safetensors", "w");
  cache.writeRef(rev, commit);
}

TEST(SuitePicker, MarksCachedCheckpointsAndBuildsSelectors) {
  qid::test::TempDir tmp;
  cacheCheckpoint(tmp.path(), "EleutherAI/pythia-160m-deduped", "step17000");
  PythiaSuitePicker picker(tmp.path());
  picker.setSteps(QStringLiteral("1000..33000/16000"));  // 1000, 17000, 33000
  QTableWidget* g = picker.grid();
  ASSERT_EQ(g->columnCount(), 3);
  const int row160 = 2;  // 14m 70m 160m ...
  ASSERT_EQ(g->verticalHeaderItem(row160)->text(), QStringLiteral("160m"));
  int cached = 0;
  for (int r = 0; r < g->rowCount(); ++r)
    for (int c = 0; c < g->columnCount(); ++c) cached += picker.isCachedCell(r, c);
  EXPECT_EQ(cached, 1);
  EXPECT_TRUE(picker.isCachedCell(row160, 1));
  picker.setChecked(row160, 0, true);
  picker.setChecked(row160, 1, true);
  picker.setChecked(0, 2, true);
  EXPECT_EQ(picker.checkedCount(), 3);
  EXPECT_EQ(picker.cachedCount(), 1);
  EXPECT_EQ(picker.selectors(), (QStringList{QStringLiteral("suite:pythia-14m-deduped@step33000"),
                                             QStringLiteral("suite:pythia-160m-deduped@step1000,step17000")}));
}

TEST(SuitePicker, DialogEstimatesTheCells) {
  qid::test::TempDir tmp;
  NewEvaluationDialog dialog(QString(), tmp.path());
  EvaluationRequest r;
  r.name = QStringLiteral("e");
  r.projectPath = QString::fromStdString((tmp / "p.qidlab").string());
  r.folders = {QStringLiteral("/a/step1000"), QStringLiteral("/a/step2000")};
  r.methods = {{QStringLiteral("gptq"), {2, 3, 4}, 128}, {QStringLiteral("rtn"), {2, 3, 4}, 128}};
  r.evalPath = QStringLiteral("/data/wiki.test.raw");
  dialog.setRequest(r);
  dialog.suitePicker()->setSteps(QStringLiteral("1000..2000"));
  dialog.suitePicker()->setChecked(1, 0, true);  // 70m step1000
  const EvaluationRequest got = dialog.request();
  EXPECT_EQ(got.folders, r.folders);
  EXPECT_EQ(got.selectors, QStringList{QStringLiteral("suite:pythia-70m-deduped@step1000")});
  EXPECT_EQ(estimatedCells(got), 3 * 6);
  EXPECT_TRUE(dialog.estimateLabel()->text().startsWith(QStringLiteral("18 cells")))
      << dialog.estimateLabel()->text().toStdString();
  EXPECT_TRUE(dialog.isRunnable());
  // The plan it becomes (with the hub checkpoint as a folder) is core's plan.
  const auto plan = planJson(got, {HubCheckpoint{QStringLiteral("EleutherAI/pythia-70m-deduped"), QStringLiteral("step1000"),
                                                 1000, 2.097152e9, QStringLiteral("/cache/snap")}});
  EXPECT_EQ(plan["models"].size(), 3u);
  EXPECT_EQ(plan["models"][2]["D"], 2.097152e9);
  EXPECT_EQ(plan["methods"][0]["bits"], (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(plan["eval"]["recipe"], "gptq-paper");
  EXPECT_FALSE(plan["eval"].contains("kl"));
}

TEST(SuitePicker, DialogCarriesTheRecipeAndKlIntoThePlan) {
  qid::test::TempDir tmp;
  NewEvaluationDialog dialog(QString(), tmp.path());
  EvaluationRequest r;
  r.name = QStringLiteral("e");
  r.projectPath = QString::fromStdString((tmp / "p.qidlab").string());
  r.folders = {QStringLiteral("/a/step1000")};
  r.methods = {{QStringLiteral("rtn"), {4}, 128}};
  r.evalPath = QStringLiteral("/data/wiki.test.raw");
  r.recipe = QStringLiteral("llamacpp");
  r.kl = true;
  dialog.setRequest(r);
  const EvaluationRequest got = dialog.request();
  EXPECT_EQ(got.recipe, QStringLiteral("llamacpp"));
  EXPECT_TRUE(got.kl);
  const auto plan = planJson(got);
  EXPECT_EQ(plan["eval"]["recipe"], "llamacpp");
  EXPECT_EQ(plan["eval"]["kl"], true);
  // The plan core reads back: the recipe and KL reach the cells.
  const auto parsed = qid::jobs::SweepPlan::parse(plan, tmp.path());
  EXPECT_EQ(parsed.eval.recipe, "llamacpp");
  EXPECT_TRUE(parsed.eval.kl);
  r.recipe = QStringLiteral("lm-eval-rolling");
  dialog.setRequest(r);
  EXPECT_EQ(dialog.request().recipe, QStringLiteral("lm-eval-rolling"));
}

}  // namespace
}  // namespace qid::ui
