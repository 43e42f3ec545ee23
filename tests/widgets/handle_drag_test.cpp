// Dragging the extrapolation handle changes the predicted values exactly as
// the core law says; the drag is one undo step, and undo restores them.
#include <gtest/gtest.h>

#include <QApplication>
#include <QGraphicsView>
#include <QMouseEvent>
#include <cmath>

#include "chart_canvas.h"
#include "chart_pane.h"
#include "drag_bench.h"
#include "extrapolation_handle.h"
#include "laws/law.h"
#include "laws/law_predict.h"
#include "project_loader.h"
#include "project_session.h"

namespace qid::ui {
namespace {

void send(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
  QMouseEvent e(type, pos, w->mapToGlobal(pos), Qt::LeftButton, buttons, Qt::NoModifier);
  QApplication::sendEvent(w, &e);
}

// The readings must be the core law's values at the handle's D.
void expectReadingsMatchLaw(const ProjectSession& s, const PlotSpec& spec) {
  const qid::laws::Law law = qid::laws::loadLaw("ouyang2025-unified");
  const auto l16 = qid::laws::pairedLoss16(law);
  ASSERT_TRUE(l16.has_value());
  ASSERT_EQ(spec.readings.size(), s.sizes().size() * s.bits().size());
  int i = 0;
  for (int b : s.bits()) {
    for (double n : s.sizes()) {
      const HandleReading& r = spec.readings[i++];
      const double d = *spec.handleX;
      const double expected = law.evaluate({{"N", n}, {"D", d}, {"P", b}});
      EXPECT_NEAR(r.y, expected, 1e-12 * expected) << r.curve.toStdString();
      const double lossQ = l16->evaluate({{"N", n}, {"D", d}}) + expected;
      ASSERT_TRUE(r.lossQ.has_value());
      EXPECT_NEAR(*r.lossQ, lossQ, 1e-12 * lossQ);
      EXPECT_EQ(r.worseThanRandom, lossQ > std::log(50304.0));
    }
  }
}

class HandleDrag : public ::testing::Test {
 protected:
  void SetUp() override {
    loadPaperProject(session);
    pane = std::make_unique<ChartPane>(QStringLiteral("tokens"), &session);
    pane->resize(1000, 650);
    pane->show();
    QApplication::processEvents();
  }
  // Drags the handle by dx pixels in `steps` moves.
  void drag(double dx, int steps) {
    ChartCanvas* c = pane->canvas();
    QWidget* vp = c->viewport();
    const QPointF start = c->mapFromScene(QPointF(c->handle()->pos().x(), c->chart()->plotArea().center().y()));
    send(vp, QEvent::MouseButtonPress, start, Qt::LeftButton);
    for (int i = 1; i <= steps; ++i)
      send(vp, QEvent::MouseMove, start + QPointF(dx * i / steps, 0), Qt::LeftButton);
    send(vp, QEvent::MouseButtonRelease, start + QPointF(dx, 0), Qt::NoButton);
  }
  ProjectSession session;
  std::unique_ptr<ChartPane> pane;
};

TEST_F(HandleDrag, StartsAtOneHundredTrillionTokensWithTheLawsValues) {
  const PlotSpec& spec = pane->canvas()->spec();
  ASSERT_TRUE(spec.handleX.has_value());
  EXPECT_DOUBLE_EQ(*spec.handleX, 1e14);
  expectReadingsMatchLaw(session, spec);
  // Eq 8 at 7B, 100T tokens, 2 bits is far beyond random guessing.
  EXPECT_TRUE(spec.readings.front().worseThanRandom);
}

TEST_F(HandleDrag, DragMovesThePredictionsAsTheLawSays) {
  const PlotSpec before = pane->canvas()->spec();
  drag(-250, 6);
  const PlotSpec& after = pane->canvas()->spec();
  ASSERT_TRUE(after.handleX.has_value());
  EXPECT_LT(*after.handleX, 1e14);
  EXPECT_GE(*after.handleX, session.dataMaxTokens());
  EXPECT_DOUBLE_EQ(session.handleTokens(), *after.handleX);
  expectReadingsMatchLaw(session, after);
  // Fewer tokens, less degradation (beta > 0).
  for (int i = 0; i < after.readings.size(); ++i) EXPECT_LT(after.readings[i].y, before.readings[i].y);
}

TEST_F(HandleDrag, OneDragIsOneUndoStepAndUndoRestoresTheValues) {
  const PlotSpec before = pane->canvas()->spec();
  drag(-200, 8);
  EXPECT_EQ(session.undoStack()->count(), 1);
  drag(-100, 4);
  EXPECT_EQ(session.undoStack()->count(), 2);
  session.undoStack()->undo();
  session.undoStack()->undo();
  const PlotSpec& restored = pane->canvas()->spec();
  EXPECT_DOUBLE_EQ(*restored.handleX, 1e14);
  ASSERT_EQ(restored.readings.size(), before.readings.size());
  for (int i = 0; i < before.readings.size(); ++i) EXPECT_DOUBLE_EQ(restored.readings[i].y, before.readings[i].y);
  session.undoStack()->redo();
  EXPECT_LT(*pane->canvas()->spec().handleX, 1e14);
}

TEST_F(HandleDrag, StaysWithinTheDataRangeAndOneHundredTrillion) {
  drag(-5000, 3);
  EXPECT_DOUBLE_EQ(session.handleTokens(), session.dataMaxTokens());
  drag(+8000, 3);
  EXPECT_DOUBLE_EQ(session.handleTokens(), 1e14);
}

TEST(DragBench, RunsAndReportsItsFrames) {  // a smoke test; the figures come from `qidlab --bench-drag`
  const DragBenchResult r = runDragBench(60, 2, 2, 6);
  EXPECT_EQ(r.points, 60);
  EXPECT_EQ(r.curves, 4);
  EXPECT_EQ(r.frames, 6);
  EXPECT_GT(r.cpuMeanMs, 0);
  EXPECT_GE(r.maxMs, r.meanMs);
  EXPECT_TRUE(r.text().contains(QLatin1String("Target <= 16 ms")));
}

TEST(LawEdit, ParameterEditIsUndoable) {
  ProjectSession s;
  loadPaperProject(s);
  const double d = 1e13;
  const double before = s.currentLaw()->deltaQ(7e9, d, 3);
  s.editLawParam(s.currentLawIndex(), QStringLiteral("beta"), 0.6);
  const double after = s.currentLaw()->deltaQ(7e9, d, 3);
  EXPECT_NEAR(after / before, std::pow(d, 0.6 - 0.5251), 1e-9 * after / before);
  s.undoStack()->undo();
  EXPECT_DOUBLE_EQ(s.currentLaw()->deltaQ(7e9, d, 3), before);
}

}  // namespace
}  // namespace qid::ui
