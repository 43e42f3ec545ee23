#pragma once
// Which of a project's Slurm arrays the GUI should follow again when it
// opens the project: those with tasks still pending or running, or with
// cells that landed in the results folder but are not in the project yet.
// An array whose cells are all in the project is skipped without asking
// Slurm; the others are asked about on a worker thread (scontrol can be
// slow), and each one to follow comes back as found(). An array that ended
// with cells missing and nothing new to ingest is not followed (`slurm
// retry` or a row's Retry button is the way back to it).
#include <QObject>
#include <QString>
#include <cstdint>
#include <vector>

#include "slurm/slurm_status.h"

class QThread;

namespace qid::slurm {
struct SweepArrayStatus;
}

namespace qid::ui {

// Tasks pending or running, or cells landed but not ingested.
bool slurmArrayUnfinished(const qid::slurm::SweepArrayStatus& status);

class SlurmResumeCheck : public QObject {
  Q_OBJECT
 public:
  explicit SlurmResumeCheck(QString projectPath, QObject* parent = nullptr);
  ~SlurmResumeCheck() override;  // joins the worker

  void setCommandRunner(qid::slurm::CommandRunner run) { run_ = std::move(run); }
  QString projectPath() const { return projectPath_; }
  // Takes the list of arrays now (so one submitted after this call is never
  // reported) and asks about them on the worker.
  void start();
  bool done() const { return done_; }

 signals:
  void found(qint64 arrayId, const QString& name);
  void problem(const QString& text);  // Slurm could not say where an array stands
  void finished();

 private:
  void work();  // on the worker thread

  QString projectPath_;
  qid::slurm::CommandRunner run_ = qid::slurm::systemRunner();
  QThread* thread_ = nullptr;
  std::vector<std::int64_t> ids_;
  bool done_ = false;
};

}  // namespace qid::ui
