#include "store/measurement_csv.h"

#include <set>

#include "common/error.h"
#include "store/csv_records.h"
#include "store/measurement_columns.h"

namespace qid::store {

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::vector<const MeasurementColumn*> resolveColumns(const std::vector<std::string>& names) {
  std::vector<const MeasurementColumn*> out;
  if (names.empty()) {
    for (const auto& c : measurementColumns()) out.push_back(&c);
    return out;
  }
  for (const auto& n : names) {
    const MeasurementColumn* c = findMeasurementColumn(n);
    if (!c) throw Error("unknown column '" + n + "' (known: " + joined(measurementColumnNames()) + ")");
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string measurementsCsv(const std::vector<Measurement>& rows, const std::vector<std::string>& columns) {
  auto cols = resolveColumns(columns);
  std::vector<std::string> cells;
  for (const auto* c : cols) cells.push_back(c->name);
  std::string out = csvLine(cells) + "\n";
  for (const auto& m : rows) {
    cells.clear();
    for (const auto* c : cols) cells.push_back(c->get(m));
    out += csvLine(cells) + "\n";
  }
  return out;
}

ImportBatch parseMeasurementsCsv(const std::string& content, const std::string& source) {
  ImportBatch batch;
  batch.source = source;
  batch.format = "csv";
  auto records = parseCsvRecords(content, source);
  if (records.empty())
    throw Error(source + ": no header row (expected columns such as model_id,N,D,method,bits,delta_q_loss)");
  const CsvRecord& header = records.front();
  std::vector<const MeasurementColumn*> cols;
  std::set<std::string> seen;
  for (const auto& name : header.cells) {
    const MeasurementColumn* c = findMeasurementColumn(name);
    if (!c)
      throw Error(source + " line " + std::to_string(header.line) + ": unknown column '" + name +
                  "' (known: " + joined(measurementColumnNames()) + ")");
    if (!seen.insert(c->name).second)
      throw Error(source + " line " + std::to_string(header.line) + ": column '" + c->name + "' appears twice");
    cols.push_back(c);
  }
  auto has = [&](const char* n) { return seen.count(n) > 0; };
  auto missing = [&](const std::string& what) {
    return Error(source + ": missing column " + what + " (the header has " + joined(header.cells) + ")");
  };
  if (!has("method")) throw missing("'method'");
  if (!has("bits")) throw missing("'bits'");
  if (!has("delta_q_loss") && !(has("loss16") && has("lossq"))) throw missing("'delta_q_loss' (or both 'loss16' and 'lossq')");

  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    const std::string where = source + " row " + std::to_string(r) + " (line " + std::to_string(rec.line) + ")";
    if (rec.cells.size() != cols.size())
      throw Error(where + ": " + std::to_string(rec.cells.size()) + " cells, but the header has " +
                  std::to_string(cols.size()) + " columns");
    Measurement m;
    m.origin = "";
    bool haveDelta = false;
    for (size_t c = 0; c < cols.size(); ++c) {
      const std::string& cell = rec.cells[c];
      const std::string& name = cols[c]->name;
      if (cell.empty()) {
        if (name == "method" || name == "bits")
          throw Error(where + ", column '" + name + "': the cell is empty");
        continue;
      }
      try {
        cols[c]->set(m, cell);
      } catch (const Error& e) {
        throw Error(where + ", column '" + name + "': " + e.what());
      }
      if (name == "delta_q_loss") haveDelta = true;
    }
    if (!haveDelta) {
      if (!m.loss16 || !m.lossq)
        throw Error(where + ", column '" + std::string(has("delta_q_loss") ? "delta_q_loss" : "lossq") +
                    "': no delta_q_loss, and loss16 and lossq do not both give it");
      m.delta = *m.lossq - *m.loss16;
    }
    if (m.origin.empty()) m.origin = "import";
    checkMeasurement(m, where);
    if (m.cellId.empty()) m.cellId = contentCellId(m);
    batch.measurements.push_back(std::move(m));
  }
  return batch;
}

}  // namespace qid::store
