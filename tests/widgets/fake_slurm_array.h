#pragma once
// Widget tests of Slurm arrays without a cluster: a scripted Slurm
// (core/slurm/fake_slurm.h) shared safely with the jobs' workers, and the
// tiny 12-cell plan as an array of 3 whose tasks the test runs here.
#include <QObject>
#include <QStringList>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/slurm/fake_slurm.h"
#include "core/slurm/slurm_sweep_fixture.h"
#include "job_queue.h"
#include "job_queue_panel.h"
#include "slurm/sweep_submit.h"
#include "slurm_array_job.h"
#include "store/project.h"

namespace qid::ui::test {

namespace fs = std::filesystem;

// FakeSlurm shared between the job's worker and the test: every command and
// every edit under one lock. scancel marks the tasks still pending or
// running CANCELLED, as slurmctld would.
class LockedSlurm {
 public:
  void setStates(const std::vector<std::string>& states) {
    std::lock_guard lock(mutex_);
    states_ = states;
    publish();
  }
  template <typename F>
  void edit(F f) {
    std::lock_guard lock(mutex_);
    f(fake_);
  }
  // Array `jobId` as a retry's submission: its task i (job id 200+i) in `states[i]`.
  void setRetryStates(const std::string& jobId, const std::map<int, std::string>& states) {
    std::lock_guard lock(mutex_);
    std::string text;
    for (const auto& [i, st] : states)
      text += qid::test::scontrolLine(jobId, i, std::to_string(200 + i), st, st == "FAILED" ? "1:0" : "0:0");
    fake_.scontrol[jobId] = text;
  }
  std::vector<std::string> commands() {
    std::lock_guard lock(mutex_);
    return fake_.commands;
  }
  std::vector<std::string> scripts() {
    std::lock_guard lock(mutex_);
    return fake_.submittedScripts;
  }
  qid::slurm::CommandRunner runner() {
    return [this, inner = fake_.runner()](const std::string& cmd) {
      std::lock_guard lock(mutex_);
      if (cmd.rfind("scancel ", 0) == 0) {
        for (auto& s : states_)
          if (s == "PENDING" || s == "RUNNING") s = "CANCELLED";
        publish();
      }
      return inner(cmd);
    };
  }

 private:
  void publish() {  // array 100, task i has job id 100+i
    std::string text;
    for (size_t i = 0; i < states_.size(); ++i)
      text += qid::test::scontrolLine("100", int(i), std::to_string(100 + i), states_[i], states_[i] == "FAILED" ? "1:0" : "0:0");
    fake_.scontrol["100"] = text;
  }
  std::mutex mutex_;
  qid::test::FakeSlurm fake_;
  std::vector<std::string> states_;
};

// The tiny 12-cell plan as an array of 3 (4 cells per task).
struct FakeArray {
  qid::test::TempDir tmp;
  fs::path plan = qid::test::writeTinyPlanFile(tmp.path());
  QString project = QString::fromStdString((tmp / "p.qidlab").string());
  LockedSlurm slurm;
  QStringList cells;  // as the charts receive them
  JobQueue queue;
  JobQueuePanel panel{&queue};

  FakeArray() {
    slurm.setStates({"PENDING", "PENDING", "PENDING"});
    QObject::connect(&queue, &JobQueue::cellFinished, [this](const QString& p, const QString& id) {
      if (p == project) cells << id;
    });
  }
  qid::slurm::SweepSubmitRequest request() {
    qid::slurm::SweepSubmitRequest r;
    r.planPath = plan;
    r.resultsDir = tmp / "results";
    r.arraySize = 3;
    r.cliBinary = QIDLAB_CLI_PATH;
    return r;
  }
  // The array submitted as the GUI would, without a job (a project from an earlier session).
  std::int64_t submitWithoutGui() {
    qid::store::Project p(project.toStdString());
    return qid::slurm::submitSweep(p, request(), slurm.runner()).arrayId;
  }
  SlurmArrayJob* submit() {
    auto* job = new SlurmArrayJob(QStringLiteral("tiny"), project, request());
    job->setCommandRunner(slurm.runner());
    job->setPollInterval(0.05);
    return queue.addSlurm(job);
  }
  void runTask(int index) {
    fs::create_directories(tmp / "scratch");
    qid::test::runShardLocally(plan, tmp / "results", index, 3, tmp / "scratch");
  }
  std::int64_t measurements() {
    qid::store::Project p(project.toStdString(), qid::store::Project::Mode::OpenExisting);
    return p.measurementCount();
  }
};

}  // namespace qid::ui::test
