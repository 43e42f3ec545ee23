#include "store/measurement_json.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "common/error.h"
#include "common/version.h"
#include "store/project.h"
#include "store/result_file.h"

namespace qid::store {

using nlohmann::json;

json measurementsDocument(Project& project, const std::vector<Measurement>& rows, const std::string& filterText) {
  std::set<std::string> checkpoints, baselineKeys;
  json measurements = json::array();
  for (const auto& m : rows) {
    if (!m.checkpointId.empty()) checkpoints.insert(m.checkpointId);
    if (!m.baselineKey.empty()) baselineKeys.insert(m.baselineKey);
    measurements.push_back(toJson(m, true));
  }
  std::vector<ModelRecord> models;
  for (auto& model : project.models())
    if (checkpoints.count(model.checkpointId)) models.push_back(std::move(model));
  std::sort(models.begin(), models.end(), [](const ModelRecord& a, const ModelRecord& b) {
    return std::tie(a.checkpointId, a.revision, a.step) < std::tie(b.checkpointId, b.revision, b.step);
  });
  json modelsJson = json::array(), baselinesJson = json::array();
  for (const auto& model : models) modelsJson.push_back(toJson(model));
  for (const auto& key : baselineKeys)
    if (auto b = project.findBaseline(key)) baselinesJson.push_back(toJson(*b, true));
  return json{{"format", "qidlab-measurements"}, {"version", 1},      {"tool_version", toolVersion()},
              {"filter", filterText},            {"models", modelsJson}, {"baselines", baselinesJson},
              {"measurements", measurements}};
}

namespace {

const json& arrayField(const json& doc, const char* key, const std::string& source) {
  static const json empty = json::array();
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return empty;
  if (!it->is_array()) throw Error(source + ": \"" + key + "\" must be a list");
  return *it;
}

Measurement readOne(const json& j, const std::string& where) {
  Measurement m;
  try {
    m = measurementFromJson(j);
  } catch (const json::exception& e) {
    throw Error(where + ": " + e.what());
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
  if (!j.contains("origin") || j["origin"].is_null() || m.origin.empty()) m.origin = "import";
  checkMeasurement(m, where, "field");
  if (m.cellId.empty()) m.cellId = contentCellId(m);
  return m;
}

std::string rowWhere(const std::string& source, size_t i, const json& j) {
  std::string w = source + ": measurements[" + std::to_string(i) + "]";
  if (j.is_object() && j.contains("cell_id") && j["cell_id"].is_string())
    w += " (cell " + j["cell_id"].get<std::string>().substr(0, 16) + ")";
  return w;
}

}  // namespace

ImportBatch parseMeasurementsJson(const json& doc, const std::string& source) {
  ImportBatch batch;
  batch.source = source;
  batch.format = "json";
  if (doc.is_object() && doc.value("format", "") == "qidlab-result") {
    ResultFile r = resultFileFromJson(doc, source);
    if (r.model) batch.models.push_back(*r.model);
    if (r.baseline) batch.baselines.push_back(*r.baseline);
    r.measurement.origin = "import";
    checkMeasurement(r.measurement, source + ": measurement", "field");
    batch.measurements.push_back(std::move(r.measurement));
    return batch;
  }
  const json* rows = nullptr;
  if (doc.is_array()) {
    rows = &doc;
  } else if (doc.is_object() && doc.contains("measurements")) {
    if (doc.contains("format") && doc["format"] != "qidlab-measurements")
      throw Error(source + ": format " + doc["format"].dump() + " is not \"qidlab-measurements\"");
    if (doc.contains("version") && doc["version"] != 1)
      throw Error(source + ": measurements file version " + doc["version"].dump() +
                  " is not supported (expected 1)");
    rows = &arrayField(doc, "measurements", source);
    const json& models = arrayField(doc, "models", source);
    for (size_t i = 0; i < models.size(); ++i) {
      try {
        batch.models.push_back(modelFromJson(models[i]));
      } catch (const std::exception& e) {
        throw Error(source + ": models[" + std::to_string(i) + "]: " + e.what());
      }
      if (batch.models.back().checkpointId.empty())
        throw Error(source + ": models[" + std::to_string(i) + "]: no checkpoint_id");
    }
    const json& baselines = arrayField(doc, "baselines", source);
    for (size_t i = 0; i < baselines.size(); ++i) {
      try {
        batch.baselines.push_back(baselineFromJson(baselines[i]));
      } catch (const std::exception& e) {
        throw Error(source + ": baselines[" + std::to_string(i) + "]: " + e.what());
      }
    }
  } else {
    throw Error(source + ": not a measurements file (expected {\"format\": \"qidlab-measurements\", "
                         "\"measurements\": [...]}, a list of measurements or a sweep result file)");
  }
  for (size_t i = 0; i < rows->size(); ++i)
    batch.measurements.push_back(readOne((*rows)[i], rowWhere(source, i, (*rows)[i])));
  return batch;
}

}  // namespace qid::store
