#pragma once
// The downloads dock: each hub download with a progress bar (bytes of the
// current checkpoint, checkpoints done), speed and ETA, and a cancel button.
#include <QWidget>

class QVBoxLayout;

namespace qid::ui {

class DownloadJob;

class DownloadPanel : public QWidget {
  Q_OBJECT
 public:
  explicit DownloadPanel(QWidget* parent = nullptr);
  // Shows the job (the panel does not own it).
  void addJob(DownloadJob* job);

 private:
  QVBoxLayout* rows_;
};

}  // namespace qid::ui
