#include "token_table_view.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "common/error.h"
#include "core_law.h"
#include "project_session.h"
#include "size_text.h"

namespace qid::ui {

namespace {
std::optional<QVector<double>> parseNumbers(const QString& text) {
  QVector<double> out;
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    const double v = part.trimmed().toDouble(&ok);
    if (!ok || !(v > 0)) return std::nullopt;
    out.push_back(v);
  }
  if (out.isEmpty()) return std::nullopt;
  return out;
}

QString joinNumbers(const QVector<double>& v) {
  QStringList s;
  for (double x : v) s << QString::number(x, 'g', 6);
  return s.join(QStringLiteral(", "));
}
}  // namespace

TokenTableView::TokenTableView(ProjectSession* session, QWidget* parent)
    : QWidget(parent), session_(session), sizes_(new QLineEdit(this)), targets_(new QLineEdit(this)),
      bits_(new QLineEdit(this)), table_(new QTableWidget(this)), caption_(new QLabel(this)) {
  sizes_->setToolTip(tr("Model sizes N, e.g. 1B, 7B, 70B, 405B"));
  targets_->setToolTip(tr("Target ΔqLoss values, e.g. 0.2, 0.3, 0.4, 0.5"));
  bits_->setToolTip(tr("Bit widths, e.g. 2, 3, 4"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  caption_->setWordWrap(true);
  auto* latex = new QPushButton(tr("Copy as LaTeX"), this);
  auto* markdown = new QPushButton(tr("Copy as Markdown"), this);
  auto* csv = new QPushButton(tr("Copy as CSV"), this);
  latex->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
  auto* axes = new QHBoxLayout;
  axes->addWidget(new QLabel(tr("Sizes:"), this));
  axes->addWidget(sizes_, 2);
  axes->addWidget(new QLabel(tr("Target ΔqLoss:"), this));
  axes->addWidget(targets_, 2);
  axes->addWidget(new QLabel(tr("Bits:"), this));
  axes->addWidget(bits_, 1);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(latex);
  buttons->addWidget(markdown);
  buttons->addWidget(csv);
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(axes);
  layout->addWidget(caption_);
  layout->addWidget(table_, 1);
  layout->addLayout(buttons);

  for (QLineEdit* e : {sizes_, targets_, bits_}) connect(e, &QLineEdit::editingFinished, this, &TokenTableView::pushAxes);
  connect(latex, &QPushButton::clicked, this, [this] { copy(qid::laws::TableFormat::Latex); });
  connect(markdown, &QPushButton::clicked, this, [this] { copy(qid::laws::TableFormat::Markdown); });
  connect(csv, &QPushButton::clicked, this, [this] { copy(qid::laws::TableFormat::Csv); });
  connect(session_, &ProjectSession::tableChanged, this, &TokenTableView::refresh);
  connect(session_, &ProjectSession::lawsChanged, this, &TokenTableView::refresh);
  refresh();
}

void TokenTableView::pushAxes() {
  TableAxes t = session_->tableAxes();
  const auto sizes = parseSizeList(sizes_->text());
  const auto targets = parseNumbers(targets_->text());
  const auto bits = parseNumbers(bits_->text());
  if (!sizes || !targets || !bits) {
    emit message(tr("Write sizes like 7B, 70B, targets like 0.2, 0.3 and bits like 2, 3, 4"));
    refresh();
    return;
  }
  t.sizes = *sizes;
  t.targets = *targets;
  t.bits.clear();
  for (double b : *bits) t.bits.push_back(int(std::lround(b)));
  session_->setTableAxes(t);
}

void TokenTableView::refresh() {
  const TableAxes& axes = session_->tableAxes();
  QStringList s, b;
  for (double n : axes.sizes) s << sizeText(n);
  for (int x : axes.bits) b << QString::number(x);
  sizes_->setText(s.join(QStringLiteral(", ")));
  targets_->setText(joinNumbers(axes.targets));
  bits_->setText(b.join(QStringLiteral(", ")));

  table_->clear();
  valid_ = false;
  const LawPtr law = session_->currentLaw();
  const qid::laws::Law* core = coreLawOf(law.get());
  if (!core) {
    caption_->setText(tr("No law to tabulate."));
    table_->setRowCount(0);
    table_->setColumnCount(0);
    return;
  }
  try {
    current_ = qid::laws::tokenTable(*core, std::vector<double>(axes.sizes.begin(), axes.sizes.end()),
                                     std::vector<double>(axes.targets.begin(), axes.targets.end()),
                                     std::vector<double>(axes.bits.begin(), axes.bits.end()));
    valid_ = true;
  } catch (const qid::Error& e) {
    caption_->setText(tr("Cannot tabulate %1: %2").arg(law->name(), QString::fromStdString(e.what())));
    return;
  }
  caption_->setText(tr("Training tokens (trillions) at which a model of N parameters, quantized to %1 bits, "
                       "reaches each target ΔqLoss; law %2. “—”: the target is out of reach.")
                        .arg(b.join(QLatin1Char('/')), law->name()));
  table_->setRowCount(int(current_.sizes.size()));
  table_->setColumnCount(int(current_.targets.size()));
  QStringList header, rows;
  for (double g : current_.targets) header << tr("ΔqLoss = %1").arg(g);
  for (double n : current_.sizes) rows << sizeText(n);
  table_->setHorizontalHeaderLabels(header);
  table_->setVerticalHeaderLabels(rows);
  for (size_t i = 0; i < current_.sizes.size(); ++i) {
    for (size_t g = 0; g < current_.targets.size(); ++g) {
      QStringList parts;
      QVariantList raw;
      for (size_t k = 0; k < current_.bits.size(); ++k) {
        const double d = current_.tokens[i][g][k];
        raw << d;
        parts << (std::isfinite(d) ? QString::number(d / 1e12, 'f', 4) : QStringLiteral("—"));
      }
      auto* item = new QTableWidgetItem(parts.join(QStringLiteral(" / ")));
      item->setData(kTokensRole, raw);
      item->setTextAlignment(Qt::AlignCenter);
      table_->setItem(int(i), int(g), item);
    }
  }
}

QString TokenTableView::formatted(qid::laws::TableFormat format) const {
  if (!valid_) return {};
  return QString::fromStdString(qid::laws::formatTokenTable(current_, format, 4));
}

void TokenTableView::copy(qid::laws::TableFormat format) {
  const QString text = formatted(format);
  if (text.isEmpty()) return;
  QApplication::clipboard()->setText(text);
  emit message(tr("Copied the table to the clipboard"));
}

}  // namespace qid::ui
