// The job queue panel runs a FakeCellRunner sweep through the core Sweep on
// a worker thread: its progress bar follows the cells, pause/resume and
// cancel reach the sweep, the finished cells appear in the charts at once,
// and closing the window asks what to do with running jobs.
#include <gtest/gtest.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProgressBar>
#include <QThread>
#include <QToolButton>

#include "chart_canvas.h"
#include "chart_pane.h"
#include "core/jobs/sweep_fixture.h"
#include "evaluation_launcher.h"
#include "jobs/fake_cell_runner.h"
#include "job_queue.h"
#include "job_queue_panel.h"
#include "job_row.h"
#include "live_fitter.h"
#include "main_window.h"
#include "project_session.h"
#include "store/project.h"
#include "sweep_job.h"
#include "wait_for.h"

namespace qid::ui {
namespace {

using qid::ui::test::waitFor;

// Two model sizes x two steps of fake checkpoints (so N and D both vary and
// a law can be fitted), times the bit widths: 12 cells by default.
EvaluationRequest fakeRequest(const qid::test::TempDir& tmp, QVector<int> bits = {2, 3, 4}) {
  const auto root = tmp.path();
  qid::test::writeFile(root / "eval.txt", "some evaluation text\n");
  EvaluationRequest r;
  r.name = QStringLiteral("panel-test");
  r.projectPath = QString::fromStdString((root / "results.qidlab").string());
  for (int hidden : {32, 96})
    for (int step : {1000, 64000}) {
      const auto dir = root / QStringLiteral("h%1").arg(hidden).toStdString() / QStringLiteral("step%1").arg(step).toStdString();
      qid::test::writeFakeCheckpoint(dir, step + hidden, hidden);
      r.folders << QString::fromStdString(dir.string());
    }
  r.methods = {{QStringLiteral("rtn"), bits, 128}};
  r.evalPath = QString::fromStdString((root / "eval.txt").string());
  r.seqlen = 64;
  r.windows = 4;
  return r;
}

std::unique_ptr<qid::jobs::CellRunner> fake() { return std::make_unique<qid::jobs::FakeCellRunner>(); }

class SlowCells {  // QIDLAB_FAKE_CELL_MS makes each fake cell take a while
 public:
  explicit SlowCells(int ms) { qputenv("QIDLAB_FAKE_CELL_MS", QByteArray::number(ms)); }
  ~SlowCells() { qunsetenv("QIDLAB_FAKE_CELL_MS"); }
};

TEST(JobPanel, ShowsTheSweepsProgressAndTheResultsReachTheCharts) {
  qid::test::TempDir tmp;
  MainWindow w;
  w.launcher()->setRunnerFactory(fake);
  w.liveFitter()->setDelay(50);
  const EvaluationRequest req = fakeRequest(tmp);
  ASSERT_TRUE(w.runEvaluation(req));
  EXPECT_EQ(w.session()->projectPath(), QFileInfo(req.projectPath).absoluteFilePath());
  ASSERT_EQ(w.jobQueue()->jobs().size(), 1);
  SweepJob* job = w.jobQueue()->jobs().front();
  JobRow* row = w.jobPanel()->rowFor(job);
  ASSERT_NE(row, nullptr);
  ASSERT_TRUE(waitFor([&] { return job->state() == SweepJob::State::Finished; })) << SweepJob::stateText(job->state()).toStdString();
  EXPECT_EQ(job->totalCells(), 12);
  EXPECT_EQ(job->doneCells(), 12);
  EXPECT_EQ(row->progressBar()->maximum(), 12);
  EXPECT_EQ(row->progressBar()->value(), 12);
  EXPECT_FALSE(row->cancelButton()->isEnabled());

  // Every cell is in the session, as the store has it, and drawn as a point.
  qid::store::Project store(req.projectPath.toStdString());
  ASSERT_EQ(store.measurementCount(), 12);
  ASSERT_EQ(w.session()->rows().size(), 12);
  QSet<qint64> ids;
  for (const MeasurementRow& r : w.session()->rows()) {
    EXPECT_TRUE(r.measured);
    EXPECT_GT(r.d, 0);
    ids.insert(r.id);
  }
  w.selectChart(QStringLiteral("tokens"));
  w.chart(QStringLiteral("tokens"))->refresh();
  int drawn = 0;
  for (const PlotSeries& ps : w.chart(QStringLiteral("tokens"))->canvas()->spec().series)
    for (qint64 id : ps.ids) drawn += ids.contains(id);
  EXPECT_EQ(drawn, 12);
  // The fit followed the data (debounced, off the GUI thread).
  QString why;
  QObject::connect(w.liveFitter(), &LiveFitter::failed, [&](const QString& e) { why = e; });
  ASSERT_TRUE(waitFor([&] { return w.liveFitter()->fitsDone() >= 1 && !w.liveFitter()->busy(); })) << why.toStdString();
  EXPECT_TRUE(w.session()->currentLaw()->name().endsWith(QLatin1String("(fit)")));
  EXPECT_EQ(w.session()->currentLaw()->stats().points, 12);
}

TEST(JobPanel, PauseHoldsTheCellsAndResumeFinishesThem) {
  qid::test::TempDir tmp;
  SlowCells slow(20);
  JobQueue queue;
  JobQueuePanel panel(&queue);
  const EvaluationRequest req = fakeRequest(tmp);
  SweepJob* job = queue.submit(req.projectPath, sweepPlan(req), fake());
  JobRow* row = panel.rowFor(job);
  ASSERT_NE(row, nullptr);
  row->pauseButton()->click();
  EXPECT_EQ(job->state(), SweepJob::State::Paused);
  ASSERT_TRUE(waitFor([&] { return job->runningCells() == 0 && job->totalCells() > 0; }));
  const int held = job->doneCells();
  QThread::msleep(200);
  QApplication::processEvents();
  EXPECT_EQ(job->doneCells(), held);  // nothing new started
  EXPECT_LT(held, 12);
  row->pauseButton()->click();
  EXPECT_NE(job->state(), SweepJob::State::Paused);
  ASSERT_TRUE(waitFor([&] { return job->state() == SweepJob::State::Finished; }));
  EXPECT_EQ(job->doneCells(), 12);
}

TEST(JobPanel, CancelStopsTheSweepWithoutFailingCells) {
  qid::test::TempDir tmp;
  SlowCells slow(40);
  JobQueue queue;
  JobQueuePanel panel(&queue);
  const EvaluationRequest req = fakeRequest(tmp);
  SweepJob* job = queue.submit(req.projectPath, sweepPlan(req), fake());
  ASSERT_TRUE(waitFor([&] { return job->runningCells() > 0; }));
  panel.rowFor(job)->cancelButton()->click();
  ASSERT_TRUE(waitFor([&] { return job->state() == SweepJob::State::Cancelled; }));
  EXPECT_LT(job->doneCells(), 12);
  EXPECT_EQ(job->failedCells(), 0);
  qid::store::Project store(req.projectPath.toStdString());
  EXPECT_EQ(store.measurementCount(), job->doneCells());
}

TEST(JobPanel, AFailedCellShowsItsDetails) {
  qid::test::TempDir tmp;
  JobQueue queue;
  JobQueuePanel panel(&queue);
  EvaluationRequest req = fakeRequest(tmp, {3});
  // A checkpoint without config.json fails its own cells only.
  const auto broken = tmp.path() / "broken" / "step9000";
  std::filesystem::create_directories(broken);
  qid::test::writeFile(broken / "model.safetensors", "not a model");
  req.folders << QString::fromStdString(broken.string());
  SweepJob* job = queue.submit(req.projectPath, sweepPlan(req), fake());
  ASSERT_TRUE(waitFor([&] { return !job->active() && job->state() != SweepJob::State::Waiting; }));
  EXPECT_EQ(job->doneCells(), 4);
  EXPECT_EQ(job->failedCells(), 1);
  JobRow* row = panel.rowFor(job);
  EXPECT_FALSE(row->detailsButton()->isHidden());
  EXPECT_TRUE(row->detailsText().contains(QLatin1String("step9000"))) << row->detailsText().toStdString();
}

TEST(JobPanel, DestroyingARunningJobJoinsItsWorker) {
  qid::test::TempDir tmp;
  SlowCells slow(40);
  const EvaluationRequest req = fakeRequest(tmp);
  {
    SweepJob job(req.projectPath, sweepPlan(req), fake());
    job.start();
    ASSERT_TRUE(waitFor([&] { return job.runningCells() > 0; }));
  }  // cancel, requestInterruption, quit, wait
  qid::store::Project store(req.projectPath.toStdString());
  EXPECT_LT(store.measurementCount(), 12);
}

TEST(JobPanel, ClosingWhileJobsRunCanStopThem) {
  qid::test::TempDir tmp;
  SlowCells slow(40);
  MainWindow w;
  w.launcher()->setRunnerFactory(fake);
  ASSERT_TRUE(w.runEvaluation(fakeRequest(tmp)));
  SweepJob* job = w.jobQueue()->jobs().front();
  ASSERT_TRUE(waitFor([&] { return job->runningCells() > 0; }));
  w.show();
  w.setCloseChoice(MainWindow::CloseChoice::Cancel);
  EXPECT_FALSE(w.close());  // the user chose to stay
  EXPECT_TRUE(job->active());
  w.setCloseChoice(MainWindow::CloseChoice::StopJobs);
  EXPECT_TRUE(w.close());
  ASSERT_TRUE(waitFor([&] { return job->state() == SweepJob::State::Cancelled; }));
}

}  // namespace
}  // namespace qid::ui
