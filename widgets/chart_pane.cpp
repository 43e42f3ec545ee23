#include "chart_pane.h"

#include <QVBoxLayout>

#include "chart_builders.h"
#include "chart_canvas.h"
#include "project_session.h"

namespace qid::ui {

ChartPane::ChartPane(const QString& chartName, ProjectSession* session, QWidget* parent)
    : QWidget(parent), name_(chartName), session_(session), canvas_(new ChartCanvas(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(canvas_);
  for (auto sig : {&ProjectSession::lawsChanged, &ProjectSession::rowsChanged, &ProjectSession::filterChanged,
                   &ProjectSession::curvesChanged, &ProjectSession::fluctuationChanged})
    connect(session_, sig, this, &ChartPane::refreshIfVisible);
  connect(session_, &ProjectSession::handleMoved, this, &ChartPane::refreshIfVisible);
  connect(session_, &ProjectSession::selectionChanged, this,
          [this] { canvas_->setHighlighted(session_->selection()); });
  connect(canvas_, &ChartCanvas::handleDragStarted, this, [this] { dragId_ = session_->newDragId(); });
  connect(canvas_, &ChartCanvas::handleDragged, this, [this](double x) { session_->moveHandle(x, dragId_); });
  connect(canvas_, &ChartCanvas::handleDragFinished, this, [this] { dragId_ = 0; });
  // Clicking a point selects its row in the measurements table (Ctrl adds).
  connect(canvas_, &ChartCanvas::pointClicked, this, [this](qint64 id, bool add) {
    QSet<qint64> sel = add ? session_->selection() : QSet<qint64>{};
    if (add && sel.contains(id)) {
      sel.remove(id);
    } else {
      sel.insert(id);
    }
    session_->setSelection(sel);
  });
  refresh();
}

void ChartPane::refreshIfVisible() {
  if (isVisible()) {
    refresh();
  } else {
    dirty_ = true;
  }
}

void ChartPane::showEvent(QShowEvent* e) {
  QWidget::showEvent(e);
  if (dirty_) refresh();
}

void ChartPane::refresh() {
  dirty_ = false;
  ++refreshes_;
  canvas_->setSpec(chartByName(name_, *session_));
  canvas_->setHighlighted(session_->selection());
}

}  // namespace qid::ui
