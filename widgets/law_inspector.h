#pragma once
// The law inspector: which law the charts draw, its parameters with CIs
// (values editable, undoable), fit quality, the citation, and a refit on the
// rows selected in the measurements table.
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace qid::ui {

class ProjectSession;

class LawInspector : public QWidget {
  Q_OBJECT
 public:
  explicit LawInspector(ProjectSession* session, QWidget* parent = nullptr);
  QTableWidget* paramTable() const { return params_; }

 signals:
  void message(const QString& text);

 private:
  void fillLaws();
  void showLaw();
  void refitOnSelection();

  ProjectSession* session_;
  QComboBox* law_;
  QComboBox* compare_;
  QTableWidget* params_;
  QLabel* stats_;
  QLabel* citation_;
  QPushButton* refit_;
  bool updating_ = false;
};

}  // namespace qid::ui
