// Reopening a project whose Slurm arrays have not ended (the GUI was closed
// while they ran): the main window shows a job row for each, follows it to
// its end and brings each newly ingested cell to the charts once; an array
// whose cells are all in the project gets no row (and Slurm is not asked).
// Against the scripted Slurm of fake_slurm_array.h, tasks run here.
#include <gtest/gtest.h>

#include <QLabel>
#include <QProgressBar>
#include <QSet>
#include <QToolButton>
#include <algorithm>

#include "evaluation_launcher.h"
#include "fake_slurm_array.h"
#include "job_queue.h"
#include "job_queue_panel.h"
#include "main_window.h"
#include "measurement_row.h"
#include "project_session.h"
#include "slurm/sweep_ingest.h"
#include "slurm_array_job.h"
#include "slurm_job_row.h"
#include "slurm_resume_check.h"
#include "wait_for.h"

namespace qid::ui {
namespace {

using qid::ui::test::FakeArray;
using qid::ui::test::waitFor;

// The project's rows as the main window shows them, by measurement id.
int distinctRows(const MainWindow& w) {
  QSet<qint64> ids;
  for (const MeasurementRow& r : w.session()->rows()) ids.insert(r.id);
  return int(ids.size());
}

void ingestNow(FakeArray& a, std::int64_t arrayId) {
  qid::store::Project p(a.project.toStdString());
  qid::slurm::ingestSweep(p, *p.slurmArray(arrayId));
}

struct Window {
  MainWindow w;
  QStringList shown;  // cells the charts were sent
  explicit Window(FakeArray& a) {
    w.launcher()->setSlurmCommandRunner(a.slurm.runner());
    w.launcher()->setSlurmPollInterval(0.05);
    QObject::connect(w.jobQueue(), &JobQueue::cellFinished, [this](const QString&, const QString& id) { shown << id; });
  }
};

TEST(SlurmResume, ReopeningAProjectFollowsItsRunningArrayToTheEnd) {
  FakeArray a;
  const std::int64_t id = a.submitWithoutGui();
  a.runTask(0);
  ingestNow(a, id);  // the earlier session saw task 0's cells
  a.runTask(1);      // landed after it closed
  a.slurm.setStates({"COMPLETED", "COMPLETED", "RUNNING"});

  Window win(a);
  MainWindow& w = win.w;
  ASSERT_TRUE(w.openProject(a.project));
  EXPECT_EQ(w.session()->rows().size(), 4);
  ASSERT_TRUE(waitFor([&] { return w.jobQueue()->slurmJobs().size() == 1; }));
  SlurmArrayJob* job = w.jobQueue()->slurmJobs().front();
  EXPECT_TRUE(job->resumed());
  EXPECT_EQ(job->arrayId(), id);
  SlurmJobRow* row = w.jobPanel()->rowFor(job);
  ASSERT_NE(row, nullptr);
  ASSERT_TRUE(waitFor([&] { return w.session()->rows().size() == 8; })) << w.session()->rows().size();
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Running);
  EXPECT_EQ(job->jobId(), QStringLiteral("100"));
  EXPECT_TRUE(row->titleLabel()->text().contains(QStringLiteral("100")));
  EXPECT_TRUE(row->cancelButton()->isEnabled());
  EXPECT_EQ(row->progressBar()->maximum(), 12);

  a.runTask(2);
  a.slurm.setStates({"COMPLETED", "COMPLETED", "COMPLETED"});
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Finished) << job->failures().join('\n').toStdString();
  ASSERT_TRUE(waitFor([&] { return w.session()->rows().size() == 12; })) << w.session()->rows().size();
  EXPECT_EQ(distinctRows(w), 12);
  // Only the cells ingested now were sent, each once.
  EXPECT_EQ(win.shown.size(), 8);
  EXPECT_EQ(QSet<QString>(win.shown.begin(), win.shown.end()).size(), 8);
  EXPECT_EQ(a.measurements(), 12);
  const auto cmds = a.slurm.commands();
  EXPECT_EQ(std::count_if(cmds.begin(), cmds.end(), [](const std::string& c) { return c.rfind("sbatch ", 0) == 0; }),
            1);  // the earlier session's submit; following submits nothing

  // Opened again, the array is complete and in the project: no row, and no Slurm query.
  w.jobQueue()->removeFinished();
  ASSERT_TRUE(w.jobQueue()->slurmJobs().isEmpty());
  const size_t before = a.slurm.commands().size();
  ASSERT_TRUE(w.openProject(a.project));
  ASSERT_NE(w.slurmResumeCheck(), nullptr);
  ASSERT_TRUE(waitFor([&] { return w.slurmResumeCheck()->done(); }));
  QApplication::processEvents();
  EXPECT_TRUE(w.jobQueue()->slurmJobs().isEmpty());
  EXPECT_EQ(a.slurm.commands().size(), before);
  EXPECT_EQ(distinctRows(w), 12);
}

TEST(SlurmResume, AnArrayThatEndedWhileClosedIsIngestedOnOpening) {
  FakeArray a;
  const std::int64_t id = a.submitWithoutGui();
  a.runTask(0);
  ingestNow(a, id);
  a.runTask(1);
  a.runTask(2);
  a.slurm.setStates({"COMPLETED", "COMPLETED", "COMPLETED"});

  Window win(a);
  MainWindow& w = win.w;
  ASSERT_TRUE(w.openProject(a.project));
  ASSERT_TRUE(waitFor([&] { return w.slurmResumeCheck() && w.slurmResumeCheck()->done(); }));
  ASSERT_TRUE(waitFor([&] { return w.jobQueue()->slurmJobs().size() == 1; }));
  SlurmArrayJob* job = w.jobQueue()->slurmJobs().front();
  ASSERT_TRUE(waitFor([&] { return !job->active(); }));
  EXPECT_EQ(job->state(), SlurmArrayJob::State::Finished) << job->failures().join('\n').toStdString();
  ASSERT_TRUE(waitFor([&] { return w.session()->rows().size() == 12; })) << w.session()->rows().size();
  EXPECT_EQ(distinctRows(w), 12);
  EXPECT_EQ(win.shown.size(), 8);
  EXPECT_EQ(a.measurements(), 12);
}

TEST(SlurmResume, AnArrayThatEndedWithCellsMissingAndNothingNewGetsNoRow) {
  FakeArray a;
  const std::int64_t id = a.submitWithoutGui();
  a.runTask(0);
  a.runTask(2);
  ingestNow(a, id);
  a.slurm.setStates({"COMPLETED", "FAILED", "COMPLETED"});

  Window win(a);
  MainWindow& w = win.w;
  ASSERT_TRUE(w.openProject(a.project));
  ASSERT_TRUE(waitFor([&] { return w.slurmResumeCheck() && w.slurmResumeCheck()->done(); }));
  QApplication::processEvents();
  EXPECT_TRUE(w.jobQueue()->slurmJobs().isEmpty());
  EXPECT_EQ(w.session()->rows().size(), 8);
  // Slurm was asked (cells are missing), and said the array ended.
  const auto cmds = a.slurm.commands();
  EXPECT_TRUE(std::any_of(cmds.begin(), cmds.end(), [](const std::string& c) { return c.rfind("scontrol ", 0) == 0; }));
}

}  // namespace
}  // namespace qid::ui
