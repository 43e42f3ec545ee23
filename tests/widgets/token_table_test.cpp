// The Table 1 view shows exactly core's tokenTable for the current law, its
// axes are editable and undoable, and it copies as core formats it.
#include <gtest/gtest.h>

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QTableWidget>
#include <cmath>

#include "laws/law.h"
#include "laws/law_table.h"
#include "project_loader.h"
#include "project_session.h"
#include "token_table_view.h"

namespace qid::ui {
namespace {

void expectMatchesCore(const TokenTableView& view, const ProjectSession& s) {
  const qid::laws::Law law = qid::laws::loadLaw(s.currentLaw()->name().toStdString());
  const TableAxes& a = s.tableAxes();
  const auto core = qid::laws::tokenTable(law, std::vector<double>(a.sizes.begin(), a.sizes.end()),
                                          std::vector<double>(a.targets.begin(), a.targets.end()),
                                          std::vector<double>(a.bits.begin(), a.bits.end()));
  QTableWidget* t = view.table();
  ASSERT_EQ(t->rowCount(), int(core.sizes.size()));
  ASSERT_EQ(t->columnCount(), int(core.targets.size()));
  for (int r = 0; r < t->rowCount(); ++r) {
    for (int c = 0; c < t->columnCount(); ++c) {
      const QVariantList raw = t->item(r, c)->data(TokenTableView::kTokensRole).toList();
      ASSERT_EQ(raw.size(), int(core.bits.size()));
      QStringList parts;
      for (int b = 0; b < raw.size(); ++b) {
        const double expected = core.tokens[r][c][b];
        if (std::isfinite(expected)) {
          EXPECT_DOUBLE_EQ(raw[b].toDouble(), expected);
          parts << QString::number(expected / 1e12, 'f', 4);
        } else {
          EXPECT_FALSE(std::isfinite(raw[b].toDouble()));
          parts << QStringLiteral("—");
        }
      }
      EXPECT_EQ(t->item(r, c)->text(), parts.join(QStringLiteral(" / ")));
    }
  }
  EXPECT_EQ(view.formatted(qid::laws::TableFormat::Latex).toStdString(),
            qid::laws::formatTokenTable(core, qid::laws::TableFormat::Latex, 4));
}

TEST(TokenTableView, EqualsCoresTableForThePapersLaw) {
  ProjectSession s;
  loadPaperProject(s);
  TokenTableView view(&s);
  ASSERT_TRUE(view.hasTable());
  expectMatchesCore(view, s);
  // Table 1 of the paper: a 7B model at 4 bits reaches ΔqLoss 0.2 after
  // some trillions of tokens, more for larger targets.
  const QVariantList a = view.table()->item(1, 0)->data(TokenTableView::kTokensRole).toList();
  const QVariantList b = view.table()->item(1, 3)->data(TokenTableView::kTokensRole).toList();
  EXPECT_LT(a[2].toDouble(), b[2].toDouble());
}

TEST(TokenTableView, EditedAxesFollowTheLawAndUndo) {
  ProjectSession s;
  loadPaperProject(s);
  TokenTableView view(&s);
  auto edits = view.findChildren<QLineEdit*>();
  ASSERT_EQ(edits.size(), 3);
  edits[0]->setText(QStringLiteral("13B, 65B"));
  edits[1]->setText(QStringLiteral("0.1, 0.25"));
  edits[2]->setText(QStringLiteral("3"));
  emit edits[2]->editingFinished();
  EXPECT_EQ(s.tableAxes().sizes, (QVector<double>{13e9, 65e9}));
  EXPECT_EQ(s.tableAxes().targets, (QVector<double>{0.1, 0.25}));
  EXPECT_EQ(s.tableAxes().bits, (QVector<int>{3}));
  expectMatchesCore(view, s);
  view.copy(qid::laws::TableFormat::Markdown);
  EXPECT_EQ(QApplication::clipboard()->text(), view.formatted(qid::laws::TableFormat::Markdown));
  s.undoStack()->undo();
  EXPECT_EQ(s.tableAxes(), TableAxes{});
  expectMatchesCore(view, s);
}

TEST(TokenTableView, FollowsTheCurrentLaw) {
  ProjectSession s;
  loadPaperProject(s);
  TokenTableView view(&s);
  for (int i = 0; i < s.laws().size(); ++i) {
    if (s.laws()[i]->name() != QLatin1String("ouyang2025-perbit")) continue;
    s.setCurrentLaw(i);
    expectMatchesCore(view, s);
    return;
  }
  FAIL() << "the perbit preset is missing";
}

}  // namespace
}  // namespace qid::ui
