#include "pythia_suite_picker.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/error.h"
#include "hub/checkpoint_resolver.h"
#include "hub/hub_cache.h"
#include "hub/pythia_suite.h"

namespace qid::ui {

namespace {
constexpr int kCachedRole = Qt::UserRole + 1;

bool isCached(const std::filesystem::path& root, const std::string& repo, qint64 step) {
  if (root.empty()) return false;
  try {
    qid::hub::HubCache cache(root, repo);
    const auto commit = cache.readRef("step" + std::to_string(step));
    return commit && qid::hub::snapshotComplete(cache.snapshotDir(*commit));
  } catch (const std::exception&) {
    return false;
  }
}
}  // namespace

PythiaSuitePicker::PythiaSuitePicker(std::filesystem::path cacheDir, QWidget* parent)
    : QWidget(parent), cacheDir_(std::move(cacheDir)), steps_(new QLineEdit(this)),
      deduped_(new QCheckBox(tr("deduped"), this)), grid_(new QTableWidget(this)) {
  for (const auto& s : qid::hub::pythiaSizes()) sizes_ << QString::fromStdString(s.name);
  steps_->setText(QStringLiteral("1000..143000/16000"));
  steps_->setToolTip(tr("Steps: step numbers, LO..HI or LO..HI/STRIDE, comma-separated (e.g. 0,512,1000..143000/8000)"));
  deduped_->setChecked(true);
  grid_->setSelectionMode(QAbstractItemView::NoSelection);
  grid_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  grid_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Steps:"), this));
  top->addWidget(steps_, 1);
  top->addWidget(deduped_);
  auto* legend = new QLabel(tr("Tick the checkpoints to evaluate; ● marks those already in the cache "
                               "(no download). Click a size to tick its row."),
                            this);
  legend->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addWidget(grid_, 1);
  layout->addWidget(legend);
  connect(steps_, &QLineEdit::editingFinished, this, [this] { setSteps(steps_->text()); });
  connect(deduped_, &QCheckBox::toggled, this, &PythiaSuitePicker::rebuild);
  connect(grid_, &QTableWidget::itemChanged, this, &PythiaSuitePicker::selectionChanged);
  connect(grid_->verticalHeader(), &QHeaderView::sectionClicked, this, [this](int row) {
    bool all = true;
    for (int c = 0; c < grid_->columnCount(); ++c) all = all && grid_->item(row, c)->checkState() == Qt::Checked;
    for (int c = 0; c < grid_->columnCount(); ++c) setChecked(row, c, !all);
  });
  setSteps(steps_->text());
}

QString PythiaSuitePicker::repoFor(int row) const {
  return QString::fromStdString(qid::hub::pythiaRepo(sizes_[row].toStdString(), deduped_->isChecked()));
}

void PythiaSuitePicker::setSteps(const QString& revs) {
  try {
    QVector<qint64> cols;
    for (const auto& c : qid::hub::expandSelector("suite:pythia-70m@" + revs.toStdString())) cols.push_back(c.step);
    columns_ = cols;
    steps_->setText(revs);
    rebuild();
  } catch (const qid::Error& e) {
    emit message(tr("Steps: %1").arg(QString::fromStdString(e.what())));
  }
}

void PythiaSuitePicker::rebuild() {
  QSignalBlocker block(grid_);
  grid_->clear();
  grid_->setRowCount(int(sizes_.size()));
  grid_->setColumnCount(int(columns_.size()));
  QStringList colNames;
  for (qint64 s : columns_) colNames << QString::number(s);
  grid_->setHorizontalHeaderLabels(colNames);
  grid_->setVerticalHeaderLabels(sizes_);
  for (int r = 0; r < sizes_.size(); ++r) {
    const std::string repo = repoFor(r).toStdString();
    for (int c = 0; c < columns_.size(); ++c) {
      auto* item = new QTableWidgetItem;
      item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
      item->setCheckState(Qt::Unchecked);
      const bool cached = isCached(cacheDir_, repo, columns_[c]);
      item->setData(kCachedRole, cached);
      if (cached) {
        item->setText(QStringLiteral("●"));
        item->setForeground(QColor(30, 130, 60));
      }
      item->setToolTip(tr("%1 step %2 (D = %3 tokens)%4")
                           .arg(repoFor(r))
                           .arg(columns_[c])
                           .arg(qid::hub::pythiaTokens(columns_[c]), 0, 'e', 2)
                           .arg(cached ? tr(", in the cache") : QString()));
      grid_->setItem(r, c, item);
    }
  }
  block.unblock();
  emit selectionChanged();
}

void PythiaSuitePicker::setChecked(int sizeRow, int stepColumn, bool on) {
  if (QTableWidgetItem* item = grid_->item(sizeRow, stepColumn)) item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
}

QStringList PythiaSuitePicker::selectors() const {
  QStringList out;
  for (int r = 0; r < grid_->rowCount(); ++r) {
    QStringList steps;
    for (int c = 0; c < grid_->columnCount(); ++c)
      if (grid_->item(r, c)->checkState() == Qt::Checked) steps << QStringLiteral("step%1").arg(columns_[c]);
    if (steps.isEmpty()) continue;
    const QString name = sizes_[r] + (deduped_->isChecked() ? QStringLiteral("-deduped") : QString());
    out << QStringLiteral("suite:pythia-%1@%2").arg(name, steps.join(QLatin1Char(',')));
  }
  return out;
}

int PythiaSuitePicker::checkedCount() const {
  int n = 0;
  for (int r = 0; r < grid_->rowCount(); ++r)
    for (int c = 0; c < grid_->columnCount(); ++c) n += grid_->item(r, c)->checkState() == Qt::Checked;
  return n;
}

int PythiaSuitePicker::cachedCount() const {
  int n = 0;
  for (int r = 0; r < grid_->rowCount(); ++r)
    for (int c = 0; c < grid_->columnCount(); ++c)
      n += grid_->item(r, c)->checkState() == Qt::Checked && isCachedCell(r, c);
  return n;
}

bool PythiaSuitePicker::isCachedCell(int sizeRow, int stepColumn) const {
  const QTableWidgetItem* item = grid_->item(sizeRow, stepColumn);
  return item && item->data(kCachedRole).toBool();
}

}  // namespace qid::ui
