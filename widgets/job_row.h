#pragma once
// One job in the job queue panel: name, state, a progress bar over its
// cells, what it is doing now, and pause/resume, cancel and failure details.
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace qid::ui {

class SweepJob;

class JobRow : public QWidget {
  Q_OBJECT
 public:
  JobRow(SweepJob* job, QWidget* parent = nullptr);
  SweepJob* job() const { return job_; }
  QProgressBar* progressBar() const { return bar_; }
  QToolButton* pauseButton() const { return pause_; }
  QToolButton* cancelButton() const { return cancel_; }
  QToolButton* detailsButton() const { return details_; }
  QString detailsText() const;

 private:
  void refresh();
  void showDetails();

  SweepJob* job_;
  QLabel* title_;
  QLabel* activity_;
  QProgressBar* bar_;
  QToolButton* pause_;
  QToolButton* cancel_;
  QToolButton* details_;
};

}  // namespace qid::ui
