// The main window's menus and the actions behind them (file, export, edit,
// view, help). Dialogs live here; the export routines they call do not.
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QTabWidget>

#include "about_box.h"
#include "app_settings.h"
#include "chart_canvas.h"
#include "chart_pane.h"
#include "common/error.h"
#include "figure_export.h"
#include "language.h"
#include "main_window.h"
#include "plot_data_export.h"
#include "project_session.h"
#include "theme.h"

namespace qid::ui {

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* paper = file->addAction(tr("Open the &Paper project"), this, [this] { openProject(QStringLiteral("paper")); });
  paper->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
  file->addAction(tr("&Open project…"), QKeySequence::Open, this, &MainWindow::chooseProject);
  recentMenu_ = file->addMenu(tr("Open &recent"));
  file->addSeparator();
  file->addAction(tr("&New evaluation…"), QKeySequence::New, this, &MainWindow::newEvaluation);
  QAction* demo = file->addAction(tr("Run the micro-suite &demo…"), this, &MainWindow::startDemo);
  demo->setObjectName(QStringLiteral("DemoAction"));
  file->addSeparator();
  file->addAction(tr("&Export figure…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportFigure);
  file->addAction(tr("Export plotted data as &CSV…"), this, [this] { exportData(false); });
  file->addAction(tr("Export &matplotlib script…"), this, [this] { exportData(true); });
  QMenu* styleMenu = file->addMenu(tr("Export &style"));
  auto* styles = new QActionGroup(this);
  for (const QString& name : exportStyleNames()) {
    const ExportStyle st = exportStyle(name);
    const QString label = name == QLatin1String("single")   ? tr("Single column (%1 in)").arg(st.widthIn)
                          : name == QLatin1String("double") ? tr("Double column (%1 in)").arg(st.widthIn)
                                                            : tr("Screen (%1 in)").arg(st.widthIn);
    QAction* a = styleMenu->addAction(label, this, [name] { settings::exportStyleName.set(name); });
    a->setCheckable(true);
    a->setChecked(settings::exportStyleName.get() == name);
    styles->addAction(a);
  }
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = session_->undoStack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = session_->undoStack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);

  viewMenu_ = menuBar()->addMenu(tr("&View"));
  for (int i = 0; i < tabs_->count(); ++i) {
    QAction* a = viewMenu_->addAction(tabs_->tabText(i), this, [this, i] { tabs_->setCurrentIndex(i); });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
  }
  viewMenu_->addSeparator();
  QAction* bands = viewMenu_->addAction(tr("Bootstrap uncertainty &bands"), this, [this](bool on) {
    session_->setShowBands(on);
    if (on && session_->currentLaw() && !session_->currentLaw()->hasSamples())
      showMessage(tr("%1 has no bootstrap samples: refit it on data (Law inspector) to get bands")
                      .arg(session_->currentLaw()->name()));
  });
  bands->setCheckable(true);
  bands->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
  bands->setObjectName(QStringLiteral("BandsAction"));
  viewMenu_->addSeparator();
  for (QDockWidget* d : findChildren<QDockWidget*>()) viewMenu_->addAction(d->toggleViewAction());
  QMenu* theme = viewMenu_->addMenu(tr("&Theme"));
  auto* themes = new QActionGroup(this);
  for (const QString& name : themeNames()) {
    QAction* a = theme->addAction(name == QLatin1String("dark") ? tr("Dark") : tr("Light"), this, [this, name] {
      settings::theme.set(name);
      applyTheme(name);
    });
    a->setCheckable(true);
    a->setChecked(settings::theme.get() == name);
    themes->addAction(a);
  }
  QMenu* lang = viewMenu_->addMenu(tr("&Language"));
  auto* langs = new QActionGroup(this);
  for (const auto& [code, label] : availableLanguages()) {
    QAction* a = lang->addAction(label, this, [this, code = code] {
      settings::language.set(code);
      QMessageBox::information(this, tr("Language"), tr("The language changes when QiD Lab restarts."));
    });
    a->setCheckable(true);
    a->setChecked(settings::language.get() == code);
    langs->addAction(a);
  }

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(demo);
  help->addSeparator();
  help->addAction(tr("&About QiD Lab"), QKeySequence::HelpContents, this, [this] { showAboutBox(this); });
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
  updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
  if (!recentMenu_) return;
  recentMenu_->clear();
  for (const QString& path : settings::recentProjects.get())
    recentMenu_->addAction(path == QLatin1String("paper") ? tr("Paper (bundled)") : path, this,
                           [this, path] { openProject(path); });
  recentMenu_->setEnabled(!recentMenu_->isEmpty());
}

void MainWindow::chooseProject() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), settings::exportFolder.get(),
                                                    tr("QiD Lab projects (*.qidlab);;All files (*)"));
  if (!path.isEmpty()) openProject(path);
}

void MainWindow::exportFigure() {
  ChartPane* pane = currentChart();
  if (!pane) return;
  const QString style = settings::exportStyleName.get();
  QString selected;
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export figure (%1 column style)").arg(style),
      QFileInfo(settings::exportFolder.get(), pane->chartName() + QStringLiteral(".pdf")).filePath(),
      tr("PDF (*.pdf);;SVG (*.svg);;PNG (*.png)"), &selected);
  if (path.isEmpty()) return;
  settings::exportFolder.set(QFileInfo(path).absolutePath());
  try {
    qid::ui::exportFigure(pane->canvas()->spec(), exportStyle(style), path, settings::exportDpi.get());
    showMessage(tr("Wrote %1").arg(path));
  } catch (const qid::Error& e) {
    QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.what()));
  }
}

void MainWindow::exportData(bool script) {
  ChartPane* pane = currentChart();
  if (!pane) return;
  const QString suffix = script ? QStringLiteral(".py") : QStringLiteral(".csv");
  const QString path = QFileDialog::getSaveFileName(
      this, script ? tr("Export matplotlib script") : tr("Export plotted data"),
      QFileInfo(settings::exportFolder.get(), pane->chartName() + suffix).filePath(),
      script ? tr("Python (*.py)") : tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  settings::exportFolder.set(QFileInfo(path).absolutePath());
  try {
    const PlotSpec& spec = pane->canvas()->spec();
    const ExportStyle style = exportStyle(settings::exportStyleName.get());
    writeTextFile(path, script ? matplotlibScript(spec, style, QFileInfo(path).completeBaseName() + QStringLiteral(".pdf"))
                               : plotCsv(spec));
    showMessage(tr("Wrote %1").arg(path));
  } catch (const qid::Error& e) {
    QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.what()));
  }
}

}  // namespace qid::ui
