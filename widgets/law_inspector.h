#pragma once
// The law inspector: which law the charts draw, its parameters with CIs
// (values editable, undoable), fit quality, the citation, and a refit on the
// rows selected in the measurements table.
#include <QFutureWatcher>
#include <QWidget>
#include <utility>

#include "law_ref.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace qid::ui {

class ProjectSession;

class LawInspector : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kBootstrap = 200;  // resamples of a refit (CIs and bands)

  explicit LawInspector(ProjectSession* session, QWidget* parent = nullptr);
  ~LawInspector() override { watcher_.waitForFinished(); }
  QPushButton* refitButton() const { return refit_; }
  bool refitting() const { return watcher_.isRunning(); }
  QTableWidget* paramTable() const { return params_; }

 signals:
  void message(const QString& text);

 private:
  void fillLaws();
  void showLaw();
  void refitOnSelection();
  void refitFinished();

  ProjectSession* session_;
  QComboBox* law_;
  QComboBox* compare_;
  QTableWidget* params_;
  QLabel* stats_;
  QLabel* citation_;
  QPushButton* refit_;
  bool updating_ = false;
  QFutureWatcher<std::pair<LawPtr, QString>> watcher_;
};

}  // namespace qid::ui
