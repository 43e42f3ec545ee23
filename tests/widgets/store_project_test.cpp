// A store project in the GUI: duplicate revisions (identical weights under
// another claimed step) reach it flagged, the table marks them and the live
// fit leaves them out; the curves are drawn at the project's own sizes.
#include <gtest/gtest.h>

#include <QApplication>
#include <cmath>

#include "live_fitter.h"
#include "measurement_table_model.h"
#include "measurements_panel.h"
#include <QTableView>
#include "project_loader.h"
#include "project_session.h"
#include "store/project.h"
#include "test_support.h"
#include "wait_for.h"

namespace qid::ui {
namespace {

// 3 sizes x 4 token counts x 3 bit widths on the unified law, plus a
// duplicate revision (the weights of the 1e8 / 8e10 checkpoint, claimed at an
// earlier step) whose points lie far off the law.
void writeProject(const std::string& path) {
  qid::store::Project p(path);
  int cell = 0;
  auto add = [&](const std::string& ck, double n, double d, std::int64_t step, int bits, double delta) {
    qid::store::Measurement m;
    m.cellId = "cell" + std::to_string(cell++);
    m.checkpointId = ck;
    m.modelId = "suite-" + std::to_string(int(std::log10(n)));
    m.revision = "step" + std::to_string(step);
    m.N = n;
    m.D = d;
    m.step = step;
    m.method = "gptq";
    m.bits = bits;
    m.loss16 = 3.0;
    m.lossq = 3.0 + delta;
    m.delta = delta;
    if (cell == 1) m.manifest = {{"runner_details", {{"kl_divergence", 0.0123}}}};  // one cell measured KL
    p.insertMeasurement(m);
  };
  for (double n : {1e7, 1e8, 1e9})
    for (double d : {1e9, 5e9, 2e10, 8e10}) {
      const auto step = std::int64_t(d / 2e6);
      const std::string ck = "ck-" + std::to_string(int(std::log10(n))) + "-" + std::to_string(step);
      p.upsertModel({ck, "content", ck, "suite", "r", "step" + std::to_string(step), n, {}, d, step, {}, ""});
      for (int bits : {2, 3, 4}) add(ck, n, d, step, bits, 0.5 * std::pow(d, 0.5) / (std::pow(n, 0.25) * std::pow(bits, 5.0)) / 100);
    }
  p.upsertModel({"ck-dup", "content", "ck-8-40000", "suite", "r", "step1000", 1e8, {}, 2e9, 1000, {}, ""});
  for (int bits : {2, 3, 4}) add("ck-dup", 1e8, 2e9, 1000, bits, 5.0);
  ASSERT_EQ(p.refreshDuplicates(), 1);
}

using qid::ui::test::waitFor;

TEST(DuplicateRows, AreMarkedInTheTableAndLeftOutOfTheLiveFit) {
  qid::test::TempDir tmp;
  const std::string path = (tmp / "dup.qidlab").string();
  writeProject(path);

  ProjectSession session;
  loadStoreProject(session, QString::fromStdString(path), false);
  ASSERT_EQ(session.rows().size(), 39);
  int flagged = 0;
  for (const MeasurementRow& r : session.rows())
    if (!r.duplicateOf.isEmpty()) {
      ++flagged;
      EXPECT_EQ(r.revision, QStringLiteral("step1000"));
      EXPECT_FALSE(takenByFits(r));
    } else {
      EXPECT_TRUE(takenByFits(r));
    }
  EXPECT_EQ(flagged, 3);

  MeasurementTableModel model(&session);
  int marked = 0;
  for (int i = 0; i < model.rowCount(); ++i) {
    const QString rev = model.data(model.index(i, MeasurementTableModel::Revision), Qt::DisplayRole).toString();
    const QString tip = model.data(model.index(i, MeasurementTableModel::Revision), Qt::ToolTipRole).toString();
    if (rev.contains(QLatin1String("duplicate"))) {
      ++marked;
      EXPECT_TRUE(tip.contains(QLatin1String("ck-8-40000"))) << tip.toStdString();
    }
  }
  EXPECT_EQ(marked, 3);

  // KL where a cell measured it, "–" elsewhere; the panel shows the column only then.
  int withKl = 0;
  for (int i = 0; i < model.rowCount(); ++i) {
    const QString kl = model.data(model.index(i, MeasurementTableModel::Kl), Qt::DisplayRole).toString();
    if (kl != QStringLiteral("–")) {
      ++withKl;
      EXPECT_EQ(kl, QStringLiteral("0.0123"));
    }
  }
  EXPECT_EQ(withKl, 1);
  MeasurementsPanel panel(&session);
  EXPECT_FALSE(panel.view()->isColumnHidden(MeasurementTableModel::Kl));
  ProjectSession paper;
  loadPaperProject(paper);
  MeasurementsPanel paperPanel(&paper);
  EXPECT_TRUE(paperPanel.view()->isColumnHidden(MeasurementTableModel::Kl));

  // The live fit takes the 36 genuine points and recovers the planted law.
  LiveFitter fitter(&session);
  fitter.setDelay(0);
  QString why;
  QObject::connect(&fitter, &LiveFitter::failed, [&](const QString& e) { why = e; });
  fitter.schedule();
  ASSERT_TRUE(waitFor([&] { return fitter.fitsDone() >= 1 && !fitter.busy(); })) << why.toStdString();
  ASSERT_TRUE(session.currentLaw());
  EXPECT_EQ(session.currentLaw()->stats().points, 36);
}

TEST(StoreProject, CurvesAreDrawnAtTheProjectsOwnSizes) {
  qid::test::TempDir tmp;
  const std::string path = (tmp / "sizes.qidlab").string();
  writeProject(path);
  ProjectSession session;
  loadStoreProject(session, QString::fromStdString(path), false);
  EXPECT_EQ(session.sizes(), (QVector<double>{1e7, 1e8, 1e9}));
  EXPECT_FALSE(session.undoStack()->canUndo());  // opening a project is not an edit

  // An empty project keeps the paper's hypothetical sizes.
  ProjectSession empty;
  loadStoreProject(empty, QString::fromStdString((tmp / "empty.qidlab").string()), true);
  EXPECT_EQ(empty.sizes(), (QVector<double>{7e9, 70e9, 405e9}));
}

}  // namespace
}  // namespace qid::ui
