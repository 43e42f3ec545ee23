#include "measurement_table_model.h"

#include "chart_palette.h"

namespace qid::ui {

MeasurementTableModel::MeasurementTableModel(ProjectSession* session, QObject* parent)
    : QAbstractTableModel(parent), session_(session) {
  connect(session_, &ProjectSession::rowsChanged, this, [this] {
    beginResetModel();
    endResetModel();
  });
}

int MeasurementTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(session_->rows().size());
}

int MeasurementTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant MeasurementTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const MeasurementRow& r = row(index.row());
  if (role == kIdRole) return r.id;
  const auto num = [](double v, int prec) -> QVariant {
    return v == 0 ? QVariant(QStringLiteral("–")) : QVariant(QString::number(v, 'g', prec));
  };
  if (role == kSortRole) {
    switch (index.column()) {
      case N: return r.n;
      case D: return r.d;
      case Bits: return r.bits;
      case Loss16: return r.loss16;
      case LossQ: return r.lossQ;
      case DeltaQ: return r.deltaQ;
      case StdErr: return r.stderr_;
      case Kl: return r.kl;
      default: break;
    }
    role = Qt::DisplayRole;
  }
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Model: return r.model;
      case Revision: return r.duplicateOf.isEmpty() ? r.revision : tr("%1 (duplicate)").arg(r.revision);
      case N: return sizeLabel(r.n);
      case D: return QString::number(r.d, 'e', 3);
      case Method: return r.method;
      case Bits: return r.bits;
      case Loss16: return num(r.loss16, 5);
      case LossQ: return num(r.lossQ, 5);
      case DeltaQ: return QString::number(r.deltaQ, 'g', 5);
      case StdErr: return num(r.stderr_, 3);
      case Kl: return r.kl < 0 ? QVariant(QStringLiteral("–")) : QVariant(QString::number(r.kl, 'g', 4));
      case Source: return r.source;
      default: return {};
    }
  }
  if (role == Qt::TextAlignmentRole && index.column() >= N && index.column() != Method && index.column() != Source)
    return int(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ForegroundRole && index.column() == Bits) return bitColor(r.bits);
  if (role == Qt::ToolTipRole && !r.measured) return tr("Tabulated from the paper; not a measurement");
  if (role == Qt::ToolTipRole && !r.duplicateOf.isEmpty())
    return tr("Duplicate revision: its weights are identical to %1. Left out of fits.").arg(r.duplicateOf);
  if (role == Qt::ForegroundRole && !r.duplicateOf.isEmpty()) return QColor(Qt::gray);
  return {};
}

QVariant MeasurementTableModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, o, role);
  switch (section) {
    case Model: return tr("Model");
    case Revision: return tr("Revision");
    case N: return tr("N");
    case D: return tr("D (tokens)");
    case Method: return tr("Method");
    case Bits: return tr("Bits");
    case Loss16: return tr("Loss16");
    case LossQ: return tr("Loss_q");
    case DeltaQ: return tr("ΔqLoss");
    case StdErr: return tr("Std. err.");
    case Kl: return tr("KL");
    case Source: return tr("Source");
    default: return {};
  }
}

MeasurementFilterProxy::MeasurementFilterProxy(ProjectSession* session, QObject* parent)
    : QSortFilterProxyModel(parent), session_(session) {
  setSortRole(MeasurementTableModel::kSortRole);
  connect(session_, &ProjectSession::filterChanged, this, [this] { invalidateFilter(); });
}

bool MeasurementFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
  const auto& rows = session_->rows();
  return sourceRow < rows.size() && session_->filter().accepts(rows[sourceRow]);
}

}  // namespace qid::ui
