#pragma once
// The QiD Lab main window: chart tabs in the centre; measurements, law
// inspector and job queue as docks. It wires parts together and owns no
// science; menus live in main_window_menus.cpp.
#include <QMainWindow>

class QTabWidget;

namespace qid::ui {

class ChartPane;
class LawInspector;
class MeasurementsPanel;
class ProjectSession;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  ProjectSession* session() const { return session_; }
  // Opens "paper" or a project file; false (with a message) on failure.
  bool openProject(const QString& pathOrName);
  bool selectChart(const QString& name);
  ChartPane* currentChart() const;
  ChartPane* chart(const QString& name) const;
  MeasurementsPanel* measurements() const { return measurements_; }
  LawInspector* inspector() const { return inspector_; }

 protected:
  void closeEvent(QCloseEvent* e) override;

 private:
  void buildMenus();
  void exportFigure();
  void exportData(bool script);
  void chooseProject();
  void updateRecentMenu();
  void showMessage(const QString& text);

  ProjectSession* session_;
  QTabWidget* tabs_;
  QList<ChartPane*> charts_;
  MeasurementsPanel* measurements_;
  LawInspector* inspector_;
  QMenu* recentMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
};

}  // namespace qid::ui
