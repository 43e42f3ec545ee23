#include "law_inspector.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "common/error.h"
#include "project_session.h"

namespace qid::ui {

namespace {
QString opt(const std::optional<double>& v, int prec = 4) {
  return v ? QString::number(*v, 'g', prec) : QStringLiteral("–");
}
}  // namespace

LawInspector::LawInspector(ProjectSession* session, QWidget* parent)
    : QWidget(parent), session_(session), law_(new QComboBox(this)), compare_(new QComboBox(this)),
      params_(new QTableWidget(0, 3, this)), stats_(new QLabel(this)), citation_(new QLabel(this)),
      refit_(new QPushButton(tr("Refit on selection"), this)) {
  params_->setHorizontalHeaderLabels({tr("Parameter"), tr("Value"), tr("95% CI")});
  params_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  params_->verticalHeader()->hide();
  stats_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  citation_->setWordWrap(true);
  citation_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  refit_->setToolTip(tr("Fit this law's family on the rows selected in the measurements table"));
  law_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  compare_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);

  auto* form = new QFormLayout;
  form->addRow(tr("Law:"), law_);
  form->addRow(tr("Compare with:"), compare_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(params_, 1);
  layout->addWidget(stats_);
  layout->addWidget(citation_);
  layout->addWidget(refit_);

  connect(session_, &ProjectSession::lawsChanged, this, [this] {
    fillLaws();
    showLaw();
  });
  connect(law_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (!updating_) session_->setCurrentLaw(i);
  });
  connect(compare_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (!updating_) session_->setComparisonLaw(i - 1);
  });
  connect(params_, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    if (updating_ || item->column() != 1) return;
    bool ok = false;
    const double v = item->text().toDouble(&ok);
    const QString name = params_->item(item->row(), 0)->text();
    if (ok) {
      session_->editLawParam(session_->currentLawIndex(), name, v);
    } else {
      emit message(tr("'%1' is not a number").arg(item->text()));
      showLaw();
    }
  });
  connect(refit_, &QPushButton::clicked, this, &LawInspector::refitOnSelection);
  connect(&watcher_, &QFutureWatcher<std::pair<LawPtr, QString>>::finished, this, &LawInspector::refitFinished);
  fillLaws();
  showLaw();
}

void LawInspector::fillLaws() {
  updating_ = true;
  law_->clear();
  compare_->clear();
  compare_->addItem(tr("(none)"));
  for (const LawPtr& l : session_->laws()) {
    law_->addItem(l->name());
    law_->setItemData(law_->count() - 1, l->title(), Qt::ToolTipRole);
    compare_->addItem(l->name());
  }
  law_->setCurrentIndex(session_->currentLawIndex());
  compare_->setCurrentIndex(session_->comparisonLawIndex() + 1);
  updating_ = false;
}

void LawInspector::showLaw() {
  updating_ = true;
  const LawPtr law = session_->currentLaw();
  params_->setRowCount(0);
  if (law) {
    const auto ps = law->params();
    params_->setRowCount(int(ps.size()));
    for (int i = 0; i < ps.size(); ++i) {
      auto* name = new QTableWidgetItem(ps[i].name);
      name->setFlags(name->flags() & ~Qt::ItemIsEditable);
      auto* ci = new QTableWidgetItem(ps[i].lo && ps[i].hi
                                          ? QStringLiteral("[%1, %2]").arg(*ps[i].lo, 0, 'g', 4).arg(*ps[i].hi, 0, 'g', 4)
                                          : QStringLiteral("–"));
      ci->setFlags(ci->flags() & ~Qt::ItemIsEditable);
      params_->setItem(i, 0, name);
      params_->setItem(i, 1, new QTableWidgetItem(QString::number(ps[i].value, 'g', 6)));
      params_->setItem(i, 2, ci);
    }
    const LawFitStats st = law->stats();
    stats_->setText(tr("R² %1   AIC %2   BIC %3   CV error %4   (%5 points)")
                        .arg(opt(st.r2), opt(st.aic), opt(st.bic), opt(st.cvError))
                        .arg(st.points));
    citation_->setText(law->citation());
  } else {
    stats_->clear();
    citation_->setText(tr("No law loaded."));
  }
  updating_ = false;
}

void LawInspector::refitOnSelection() {
  const LawPtr law = session_->currentLaw();
  if (!law) return;
  QVector<MeasurementRow> chosen;
  for (const MeasurementRow& r : session_->rows())
    if (session_->selection().contains(r.id)) chosen.push_back(r);
  if (chosen.isEmpty()) chosen = session_->visibleRows();
  // Duplicate revisions (identical weights under another step) stay out.
  QVector<MeasurementRow> rows;
  for (const MeasurementRow& r : chosen)
    if (r.duplicateOf.isEmpty()) rows.push_back(r);
  const qsizetype duplicates = chosen.size() - rows.size();
  if (watcher_.isRunning()) return;
  refit_->setEnabled(false);
  if (duplicates > 0)
    emit message(tr("Refitting %1 on %2 rows (with %3 bootstrap resamples; %4 duplicate revisions left out)…")
                     .arg(law->name()).arg(rows.size()).arg(kBootstrap).arg(duplicates));
  else
    emit message(tr("Refitting %1 on %2 rows (with %3 bootstrap resamples)…").arg(law->name()).arg(rows.size()).arg(kBootstrap));
  // The core fit runs on a pool thread; the result comes back to this one.
  watcher_.setFuture(QtConcurrent::run([law, rows]() -> std::pair<LawPtr, QString> {
    try {
      return {law->refit(rows, kBootstrap), QString()};
    } catch (const std::exception& e) {
      return {nullptr, QString::fromStdString(e.what())};
    }
  }));
}

void LawInspector::refitFinished() {
  refit_->setEnabled(true);
  const auto [fitted, error] = watcher_.result();
  if (!fitted) {
    emit message(tr("Refit failed: %1").arg(error));
    return;
  }
  // A fit is a new law next to the one it came from, and becomes current.
  session_->setCurrentLaw(session_->upsertLaw(fitted));
  emit message(tr("Fitted %1 on %2 points").arg(fitted->name()).arg(fitted->stats().points));
}

}  // namespace qid::ui
