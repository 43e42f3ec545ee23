// The measurements table shows the session's rows, sorts numerically,
// filters by method/bits/size (undoably) and turns a selection into
// highlighted chart points.
#include <gtest/gtest.h>

#include <QApplication>
#include <QItemSelectionModel>
#include <QTableView>

#include "chart_canvas.h"
#include "chart_pane.h"
#include "measurement_table_model.h"
#include "measurements_panel.h"
#include "project_loader.h"
#include "project_session.h"

namespace qid::ui {
namespace {

QVector<MeasurementRow> sampleRows() {
  QVector<MeasurementRow> rows;
  const double ns[] = {7e7, 4.1e8, 1e9};
  qint64 id = 1;
  for (double n : ns)
    for (int bits : {2, 3, 4})
      for (double d : {1e9, 1e10, 3e11}) {
        MeasurementRow r;
        r.id = id++;
        r.model = QStringLiteral("pythia-%1").arg(n);
        r.n = n;
        r.d = d;
        r.bits = bits;
        r.method = bits == 4 ? QStringLiteral("awq") : QStringLiteral("gptq");
        r.loss16 = 3.0;
        r.deltaQ = 0.01 * (5 - bits) * std::log10(d) / std::log10(n);
        r.lossQ = r.loss16 + r.deltaQ;
        rows.push_back(r);
      }
  return rows;
}

TEST(MeasurementTable, ShowsEverySessionRow) {
  ProjectSession s;
  s.setRows(sampleRows());
  MeasurementTableModel model(&s);
  ASSERT_EQ(model.rowCount(), s.rows().size());
  for (int r = 0; r < model.rowCount(); ++r) {
    EXPECT_EQ(model.index(r, MeasurementTableModel::Model).data().toString(), s.rows()[r].model);
    EXPECT_EQ(model.index(r, MeasurementTableModel::Bits).data().toInt(), s.rows()[r].bits);
    EXPECT_DOUBLE_EQ(model.index(r, MeasurementTableModel::DeltaQ).data(MeasurementTableModel::kSortRole).toDouble(),
                     s.rows()[r].deltaQ);
    EXPECT_EQ(model.index(r, 0).data(MeasurementTableModel::kIdRole).toLongLong(), s.rows()[r].id);
  }
  s.appendRows({sampleRows().front()});
  EXPECT_EQ(model.rowCount(), s.rows().size());
}

TEST(MeasurementTable, SortsTokensNumerically) {
  ProjectSession s;
  s.setRows(sampleRows());
  MeasurementsPanel panel(&s);
  panel.view()->sortByColumn(MeasurementTableModel::D, Qt::DescendingOrder);
  auto* proxy = panel.view()->model();
  double prev = 1e300;
  for (int r = 0; r < proxy->rowCount(); ++r) {
    const double d = proxy->index(r, MeasurementTableModel::D).data(MeasurementTableModel::kSortRole).toDouble();
    EXPECT_LE(d, prev);
    prev = d;
  }
}

TEST(MeasurementTable, FiltersAreUndoable) {
  ProjectSession s;
  s.setRows(sampleRows());
  MeasurementsPanel panel(&s);
  auto* proxy = panel.view()->model();
  RowFilter f;
  f.bits = {3};
  f.minN = 1e8;
  s.setFilter(f);
  EXPECT_EQ(proxy->rowCount(), 2 * 3);  // two sizes >= 1e8, three D values
  EXPECT_EQ(s.visibleRows().size(), 6);
  RowFilter g = f;
  g.methods = {QStringLiteral("awq")};
  s.setFilter(g);
  EXPECT_EQ(proxy->rowCount(), 0);  // awq rows are 4-bit only
  s.undoStack()->undo();
  EXPECT_EQ(proxy->rowCount(), 6);
  s.undoStack()->undo();
  EXPECT_EQ(proxy->rowCount(), s.rows().size());
}

TEST(MeasurementTable, SelectionHighlightsPointsInTheCharts) {
  ProjectSession s;
  loadPaperProject(s);
  MeasurementsPanel panel(&s);
  ChartPane chart(QStringLiteral("tokens"), &s);
  chart.resize(900, 600);
  chart.show();
  QApplication::processEvents();
  panel.view()->selectRow(0);
  panel.view()->selectionModel()->select(panel.view()->model()->index(3, 0),
                                         QItemSelectionModel::Select | QItemSelectionModel::Rows);
  ASSERT_EQ(s.selection().size(), 2);
  int highlighted = 0;
  for (const PlotSeries& ps : chart.canvas()->spec().series)
    for (qint64 id : ps.ids) highlighted += s.selection().contains(id);
  EXPECT_EQ(highlighted, 2);
}

}  // namespace
}  // namespace qid::ui
