#pragma once
// One chart tab: rebuilds its PlotSpec from the session when the session
// changes, and turns handle drags into undoable session moves.
#include <QWidget>

namespace qid::ui {

class ChartCanvas;
class ProjectSession;

class ChartPane : public QWidget {
  Q_OBJECT
 public:
  ChartPane(const QString& chartName, ProjectSession* session, QWidget* parent = nullptr);
  const QString& chartName() const { return name_; }
  ChartCanvas* canvas() const { return canvas_; }
  void refresh();            // rebuild now
  void refreshIfVisible();   // rebuild now, or when next shown
  int refreshCount() const { return refreshes_; }  // rebuilds so far (tests of live updates)

 protected:
  void showEvent(QShowEvent* e) override;

 private:
  QString name_;
  ProjectSession* session_;
  ChartCanvas* canvas_;
  int dragId_ = 0;
  bool dirty_ = false;
  int refreshes_ = 0;
};

}  // namespace qid::ui
