#pragma once
// From the project store (core/store) to what the views show: measurements
// as MeasurementRows, saved fits as laws. A row's id is derived from its
// cell id, so it stays the same however often the rows are re-read.
#include <QString>
#include <QVector>

#include "law_ref.h"
#include "measurement_row.h"

namespace qid::store {
class Project;
struct Measurement;
}  // namespace qid::store

namespace qid::ui {

qint64 rowIdForCell(const std::string& cellId);
MeasurementRow rowFromMeasurement(const qid::store::Measurement& m, const QString& source);
QVector<MeasurementRow> storeRows(qid::store::Project& project);
// The measurement of one cell, or nothing when the store has none.
QVector<MeasurementRow> storeRowsForCell(qid::store::Project& project, const std::string& cellId);
// The project's saved fits that the charts can draw; broken ones are skipped.
QVector<LawPtr> storeLaws(qid::store::Project& project);

}  // namespace qid::ui
