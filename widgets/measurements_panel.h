#pragma once
// The measurements dock: a sortable table, filters by method, bits and size
// (undoable), and a multi-selection that highlights the points in the charts.
#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace qid::ui {

class MeasurementFilterProxy;
class MeasurementTableModel;
class ProjectSession;

class MeasurementsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit MeasurementsPanel(ProjectSession* session, QWidget* parent = nullptr);
  QTableView* view() const { return view_; }
  MeasurementFilterProxy* proxy() const { return proxy_; }

 private:
  void pushFilter();
  void showFilter();
  void fillChoices();
  void selectionToSession();
  void showSelection();  // session → table (a click in a chart)

  ProjectSession* session_;
  MeasurementTableModel* model_;
  MeasurementFilterProxy* proxy_;
  QTableView* view_;
  QComboBox* method_;
  QComboBox* bits_;
  QLineEdit* minN_;
  QLineEdit* maxN_;
  bool updating_ = false;
};

}  // namespace qid::ui
