#include "main_window.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QIcon>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

#include "app_settings.h"
#include "chart_builders.h"
#include "chart_pane.h"
#include "common/error.h"
#include "curve_controls.h"
#include "law_inspector.h"
#include "measurements_panel.h"
#include "project_loader.h"
#include "project_session.h"

namespace qid::ui {

namespace {
QString chartTitle(const QString& name) {
  if (name == QLatin1String("tokens")) return MainWindow::tr("ΔqLoss vs tokens");
  if (name == QLatin1String("size")) return MainWindow::tr("vs model size");
  if (name == QLatin1String("bits")) return MainWindow::tr("vs bit width");
  if (name == QLatin1String("lossq")) return MainWindow::tr("Loss_q vs tokens");
  return name;
}
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), session_(new ProjectSession(this)), tabs_(new QTabWidget(this)),
      measurements_(new MeasurementsPanel(session_, this)), inspector_(new LawInspector(session_, this)) {
  setWindowTitle(tr("QiD Lab"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/qidlab.svg")));
  setObjectName(QStringLiteral("MainWindow"));
  resize(1400, 860);

  for (const QString& name : chartNames()) {
    auto* pane = new ChartPane(name, session_, tabs_);
    charts_.push_back(pane);
    tabs_->addTab(pane, chartTitle(name));
  }
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
  connect(inspector_, &LawInspector::message, this, &MainWindow::showMessage);
  resizeDocks({findChild<QDockWidget*>(QStringLiteral("MeasurementsDock"))}, {220}, Qt::Vertical);
  resizeDocks({findChild<QDockWidget*>(QStringLiteral("LawDock"))}, {330}, Qt::Horizontal);

  buildMenus();
  connect(session_->undoStack(), &QUndoStack::indexChanged, this, [this] {
    setWindowModified(!session_->undoStack()->isClean());
  });
  statusBar()->showMessage(tr("Drag the handle on the tokens chart to move the extrapolation horizon."));
}

bool MainWindow::openProject(const QString& pathOrName) {
  try {
    loadProject(*session_, pathOrName);
  } catch (const qid::Error& e) {
    showMessage(QString::fromStdString(e.what()));
    return false;
  }
  setWindowTitle(tr("%1[*] — QiD Lab").arg(session_->name()));
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
  settings::windowState.set(saveState());
  e->accept();
}

}  // namespace qid::ui
