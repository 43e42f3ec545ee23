#pragma once
// The QiD Lab main window: chart tabs in the centre; measurements, law
// inspector and job queue as docks. It wires parts together and owns no
// science; menus live in main_window_menus.cpp.
#include <QMainWindow>

#include <memory>

class QTabWidget;

namespace qid::store {
class Project;
}

namespace qid::ui {

class ChartPane;
struct DemoRequest;
class DownloadPanel;
struct EvaluationRequest;
struct SlurmChoices;
class EvaluationLauncher;
class JobQueue;
class JobQueuePanel;
class LawInspector;
class LiveFitter;
class MeasurementsPanel;
class ProjectSession;
class ReproduceJob;
class SlurmResumeCheck;
class TokenTableView;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  ProjectSession* session() const { return session_; }
  // Opens "paper" or a project file; false (with a message) on failure.
  bool openProject(const QString& pathOrName);
  bool selectChart(const QString& name);
  ChartPane* currentChart() const;
  ChartPane* chart(const QString& name) const;
  MeasurementsPanel* measurements() const { return measurements_; }
  LawInspector* inspector() const { return inspector_; }
  TokenTableView* tokenTable() const { return table_; }
  JobQueue* jobQueue() const { return jobs_; }
  JobQueuePanel* jobPanel() const { return jobPanel_; }
  EvaluationLauncher* launcher() const { return launcher_; }
  LiveFitter* liveFitter() const { return liveFitter_; }
  // Opens the request's project (creating it) and runs the evaluation.
  bool runEvaluation(const EvaluationRequest& request);
  // The micro-suite demo: opens (creating) OUT/study.qidlab and queues core's
  // reproduce into it; measurements reach the charts as the sweep lands them.
  ReproduceJob* runDemo(const DemoRequest& request);
  // Opens the request's project (creating it) and submits the evaluation to
  // Slurm as a job array; its cells reach the charts as they are ingested.
  bool runOnSlurm(const EvaluationRequest& request, const SlurmChoices& choices);
  // Opening a store project follows its Slurm arrays that have not ended
  // (a job row each); this is the check behind it, null before the first.
  SlurmResumeCheck* slurmResumeCheck() const { return resumeCheck_; }
  // What closing does while jobs run (the question's answer; tests set it).
  enum class CloseChoice { Ask, StopJobs, KeepJobs, Cancel };
  void setCloseChoice(CloseChoice c) { closeChoice_ = c; }

 protected:
  void closeEvent(QCloseEvent* e) override;

 private:
  void buildMenus();
  void exportFigure();
  void exportData(bool script);
  void chooseProject();
  void updateRecentMenu();
  void showMessage(const QString& text);
  void newEvaluation();
  void startDemo();
  void reloadFluctuation(const QString& projectPath);
  void demoFinished(ReproduceJob* job);
  void onCellFinished(const QString& projectPath, const QString& cellId);
  void openTargetProject(const EvaluationRequest& request);
  void resumeSlurmArrays();
  CloseChoice askAboutJobs();
  void applyTheme(const QString& name);

  ProjectSession* session_;
  QTabWidget* tabs_;
  QList<ChartPane*> charts_;
  MeasurementsPanel* measurements_;
  LawInspector* inspector_;
  QMenu* recentMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  TokenTableView* table_;
  JobQueue* jobs_;
  JobQueuePanel* jobPanel_;
  DownloadPanel* downloads_;
  EvaluationLauncher* launcher_;
  LiveFitter* liveFitter_;
  SlurmResumeCheck* resumeCheck_ = nullptr;
  std::unique_ptr<qid::store::Project> liveStore_;  // the open project, read as cells finish
  CloseChoice closeChoice_ = CloseChoice::Ask;
  bool quitWhenIdle_ = false;
};

}  // namespace qid::ui
