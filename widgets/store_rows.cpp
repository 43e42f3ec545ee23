#include "store_rows.h"

#include <QFileInfo>
#include <cstdlib>
#include <map>

#include "common/error.h"
#include "core_law.h"
#include "store/measurement_columns.h"
#include "store/project.h"

namespace qid::ui {

qint64 rowIdForCell(const std::string& cellId) {
  // Cell ids are SHA-256 hex: 15 hex digits are 60 bits, a positive qint64.
  const std::string head = cellId.substr(0, 15);
  char* end = nullptr;
  const long long v = std::strtoll(head.c_str(), &end, 16);
  if (end && *end == '\0' && !head.empty()) return v;
  return qint64(std::hash<std::string>{}(cellId) >> 4);
}

MeasurementRow rowFromMeasurement(const qid::store::Measurement& m, const QString& source) {
  MeasurementRow r;
  r.id = rowIdForCell(m.cellId);
  r.model = QString::fromStdString(m.modelId);
  r.revision = QString::fromStdString(m.revision);
  r.n = m.N.value_or(0);
  r.d = m.D.value_or(0);
  r.method = QString::fromStdString(m.method);
  r.bits = m.bits;
  r.loss16 = m.loss16.value_or(0);
  r.lossQ = m.lossq.value_or(0);
  r.deltaQ = m.delta;
  r.stderr_ = m.stderr_.value_or(0);
  r.source = source;
  r.measured = true;
  r.duplicateOf = QString::fromStdString(m.duplicateOf);
  if (const std::string kl = qid::store::findMeasurementColumn("kl_divergence")->get(m); !kl.empty())
    r.kl = std::strtod(kl.c_str(), nullptr);
  return r;
}

QVector<MeasurementRow> storeRows(qid::store::Project& project) {
  const QString source = QFileInfo(QString::fromStdString(project.path().string())).fileName();
  QVector<MeasurementRow> rows;
  for (const qid::store::Measurement& m : project.measurements()) rows.push_back(rowFromMeasurement(m, source));
  return rows;
}

QVector<MeasurementRow> storeRowsForCell(qid::store::Project& project, const std::string& cellId) {
  const QString source = QFileInfo(QString::fromStdString(project.path().string())).fileName();
  QVector<MeasurementRow> rows;
  for (const qid::store::Measurement& m : project.measurements(qid::store::MeasurementFilter::parse("cell_id=" + cellId)))
    rows.push_back(rowFromMeasurement(m, source));
  return rows;
}

QVector<LawPtr> storeLaws(qid::store::Project& project) {
  QVector<LawPtr> laws;
  // A name fitted again (a rerun of reproduce or fit) shows its latest fit only.
  const std::vector<qid::store::FitRecord> fits = project.fits();  // oldest first
  std::map<std::string, std::int64_t> latest;
  for (const qid::store::FitRecord& f : fits) latest[f.name] = f.id;
  for (const qid::store::FitRecord& f : fits) {
    if (!f.name.empty() && latest[f.name] != f.id) continue;
    try {
      const auto& j = f.result.contains("law") ? f.result["law"] : f.params;
      qid::laws::Law law = qid::laws::Law::fromJson(j, project.path().string() + " fit " + f.name);
      if (!f.name.empty()) law.name = f.name;
      if (law.complete() && law.family->variables().size() == 3) laws.push_back(std::make_shared<CoreLaw>(std::move(law)));
    } catch (const std::exception&) {
      // A fit the charts cannot draw (another quantity, a broken record) stays in the store.
    }
  }
  return laws;
}

}  // namespace qid::ui
