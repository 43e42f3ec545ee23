#pragma once
// The micro-suite demo as a row of the job queue: core's study::reproduce
// (train, sweep, fluctuation, fit, charts, report) on the job's worker
// thread. Its sweep's cells are reported like a plain sweep's, so finished
// measurements reach the charts at once; the progress bar follows the phase
// running now. Cancel stops it between steps (everything finished is kept
// and a rerun resumes); it cannot pause.
#include "demo_request.h"
#include "sweep_job.h"

namespace qid::ui {

class ReproduceJob : public SweepJob {
  Q_OBJECT
 public:
  ReproduceJob(DemoRequest request, std::unique_ptr<qid::jobs::CellRunner> runner, QObject* parent = nullptr);
  ~ReproduceJob() override;

  const DemoRequest& request() const { return request_; }
  bool canPause() const override { return false; }
  // OUT/report.md once the report is written; empty before.
  QString reportPath() const { return reportPath_; }
  // The phases finished so far, in order ("train", "sweep", ...).
  const QStringList& finishedPhases() const { return finishedPhases_; }

 signals:
  void phaseFinished(const QString& phase, const QString& summary);

 protected:
  void work() override;

 private:
  void onPhase(int index, int count, const QString& name, bool finished, const QString& summary);
  void onProgress(const QString& stage, qint64 done, qint64 total, const QString& message);

  DemoRequest request_;
  QString phaseLabel_, reportPath_;
  QStringList finishedPhases_;
};

}  // namespace qid::ui
