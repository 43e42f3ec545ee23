#include "main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QIcon>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

#include "app_settings.h"
#include "chart_builders.h"
#include "chart_canvas.h"
#include "chart_pane.h"
#include "common/error.h"
#include "curve_controls.h"
#include "download_panel.h"
#include "evaluation_launcher.h"
#include "hub/hub_config.h"
#include "job_queue.h"
#include "job_queue_panel.h"
#include "law_inspector.h"
#include "live_fitter.h"
#include "measurements_panel.h"
#include "project_loader.h"
#include "project_session.h"
#include "store/project.h"
#include "theme.h"
#include "token_table_view.h"

namespace qid::ui {

namespace {
QString chartTitle(const QString& name) {
  if (name == QLatin1String("tokens")) return MainWindow::tr("ΔqLoss vs tokens");
  if (name == QLatin1String("size")) return MainWindow::tr("vs model size");
  if (name == QLatin1String("bits")) return MainWindow::tr("vs bit width");
  if (name == QLatin1String("lossq")) return MainWindow::tr("Loss_q vs tokens");
  if (name == QLatin1String("map")) return MainWindow::tr("Training-level map");
  if (name == QLatin1String("predicted")) return MainWindow::tr("Predicted vs actual");
  if (name == QLatin1String("fluctuation")) return MainWindow::tr("Weight fluctuation");
  if (name == QLatin1String("fluctuation_ratio")) return MainWindow::tr("ΔqLoss vs fluctuation");
  return name;
}
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), session_(new ProjectSession(this)), tabs_(new QTabWidget(this)),
      measurements_(new MeasurementsPanel(session_, this)), inspector_(new LawInspector(session_, this)),
      table_(new TokenTableView(session_, this)), jobs_(new JobQueue(this)), jobPanel_(new JobQueuePanel(jobs_, this)),
      downloads_(new DownloadPanel(this)),
      launcher_(new EvaluationLauncher(jobs_, downloads_, {}, qid::hub::configFromEnvironment(), this)),
      liveFitter_(new LiveFitter(session_, this)) {
  setWindowTitle(tr("QiD Lab"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/qidlab.svg")));
  setObjectName(QStringLiteral("MainWindow"));
  resize(1400, 860);

  for (const QString& name : chartNames()) {
    auto* pane = new ChartPane(name, session_, tabs_);
    charts_.push_back(pane);
    tabs_->addTab(pane, chartTitle(name));
  }
  tabs_->addTab(table_, tr("Table 1"));
  setCentralWidget(tabs_);

  auto* curves = new QToolBar(tr("Curves"), this);
  curves->setObjectName(QStringLiteral("CurvesToolBar"));
  auto* controls = new CurveControls(session_, curves);
  curves->addWidget(controls);
  addToolBar(Qt::TopToolBarArea, curves);
  connect(controls, &CurveControls::message, this, &MainWindow::showMessage);

  auto dock = [this](QWidget* w, const QString& title, const char* id, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(QLatin1String(id));
    d->setWidget(w);
    addDockWidget(area, d);
    return d;
  };
  dock(inspector_, tr("Law inspector"), "LawDock", Qt::RightDockWidgetArea);
  dock(measurements_, tr("Measurements"), "MeasurementsDock", Qt::BottomDockWidgetArea);
  QDockWidget* jobsDock = dock(jobPanel_, tr("Jobs"), "JobsDock", Qt::RightDockWidgetArea);
  QDockWidget* downloadsDock = dock(downloads_, tr("Downloads"), "DownloadsDock", Qt::RightDockWidgetArea);
  tabifyDockWidget(jobsDock, downloadsDock);
  jobsDock->raise();
  connect(inspector_, &LawInspector::message, this, &MainWindow::showMessage);
  connect(table_, &TokenTableView::message, this, &MainWindow::showMessage);
  connect(jobPanel_, &JobQueuePanel::newEvaluationRequested, this, &MainWindow::newEvaluation);
  connect(jobPanel_, &JobQueuePanel::demoRequested, this, &MainWindow::startDemo);
  connect(launcher_, &EvaluationLauncher::message, this, &MainWindow::showMessage);
  connect(jobs_, &JobQueue::cellFinished, this, &MainWindow::onCellFinished);
  connect(jobs_, &JobQueue::idle, this, [this] {
    if (!quitWhenIdle_) return;
    close();
    QCoreApplication::quit();
  });
  connect(liveFitter_, &LiveFitter::fitted, this, [this](const QString& law, int points) {
    showMessage(tr("Refitted %1 on %2 points").arg(law).arg(points));
  });
  resizeDocks({findChild<QDockWidget*>(QStringLiteral("MeasurementsDock"))}, {220}, Qt::Vertical);
  resizeDocks({findChild<QDockWidget*>(QStringLiteral("LawDock"))}, {330}, Qt::Horizontal);
  applyTheme(settings::theme.get());

  buildMenus();
  connect(session_->undoStack(), &QUndoStack::indexChanged, this, [this] {
    setWindowModified(!session_->undoStack()->isClean());
  });
  statusBar()->showMessage(tr("Drag the handle on the tokens chart to move the extrapolation horizon."));
}

MainWindow::~MainWindow() = default;

bool MainWindow::openProject(const QString& pathOrName) {
  try {
    loadProject(*session_, pathOrName);
  } catch (const qid::Error& e) {
    showMessage(QString::fromStdString(e.what()));
    return false;
  }
  liveStore_.reset();
  setWindowTitle(tr("%1[*] — QiD Lab").arg(session_->name()));
  resumeSlurmArrays();
  settings::lastProject.set(pathOrName);
  settings::addRecent(pathOrName);
  updateRecentMenu();
  return true;
}

bool MainWindow::selectChart(const QString& name) {
  for (int i = 0; i < charts_.size(); ++i) {
    if (charts_[i]->chartName() == name) {
      tabs_->setCurrentIndex(i);
      return true;
    }
  }
  if (name == QLatin1String("table")) {
    tabs_->setCurrentWidget(table_);
    return true;
  }
  return false;
}

ChartPane* MainWindow::currentChart() const { return qobject_cast<ChartPane*>(tabs_->currentWidget()); }

ChartPane* MainWindow::chart(const QString& name) const {
  for (ChartPane* p : charts_)
    if (p->chartName() == name) return p;
  return nullptr;
}

void MainWindow::showMessage(const QString& text) { statusBar()->showMessage(text, 8000); }

void MainWindow::closeEvent(QCloseEvent* e) {
  if ((jobs_->busy() || launcher_->downloading()) && !quitWhenIdle_) {
    switch (askAboutJobs()) {
      case CloseChoice::Cancel:
      case CloseChoice::Ask:
        e->ignore();
        return;
      case CloseChoice::KeepJobs:
        // Keep them: the window goes, the jobs finish, then QiD Lab quits.
        quitWhenIdle_ = true;
        QApplication::setQuitOnLastWindowClosed(false);
        settings::windowState.set(saveState());
        hide();
        e->ignore();
        return;
      case CloseChoice::StopJobs:
        launcher_->cancelDownloads();
        jobs_->cancelAll();
        break;
    }
  }
  settings::windowState.set(saveState());
  e->accept();
}

void MainWindow::applyTheme(const QString& name) {
  applyApplicationTheme(name);
  for (ChartPane* p : charts_) p->canvas()->setDarkTheme(isDarkTheme(name));
}

}  // namespace qid::ui
