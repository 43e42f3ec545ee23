#include "measurements_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "measurement_table_model.h"
#include "size_text.h"

namespace qid::ui {

namespace {
template <typename T>
T firstOr(const QSet<T>& set, T fallback) {
  for (const T& v : set) return v;
  return fallback;
}
}  // namespace

MeasurementsPanel::MeasurementsPanel(ProjectSession* session, QWidget* parent)
    : QWidget(parent), session_(session), model_(new MeasurementTableModel(session, this)),
      proxy_(new MeasurementFilterProxy(session, this)), view_(new QTableView(this)),
      method_(new QComboBox(this)), bits_(new QComboBox(this)), minN_(new QLineEdit(this)),
      maxN_(new QLineEdit(this)) {
  proxy_->setSourceModel(model_);
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
  view_->verticalHeader()->hide();
  view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  view_->setAlternatingRowColors(true);
  minN_->setPlaceholderText(tr("min N, e.g. 70M"));
  maxN_->setPlaceholderText(tr("max N, e.g. 7B"));
  method_->setToolTip(tr("Show one quantization method"));
  bits_->setToolTip(tr("Show one bit width"));

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Method:"), this));
  bar->addWidget(method_);
  bar->addWidget(new QLabel(tr("Bits:"), this));
  bar->addWidget(bits_);
  bar->addWidget(new QLabel(tr("Size:"), this));
  bar->addWidget(minN_);
  bar->addWidget(maxN_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addLayout(bar);
  layout->addWidget(view_);

  fillChoices();
  connect(session_, &ProjectSession::rowsChanged, this, &MeasurementsPanel::fillChoices);
  connect(session_, &ProjectSession::filterChanged, this, &MeasurementsPanel::showFilter);
  connect(method_, &QComboBox::currentIndexChanged, this, &MeasurementsPanel::pushFilter);
  connect(bits_, &QComboBox::currentIndexChanged, this, &MeasurementsPanel::pushFilter);
  connect(minN_, &QLineEdit::editingFinished, this, &MeasurementsPanel::pushFilter);
  connect(maxN_, &QLineEdit::editingFinished, this, &MeasurementsPanel::pushFilter);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MeasurementsPanel::selectionToSession);
  connect(session_, &ProjectSession::selectionChanged, this, &MeasurementsPanel::showSelection);
}

void MeasurementsPanel::showSelection() {
  if (updating_) return;
  updating_ = true;
  QItemSelection sel;
  QModelIndex first;
  for (int r = 0; r < proxy_->rowCount(); ++r) {
    const QModelIndex idx = proxy_->index(r, 0);
    if (!session_->selection().contains(idx.data(MeasurementTableModel::kIdRole).toLongLong())) continue;
    sel.select(idx, proxy_->index(r, proxy_->columnCount() - 1));
    if (!first.isValid()) first = idx;
  }
  view_->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  if (first.isValid()) view_->scrollTo(first);
  updating_ = false;
}

void MeasurementsPanel::fillChoices() {
  updating_ = true;
  QSet<QString> methods;
  QSet<int> bits;
  bool anyKl = false;
  for (const MeasurementRow& r : session_->rows()) {
    methods.insert(r.method);
    bits.insert(r.bits);
    anyKl = anyKl || r.kl >= 0;
  }
  // The KL column only where some cell measured it (eval.kl).
  view_->setColumnHidden(MeasurementTableModel::Kl, !anyKl);
  method_->clear();
  method_->addItem(tr("all"), QString());
  QStringList ms(methods.begin(), methods.end());
  ms.sort();
  for (const QString& m : ms) method_->addItem(m, m);
  bits_->clear();
  bits_->addItem(tr("all"), 0);
  QList<int> bs(bits.begin(), bits.end());
  std::sort(bs.begin(), bs.end());
  for (int b : bs) bits_->addItem(QString::number(b), b);
  updating_ = false;
  showFilter();
}

void MeasurementsPanel::pushFilter() {
  if (updating_) return;
  RowFilter f;
  if (const QString m = method_->currentData().toString(); !m.isEmpty()) f.methods.insert(m);
  if (const int b = bits_->currentData().toInt(); b > 0) f.bits.insert(b);
  f.minN = parseSize(minN_->text()).value_or(0);
  f.maxN = parseSize(maxN_->text()).value_or(0);
  session_->setFilter(f);
}

void MeasurementsPanel::showFilter() {
  updating_ = true;
  const RowFilter& f = session_->filter();
  method_->setCurrentIndex(std::max(0, method_->findData(firstOr(f.methods, QString()))));
  bits_->setCurrentIndex(std::max(0, bits_->findData(firstOr(f.bits, 0))));
  minN_->setText(f.minN > 0 ? sizeText(f.minN) : QString());
  maxN_->setText(f.maxN > 0 ? sizeText(f.maxN) : QString());
  updating_ = false;
}

void MeasurementsPanel::selectionToSession() {
  if (updating_) return;
  updating_ = true;
  QSet<qint64> ids;
  for (const QModelIndex& idx : view_->selectionModel()->selectedRows())
    ids.insert(idx.data(MeasurementTableModel::kIdRole).toLongLong());
  session_->setSelection(ids);
  updating_ = false;
}

}  // namespace qid::ui
