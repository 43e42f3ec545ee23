#include "store/measurement_import.h"

#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "common/error.h"
#include "jobs/content_hash.h"
#include "quant/quant_method.h"
#include "store/measurement_csv.h"
#include "store/measurement_json.h"
#include "store/project.h"

namespace qid::store {

using nlohmann::json;
namespace fs = std::filesystem;

std::string contentCellId(const Measurement& m) {
  json j = toJson(m, true);
  j.erase("cell_id");
  j.erase("origin");
  j.erase("duplicate_of");
  return "row-" + jobs::sha256Hex(j.dump());
}

void checkMeasurement(Measurement& m, const std::string& where, const std::string& fieldWord) {
  auto fail = [&](const std::string& field, const std::string& why) {
    return Error(where + ", " + fieldWord + " '" + field + "': " + why);
  };
  try {
    m.method = quant::methodName(quant::parseMethod(m.method));
  } catch (const Error& e) {
    throw fail("method", e.what());
  }
  if (m.bits < 1 || m.bits > 16) throw fail("bits", "bits " + std::to_string(m.bits) + " is outside 1-16");
  if (!std::isfinite(m.delta)) throw fail("delta_q_loss", "not a finite number");
  if (m.N && !(*m.N > 0)) throw fail("N", "N must be positive");
  if (m.Ntotal && !(*m.Ntotal > 0)) throw fail("N_total", "N_total must be positive");
  if (m.D && !(*m.D >= 0)) throw fail("D", "D must not be negative");
  if (m.groupSize && (*m.groupSize == 0 || *m.groupSize < -1))
    throw fail("group_size", "the group size must be -1 (per channel) or positive");
}

ImportBatch readMeasurementsFile(const fs::path& file) {
  const std::string source = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in || fs::is_directory(file)) throw Error(source + ": cannot read (no such file?)");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string content = ss.str();
  std::string ext = file.extension().string();
  for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  bool isJson = ext == ".json";
  if (ext != ".json" && ext != ".csv") {
    size_t first = content.find_first_not_of(" \t\r\n");
    isJson = first != std::string::npos && (content[first] == '{' || content[first] == '[');
  }
  if (!isJson) return parseMeasurementsCsv(content, source);
  json doc;
  try {
    doc = json::parse(content);
  } catch (const json::parse_error& e) {
    throw Error(source + ": invalid JSON: " + e.what());
  }
  return parseMeasurementsJson(doc, source);
}

ImportReport importBatch(Project& project, const ImportBatch& batch) {
  // A cell id given twice must mean the same measurement.
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < batch.measurements.size(); ++i) {
    const auto& m = batch.measurements[i];
    auto [it, fresh] = first.emplace(m.cellId, i);
    if (!fresh && toJson(batch.measurements[it->second]).dump() != toJson(m).dump())
      throw Error(batch.source + ": measurements " + std::to_string(it->second + 1) + " and " +
                  std::to_string(i + 1) + " share cell id " + m.cellId + " but differ");
  }
  ImportReport rep;
  rep.file = batch.source;
  rep.format = batch.format;
  rep.rows = int(batch.measurements.size());
  rep.models = int(batch.models.size());
  rep.baselines = int(batch.baselines.size());
  rep.added = project.importRecords(batch.models, batch.baselines, batch.measurements);
  rep.alreadyThere = rep.rows - rep.added;
  if (rep.added && !batch.models.empty()) project.refreshDuplicates();
  return rep;
}

ImportReport importMeasurementsFile(Project& project, const fs::path& file) {
  return importBatch(project, readMeasurementsFile(file));
}

}  // namespace qid::store
