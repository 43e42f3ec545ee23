#pragma once
// The job queue dock: one JobRow per sweep, newest last, and a button that
// clears the finished ones.
#include <QWidget>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace qid::ui {

class JobQueue;
class JobRow;
class SweepJob;

class JobQueuePanel : public QWidget {
  Q_OBJECT
 public:
  explicit JobQueuePanel(JobQueue* queue, QWidget* parent = nullptr);
  JobRow* rowFor(const SweepJob* job) const;

 signals:
  void newEvaluationRequested();
  void demoRequested();

 private:
  void addRow(SweepJob* job);
  void removeRow(SweepJob* job);

  JobQueue* queue_;
  QVBoxLayout* rows_;
  QLabel* empty_;
  QPushButton* demo_;  // shown with empty_: the first-start invitation
};

}  // namespace qid::ui
