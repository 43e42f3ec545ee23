// "Run on Slurm…": the dialog's fields become the core submission (array
// size, partition, gres, time, extra options), its preview shows the sbatch
// script those options make and leaves nothing behind, and the button in the
// New evaluation dialog hands the choices back with the RunOnSlurm result.
#include <gtest/gtest.h>

#include <QApplication>
#include <QFileInfo>
#include <QPushButton>
#include <QTimer>

#include "common/error.h"
#include "core/jobs/sweep_fixture.h"
#include "new_evaluation_dialog.h"
#include "slurm_choices.h"
#include "slurm_submit_dialog.h"

namespace qid::ui {
namespace {

namespace fs = std::filesystem;

// `checkpoints` fake checkpoint folders x RTN at `bits`.
EvaluationRequest request(const qid::test::TempDir& tmp, int checkpoints, QVector<int> bits) {
  qid::test::writeFile(tmp / "eval.txt", "some evaluation text\n");
  EvaluationRequest r;
  r.name = QStringLiteral("slurm-dialog");
  r.projectPath = QString::fromStdString((tmp / "study" / "p.qidlab").string());
  for (int i = 0; i < checkpoints; ++i) {
    const fs::path dir = tmp / (std::string("step") + std::to_string(1000 * (i + 1)));
    qid::test::writeFakeCheckpoint(dir, i + 1, 32);
    r.folders << QString::fromStdString(dir.string());
  }
  r.methods = {{QStringLiteral("rtn"), bits, 32}};
  r.evalPath = QString::fromStdString((tmp / "eval.txt").string());
  r.seqlen = 32;
  r.windows = 2;
  return r;
}

SlurmChoices someChoices(const qid::test::TempDir& tmp) {
  SlurmChoices c;
  c.resultsDir = QString::fromStdString((tmp / "shared" / "run1").string());
  c.arraySize = 4;
  c.partition = QStringLiteral("debug");
  c.gres = QStringLiteral("gpu:1");
  c.time = QStringLiteral("01:30:00");
  c.extraSbatch = QStringLiteral("--mem=8G --account=lab");
  c.cliBinary = QStringLiteral(QIDLAB_CLI_PATH);
  return c;
}

TEST(SlurmDialog, DefaultsToTheProjectsFolderAndThreeTasksOrFewerWhenTheCellsAreFewer) {
  qid::test::TempDir tmp;
  SlurmSubmitDialog many(request(tmp, 3, {2, 3, 4}));  // 9 cells
  EXPECT_EQ(many.choices().arraySize, 3);
  EXPECT_EQ(QFileInfo(many.choices().resultsDir).absoluteFilePath(),
            QFileInfo(QString::fromStdString((tmp / "study" / "slurm-results").string())).absoluteFilePath());
  SlurmSubmitDialog few(request(tmp, 1, {4, 8}));  // 2 cells
  EXPECT_EQ(few.choices().arraySize, 2);
  EXPECT_EQ(defaultArraySize(1), 1);
  EXPECT_EQ(defaultArraySize(0), 1);
}

TEST(SlurmDialog, BuildsTheSubmitRequestFromItsFieldsAndPreviewsTheirScript) {
  qid::test::TempDir tmp;
  const EvaluationRequest r = request(tmp, 2, {2, 3, 4});  // 6 cells
  SlurmSubmitDialog dialog(r);
  dialog.setChoices(someChoices(tmp));
  const SlurmChoices c = dialog.choices();
  EXPECT_EQ(c.arraySize, 4);

  const fs::path plan = tmp / "plan.json";
  const qid::slurm::SweepSubmitRequest req = slurmSubmitRequest(r, c, plan);
  EXPECT_EQ(req.planPath, plan);
  EXPECT_EQ(req.resultsDir, tmp / "shared" / "run1");
  EXPECT_EQ(req.arraySize, 4);
  EXPECT_EQ(req.partition, "debug");
  EXPECT_EQ(req.gres, "gpu:1");
  EXPECT_EQ(req.time, "01:30:00");
  EXPECT_EQ(req.extraSbatch, "--mem=8G --account=lab");
  EXPECT_EQ(req.cliBinary, QIDLAB_CLI_PATH);
  EXPECT_FALSE(req.dryRun);
  EXPECT_TRUE(req.sweepArgs.empty());  // cpu and the real runner: what the task runs by default

  dialog.preview();
  const std::string script = dialog.previewText().toStdString();
  ASSERT_EQ(script.rfind("#!/bin/bash\n", 0), 0u) << script;
  for (const char* line : {"#SBATCH --array=0-3\n", "#SBATCH --partition=debug\n", "#SBATCH --gres=gpu:1\n",
                           "#SBATCH --time=01:30:00\n", "#SBATCH --mem=8G\n", "#SBATCH --account=lab\n",
                           "#SBATCH --job-name=qidlab-slurm-dialog\n"})
    EXPECT_NE(script.find(line), std::string::npos) << line << "\n" << script;
  EXPECT_NE(script.find((tmp / "shared" / "run1").string()), std::string::npos) << script;
  // A dry run: nothing written, nothing created.
  EXPECT_FALSE(fs::exists(tmp / "shared"));
  EXPECT_FALSE(fs::exists(tmp / "study"));

  // A GPU device reaches every task's sweep.
  EvaluationRequest gpu = r;
  gpu.device = QStringLiteral("cuda:0");
  EXPECT_EQ(slurmSubmitRequest(gpu, c, plan).sweepArgs, (std::vector<std::string>{"--device", "cuda:0"}));
}

TEST(SlurmDialog, APreviewThatCannotBeMadeSaysWhyAndSubmitRefusesIt) {
  qid::test::TempDir tmp;
  SlurmSubmitDialog dialog(request(tmp, 2, {2, 3}));
  SlurmChoices c = someChoices(tmp);
  c.resultsDir.clear();
  dialog.setChoices(c);
  dialog.preview();
  EXPECT_TRUE(dialog.previewText().contains(QStringLiteral("results folder"))) << dialog.previewText().toStdString();
  dialog.submitButton()->click();
  EXPECT_EQ(dialog.result(), 0);  // still open
  EXPECT_TRUE(dialog.previewText().startsWith(QStringLiteral("Cannot submit"))) << dialog.previewText().toStdString();

  c = someChoices(tmp);
  c.time = QStringLiteral("1 hour\nrm -rf /");
  dialog.setChoices(c);
  dialog.preview();
  EXPECT_FALSE(dialog.previewText().contains(QStringLiteral("#!/bin/bash"))) << dialog.previewText().toStdString();

  // Hub selections cannot go to Slurm (nodes have no download here).
  EvaluationRequest hub = request(tmp, 1, {4});
  hub.selectors << QStringLiteral("suite:pythia-70m@step1000");
  EXPECT_THROW(checkSlurmRunnable(hub), qid::Error);
}

TEST(SlurmDialog, RunOnSlurmSitsNextToRunHereAndReturnsTheChoices) {
  qid::test::TempDir tmp;
  NewEvaluationDialog dialog(QString(), tmp / "hub-cache");
  dialog.setRequest(request(tmp, 2, {2, 3, 4}));
  ASSERT_NE(dialog.slurmButton(), nullptr);
  EXPECT_EQ(dialog.runHereButton()->text(), QStringLiteral("Run here"));
  EXPECT_EQ(dialog.slurmButton()->text(), QStringLiteral("Run on Slurm…"));
  EXPECT_EQ(dialog.slurmButton()->parentWidget(), dialog.runHereButton()->parentWidget());
  ASSERT_TRUE(dialog.slurmButton()->isEnabled());

  bool sawDialog = false;
  QTimer::singleShot(0, [&] {
    auto* s = qobject_cast<SlurmSubmitDialog*>(QApplication::activeModalWidget());
    if (!s) return;
    sawDialog = true;
    EXPECT_EQ(s->choices().arraySize, 3);
    s->setChoices(someChoices(tmp));
    s->submitButton()->click();
  });
  dialog.slurmButton()->click();
  EXPECT_TRUE(sawDialog);
  EXPECT_EQ(dialog.result(), int(NewEvaluationDialog::RunOnSlurm));
  EXPECT_EQ(dialog.slurmChoices().partition, QStringLiteral("debug"));
  EXPECT_EQ(dialog.slurmChoices().arraySize, 4);
  EXPECT_EQ(dialog.slurmChoices().gres, QStringLiteral("gpu:1"));
}

}  // namespace
}  // namespace qid::ui
