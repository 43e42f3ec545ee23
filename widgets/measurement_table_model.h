#pragma once
// The measurements as a Qt table model (one row per store measurement), and a
// proxy that applies the session's filter. Sorting is numeric for numbers.
#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include "measurement_row.h"
#include "project_session.h"

namespace qid::ui {

class MeasurementTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Model, Revision, N, D, Method, Bits, Loss16, LossQ, DeltaQ, StdErr, Kl, Source, ColumnCount };
  static constexpr int kIdRole = Qt::UserRole + 1;
  static constexpr int kSortRole = Qt::UserRole + 2;

  explicit MeasurementTableModel(ProjectSession* session, QObject* parent = nullptr);
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;
  const MeasurementRow& row(int r) const { return session_->rows()[r]; }

 private:
  ProjectSession* session_;
};

class MeasurementFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  MeasurementFilterProxy(ProjectSession* session, QObject* parent = nullptr);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  ProjectSession* session_;
};

}  // namespace qid::ui
