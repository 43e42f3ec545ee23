#pragma once
// A Slurm array in the job queue panel: name, job id and state, a progress
// bar over the cells that have landed, the tasks pending/running/done/failed,
// cancel (scancel for the array), the failure details, and retry once the
// array ended with cells missing (the row then follows the retry).
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace qid::ui {

class SlurmArrayJob;

class SlurmJobRow : public QWidget {
  Q_OBJECT
 public:
  explicit SlurmJobRow(SlurmArrayJob* job, QWidget* parent = nullptr);
  SlurmArrayJob* job() const { return job_; }
  QLabel* titleLabel() const { return title_; }
  QLabel* activityLabel() const { return activity_; }
  QProgressBar* progressBar() const { return bar_; }
  QToolButton* cancelButton() const { return cancel_; }
  QToolButton* detailsButton() const { return details_; }
  QToolButton* retryButton() const { return retry_; }
  QString detailsText() const;

 private:
  void refresh();
  void showDetails();

  SlurmArrayJob* job_;
  QLabel* title_;
  QLabel* activity_;
  QProgressBar* bar_;
  QToolButton* cancel_;
  QToolButton* details_;
  QToolButton* retry_;
};

}  // namespace qid::ui
