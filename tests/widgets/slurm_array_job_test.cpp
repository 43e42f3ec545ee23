// A Slurm array followed from the GUI (SlurmArrayJob in the job queue, its
// SlurmJobRow in the panel). Against a scripted Slurm (fake_slurm.h) whose
// tasks are stood in for by running their shards here: the row follows the
// tasks and landed cells, each ingested cell reaches the charts' signal once
// (and the main window's session, as a local sweep's cells do), cancel runs
// scancel for the array and keeps what landed, and a refused
// submission or a failed task shows in the row's details. Against a REAL
// single-node Slurm (scripts/slurm-local, skipped with the reason when it
// cannot start): an evaluation submitted the GUI's way lands in its project
// with the same cells and ΔqLoss as the same evaluation run here.
#include <gtest/gtest.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QSet>
#include <QThread>
#include <QToolButton>
#include <cmath>
#include <map>
#include <mutex>

#include "cli/local_slurm.h"
#include "core/slurm/slurm_sweep_fixture.h"
#include "evaluation_launcher.h"
#include "fake_slurm_array.h"
#include "job_queue.h"
#include "job_queue_panel.h"
#include "main_window.h"
#include "measurement_row.h"
#include "project_session.h"
#include "slurm_array_job.h"
#include "slurm_choices.h"
#include "slurm_job_row.h"
#include "slurm_resume_check.h"
#include "store/project.h"
#include "support/trained_checkpoints.h"
#include "sweep_job.h"
#include "wait_for.h"

namespace qid::ui {
namespace {

namespace fs = std::filesystem;
using qid::ui::test::FakeArray;
using qid::ui::test::LockedSlurm;
using qid::ui::test::waitFor;

TEST(SlurmArrayJob, FollowsTheTasksAndEachIngestedCellReachesTheChartsOnce) {
  FakeArray a;
  SlurmArrayJob* job = a.submit();
  SlurmJobRow* row = a.panel.rowFor(job);
  ASSERT_NE(row, nullptr);
  ASSERT_TRUE(waitFor([&] { return job->rounds() > 0; })) << job->failures().join('\n').toStdString();
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Running);
  EXPECT_EQ(job->jobId(), QStringLiteral("100"));
  EXPECT_EQ(job->progress().pending, 3);
  EXPECT_EQ(job->progress().cells, 12);
  EXPECT_TRUE(row->titleLabel()->text().contains(QStringLiteral("100")));
  EXPECT_TRUE(row->cancelButton()->isEnabled());
  EXPECT_TRUE(a.cells.isEmpty());
  ASSERT_EQ(a.slurm.commands().front().rfind("sbatch --parsable ", 0), 0u);

  // Task 0 ends: its 4 cells land, are ingested and shown.
  a.runTask(0);
  a.slurm.setStates({"COMPLETED", "RUNNING", "PENDING"});
  ASSERT_TRUE(waitFor([&] { return job->progress().done == 1 && job->progress().ingested == 4; }));
  EXPECT_EQ(a.cells.size(), 4);
  EXPECT_EQ(row->progressBar()->maximum(), 12);
  EXPECT_EQ(row->progressBar()->value(), 4);
  const QString text = row->activityLabel()->text();
  EXPECT_TRUE(text.contains(QStringLiteral("1 pending, 1 running, 1 done, 0 failed"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("4 of 12 cells landed, 4 in the project"))) << text.toStdString();

  a.runTask(1);
  a.runTask(2);
  a.slurm.setStates({"COMPLETED", "COMPLETED", "COMPLETED"});
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Finished) << job->failures().join('\n').toStdString();
  EXPECT_TRUE(job->failures().isEmpty());
  EXPECT_TRUE(row->titleLabel()->text().contains(QStringLiteral("done")));
  EXPECT_FALSE(row->cancelButton()->isEnabled());
  EXPECT_EQ(row->progressBar()->value(), 12);
  EXPECT_EQ(a.cells.size(), 12);
  EXPECT_EQ(QSet<QString>(a.cells.begin(), a.cells.end()).size(), 12);  // each once
  EXPECT_EQ(a.measurements(), 12);
  // Finished arrays clear with the rest.
  a.queue.removeFinished();
  EXPECT_TRUE(a.queue.slurmJobs().isEmpty());
}

TEST(SlurmArrayJob, CancelRunsScancelForTheArrayAndKeepsWhatLanded) {
  FakeArray a;
  SlurmArrayJob* job = a.submit();
  ASSERT_TRUE(waitFor([&] { return job->rounds() > 0; }));
  a.runTask(0);
  a.slurm.setStates({"COMPLETED", "RUNNING", "PENDING"});
  ASSERT_TRUE(waitFor([&] { return job->progress().ingested == 4; }));
  a.panel.rowFor(job)->cancelButton()->click();
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Cancelling);
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Cancelled) << job->failures().join('\n').toStdString();
  const auto cmds = a.slurm.commands();
  EXPECT_EQ(std::count(cmds.begin(), cmds.end(), std::string("scancel '100'")), 1);
  EXPECT_EQ(job->progress().cancelled, 2);
  EXPECT_EQ(job->progress().done, 1);
  EXPECT_EQ(a.cells.size(), 4);
  EXPECT_EQ(a.measurements(), 4);
}

TEST(SlurmArrayJob, ARefusedSubmissionShowsSbatchsMessageInTheRowsDetails) {
  FakeArray a;
  a.slurm.edit([](qid::test::FakeSlurm& f) {
    f.sbatchError = "sbatch: error: Batch job submission failed: Invalid partition name specified";
  });
  SlurmArrayJob* job = a.submit();
  SlurmJobRow* row = a.panel.rowFor(job);
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Failed);
  EXPECT_TRUE(row->detailsText().contains(QStringLiteral("Invalid partition name specified")))
      << row->detailsText().toStdString();
  EXPECT_FALSE(row->detailsButton()->isHidden());
  EXPECT_TRUE(row->titleLabel()->text().contains(QStringLiteral("failed")));
  EXPECT_TRUE(a.cells.isEmpty());
}

TEST(SlurmArrayJob, ATaskThatFailedIsNamedWithItsExitCodeAndLog) {
  FakeArray a;
  SlurmArrayJob* job = a.submit();
  ASSERT_TRUE(waitFor([&] { return job->rounds() > 0; }));
  a.runTask(0);
  a.runTask(2);
  a.slurm.setStates({"COMPLETED", "FAILED", "COMPLETED"});
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Failed);
  ASSERT_EQ(job->failures().size(), 1) << job->failures().join('\n').toStdString();
  const QString line = job->failures().front();
  for (const char* part : {"task 1", "FAILED", "exit 1:0", "4 of 4 cells missing", "/logs/100_1.out"})
    EXPECT_TRUE(line.contains(QString::fromUtf8(part))) << part << ": " << line.toStdString();
  EXPECT_EQ(a.cells.size(), 8);
  EXPECT_EQ(a.measurements(), 8);
}

TEST(SlurmArrayJob, RetryResubmitsOnlyTheMissingTaskAndTheRowFollowsItToTheEnd) {
  FakeArray a;
  SlurmArrayJob* job = a.submit();
  SlurmJobRow* row = a.panel.rowFor(job);
  ASSERT_TRUE(waitFor([&] { return job->rounds() > 0; }));
  EXPECT_TRUE(row->retryButton()->isHidden());  // nothing to retry while it runs
  a.runTask(0);
  a.runTask(2);
  a.slurm.setStates({"COMPLETED", "FAILED", "COMPLETED"});
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  ASSERT_EQ(job->state(), SlurmArrayJob::State::Failed);
  EXPECT_EQ(job->retryableTasks(), 1);
  ASSERT_FALSE(row->retryButton()->isHidden());
  EXPECT_EQ(a.cells.size(), 8);

  // The retry is array job 101 and runs index 1 only.
  a.slurm.setRetryStates("101", {{1, "PENDING"}});
  row->retryButton()->click();
  EXPECT_TRUE(job->active());
  EXPECT_TRUE(row->retryButton()->isHidden());
  ASSERT_TRUE(waitFor([&] { return job->jobId() == QStringLiteral("101"); })) << job->failures().join('\n').toStdString();
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Running);
  EXPECT_TRUE(job->failures().isEmpty());  // the failure the retry is about is not shown as current
  const auto scripts = a.slurm.scripts();
  ASSERT_EQ(scripts.size(), 2u);
  const std::string retryScript = qid::test::readFile(scripts.back());
  EXPECT_NE(retryScript.find("#SBATCH --array=1\n"), std::string::npos) << retryScript;
  EXPECT_TRUE(row->titleLabel()->text().contains(QStringLiteral("101"))) << row->titleLabel()->text().toStdString();

  a.runTask(1);
  a.slurm.setRetryStates("101", {{1, "COMPLETED"}});
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Finished) << job->failures().join('\n').toStdString();
  EXPECT_TRUE(job->failures().isEmpty());
  EXPECT_TRUE(row->detailsButton()->isHidden());
  EXPECT_TRUE(row->retryButton()->isHidden());
  EXPECT_TRUE(row->titleLabel()->text().contains(QStringLiteral("done")));
  EXPECT_EQ(job->progress().done, 3);
  EXPECT_EQ(row->progressBar()->value(), 12);
  EXPECT_EQ(a.cells.size(), 12);
  EXPECT_EQ(QSet<QString>(a.cells.begin(), a.cells.end()).size(), 12);  // each once
  EXPECT_EQ(a.measurements(), 12);
  const auto cmds = a.slurm.commands();
  EXPECT_EQ(std::count_if(cmds.begin(), cmds.end(), [](const std::string& c) { return c.rfind("sbatch ", 0) == 0; }), 2);
}

TEST(SlurmArrayJob, ACancelledArrayCanBeRetriedForTheTasksThatNeverRan) {
  FakeArray a;
  SlurmArrayJob* job = a.submit();
  ASSERT_TRUE(waitFor([&] { return job->rounds() > 0; }));
  a.runTask(0);
  a.slurm.setStates({"COMPLETED", "RUNNING", "PENDING"});
  ASSERT_TRUE(waitFor([&] { return job->progress().ingested == 4; }));
  job->cancel();
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  ASSERT_EQ(job->state(), SlurmArrayJob::State::Cancelled);
  EXPECT_EQ(job->retryableTasks(), 2);
  ASSERT_TRUE(job->canRetry());
  a.slurm.setRetryStates("101", {{1, "PENDING"}, {2, "PENDING"}});
  job->retry();
  ASSERT_TRUE(waitFor([&] { return job->jobId() == QStringLiteral("101"); }));
  EXPECT_NE(qid::test::readFile(a.slurm.scripts().back()).find("#SBATCH --array=1-2\n"), std::string::npos);
  a.runTask(1);
  a.runTask(2);
  a.slurm.setRetryStates("101", {{1, "COMPLETED"}, {2, "COMPLETED"}});
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Finished) << job->failures().join('\n').toStdString();
  EXPECT_EQ(a.cells.size(), 12);
  EXPECT_EQ(QSet<QString>(a.cells.begin(), a.cells.end()).size(), 12);
  EXPECT_EQ(a.measurements(), 12);
}

TEST(SlurmArrayJob, TheMainWindowShowsEachCellOfTheArrayAsItIsIngested) {
  qid::test::TempDir tmp;
  qid::test::writeFile(tmp / "eval.txt", "some evaluation text\n");
  EvaluationRequest r;
  r.name = QStringLiteral("window-slurm");
  r.projectPath = QString::fromStdString((tmp / "p.qidlab").string());
  for (int step : {1000, 64000})
    for (int hidden : {32, 96}) {
      const fs::path dir =
          tmp / (std::string("h") + std::to_string(hidden)) / (std::string("step") + std::to_string(step));
      qid::test::writeFakeCheckpoint(dir, step + hidden, hidden);
      r.folders << QString::fromStdString(dir.string());
    }
  r.methods = {{QStringLiteral("rtn"), {2, 3, 4}, 128}};
  r.evalPath = QString::fromStdString((tmp / "eval.txt").string());
  r.seqlen = 64;
  r.windows = 4;
  SlurmChoices c;
  c.resultsDir = defaultSlurmResultsDir(r.projectPath);
  c.arraySize = 3;
  c.cliBinary = QStringLiteral(QIDLAB_CLI_PATH);

  LockedSlurm slurm;
  slurm.setStates({"PENDING", "PENDING", "PENDING"});
  MainWindow w;
  w.launcher()->setSlurmCommandRunner(slurm.runner());
  w.launcher()->setSlurmPollInterval(0.05);
  ASSERT_TRUE(w.runOnSlurm(r, c));
  EXPECT_EQ(w.session()->projectPath(), QFileInfo(r.projectPath).absoluteFilePath());
  ASSERT_EQ(w.jobQueue()->slurmJobs().size(), 1);
  SlurmArrayJob* job = w.jobQueue()->slurmJobs().front();
  ASSERT_NE(w.jobPanel()->rowFor(job), nullptr);
  ASSERT_TRUE(waitFor([&] { return job->rounds() > 0; })) << job->failures().join('\n').toStdString();
  EXPECT_TRUE(w.session()->rows().isEmpty());

  // The tasks run the plan the dialog's request became, as the nodes would.
  const fs::path plan = fs::path(c.resultsDir.toStdString()) / ".qidlab-slurm" / "window-slurm.plan.json";
  ASSERT_TRUE(fs::exists(plan));
  fs::create_directories(tmp / "scratch");
  auto runTask = [&](int i) { qid::test::runShardLocally(plan, c.resultsDir.toStdString(), i, 3, tmp / "scratch"); };
  runTask(0);
  slurm.setStates({"COMPLETED", "RUNNING", "RUNNING"});
  ASSERT_TRUE(waitFor([&] { return w.session()->rows().size() == 4; })) << w.session()->rows().size();
  runTask(1);
  runTask(2);
  slurm.setStates({"COMPLETED", "COMPLETED", "COMPLETED"});
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Finished) << job->failures().join('\n').toStdString();
  ASSERT_TRUE(waitFor([&] { return w.session()->rows().size() == 12; })) << w.session()->rows().size();
  QSet<qint64> ids;
  for (const MeasurementRow& row : w.session()->rows()) {
    EXPECT_TRUE(row.measured);
    ids.insert(row.id);
  }
  EXPECT_EQ(ids.size(), 12);
  // Closing does not ask: the array is the cluster's, not this window's.
  EXPECT_FALSE(w.jobQueue()->busy());
}

// cell id -> ΔqLoss
std::map<std::string, double> deltasOf(const QString& project) {
  qid::store::Project p(project.toStdString(), qid::store::Project::Mode::OpenExisting);
  std::map<std::string, double> out;
  for (const auto& m : p.measurements()) out[m.cellId] = m.delta;
  return out;
}

// RTN 2/3/4 bits over the two trained test checkpoints, 4 windows of 32.
EvaluationRequest trainedRequest(const QString& name) {
  const auto& ck = qid::test::trainedCheckpoints();
  EvaluationRequest r;
  r.name = name;
  r.folders = {QString::fromStdString(ck.early.string()), QString::fromStdString(ck.late.string())};
  r.methods = {{QStringLiteral("rtn"), {2, 3, 4}, 32}};
  r.evalPath = QString::fromStdString(ck.evalText.string());
  r.seqlen = 32;
  r.windows = 4;
  return r;
}

TEST(SlurmClusterGui, AnEvaluationSubmittedFromTheGuiLandsAsTheSameRunHereDoes) {
  std::string why;
  auto cluster = qid::test::LocalSlurm::start(why);
  if (!cluster) GTEST_SKIP() << "real Slurm unavailable: " << why;
  qid::test::TempDir tmp;
  EvaluationRequest r = trainedRequest(QStringLiteral("gui-slurm"));
  fs::create_directories(tmp / "local");
  fs::create_directories(tmp / "slurm");

  JobQueue queue;
  JobQueuePanel panel(&queue);
  EvaluationLauncher launcher(&queue, nullptr, {}, qid::hub::HubConfig{});
  launcher.setSlurmPollInterval(0.5);

  // Here, as "Run here" does.
  r.projectPath = QString::fromStdString((tmp / "local" / "p.qidlab").string());
  SweepJob* local = launcher.launch(r);
  ASSERT_NE(local, nullptr);
  ASSERT_TRUE(waitFor([&] { return local->state() == SweepJob::State::Finished; }, 120000))
      << local->failures().join('\n').toStdString();

  // On Slurm, as "Run on Slurm…" does, with the dialog's defaults.
  r.projectPath = QString::fromStdString((tmp / "slurm" / "p.qidlab").string());
  SlurmChoices c;
  c.resultsDir = defaultSlurmResultsDir(r.projectPath);
  c.arraySize = defaultArraySize(estimatedCells(r));
  c.time = QStringLiteral("00:05:00");
  c.cliBinary = QStringLiteral(QIDLAB_CLI_PATH);
  ASSERT_EQ(c.arraySize, 3);
  QStringList shown;
  QObject::connect(&queue, &JobQueue::cellFinished, [&](const QString& p, const QString& id) {
    if (p == r.projectPath) shown << id;
  });
  SlurmArrayJob* job = launcher.launchOnSlurm(r, c);
  SlurmJobRow* row = panel.rowFor(job);
  ASSERT_NE(row, nullptr);
  ASSERT_TRUE(waitFor([&] { return !job->active(); }, 180000)) << row->activityLabel()->text().toStdString();
  ASSERT_EQ(job->state(), SlurmArrayJob::State::Finished) << row->detailsText().toStdString();
  EXPECT_TRUE(row->titleLabel()->text().contains(QStringLiteral("done"))) << row->titleLabel()->text().toStdString();
  EXPECT_EQ(job->progress().done, 3);
  EXPECT_EQ(row->progressBar()->value(), 6);
  EXPECT_EQ(row->progressBar()->maximum(), 6);

  const auto here = deltasOf(QString::fromStdString((tmp / "local" / "p.qidlab").string()));
  const auto there = deltasOf(r.projectPath);
  ASSERT_EQ(here.size(), 6u);
  ASSERT_EQ(there.size(), here.size());
  double largest = 0;
  for (const auto& [id, delta] : here) {
    largest = std::max(largest, std::abs(delta));
    ASSERT_TRUE(there.count(id)) << "cell " << id << " is missing from the Slurm run";
    EXPECT_NEAR(there.at(id), delta, 1e-9) << id;
  }
  EXPECT_GT(largest, 1e-4);  // real quantization error, not zeros on both sides
  qid::store::Project p(r.projectPath.toStdString(), qid::store::Project::Mode::OpenExisting);
  EXPECT_EQ(p.measurementCount(), 6);  // nothing duplicated
  EXPECT_EQ(shown.size(), 6);
  EXPECT_EQ(QSet<QString>(shown.begin(), shown.end()).size(), 6);

  // Opened again, the finished array is all in the project: no row follows it.
  MainWindow w;
  ASSERT_TRUE(w.openProject(r.projectPath));
  ASSERT_TRUE(waitFor([&] { return w.slurmResumeCheck() && w.slurmResumeCheck()->done(); }));
  QApplication::processEvents();
  EXPECT_TRUE(w.jobQueue()->slurmJobs().isEmpty());
  EXPECT_EQ(w.session()->rows().size(), 6);
}

TEST(SlurmClusterGui, AnArraySubmittedBeforeTheWindowOpenedIsFollowedToTheEnd) {
  std::string why;
  auto cluster = qid::test::LocalSlurm::start(why);
  if (!cluster) GTEST_SKIP() << "real Slurm unavailable: " << why;
  qid::test::TempDir tmp;
  EvaluationRequest r = trainedRequest(QStringLiteral("gui-slurm-resume"));
  r.projectPath = QString::fromStdString((tmp / "p.qidlab").string());
  SlurmChoices c;
  c.resultsDir = defaultSlurmResultsDir(r.projectPath);
  c.arraySize = 3;
  c.time = QStringLiteral("00:05:00");
  c.cliBinary = QStringLiteral(QIDLAB_CLI_PATH);
  {  // An earlier session submitted it and closed.
    qid::store::Project p(r.projectPath.toStdString());
    qid::slurm::submitSweep(p, slurmSubmitRequest(r, c, writeSlurmPlan(r, c.resultsDir)));
  }
  MainWindow w;
  w.launcher()->setSlurmPollInterval(0.5);
  ASSERT_TRUE(w.openProject(r.projectPath));
  ASSERT_TRUE(waitFor([&] { return w.slurmResumeCheck() && w.slurmResumeCheck()->done(); }, 60000));
  ASSERT_TRUE(waitFor([&] { return w.jobQueue()->slurmJobs().size() == 1; }));
  SlurmArrayJob* job = w.jobQueue()->slurmJobs().front();
  EXPECT_TRUE(job->resumed());
  ASSERT_TRUE(waitFor([&] { return !job->active(); }, 180000)) << job->progressText().toStdString();
  ASSERT_EQ(job->state(), SlurmArrayJob::State::Finished) << job->failures().join('\n').toStdString();
  ASSERT_TRUE(waitFor([&] { return w.session()->rows().size() == 6; })) << w.session()->rows().size();
  QSet<qint64> ids;
  for (const MeasurementRow& row : w.session()->rows()) ids.insert(row.id);
  EXPECT_EQ(ids.size(), 6);
  EXPECT_EQ(deltasOf(r.projectPath).size(), 6u);
}

}  // namespace
}  // namespace qid::ui
