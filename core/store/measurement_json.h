#pragma once
// Measurements as JSON, keeping every field: per-layer errors, manifests and
// per-window losses, plus the models and 16-bit baselines they refer to, so
// an export imported into a fresh project gives the same export again.
//
//   {"format": "qidlab-measurements", "version": 1, "tool_version": "...",
//    "filter": "bits=3", "models": [...], "baselines": [...],
//    "measurements": [...]}
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/measurement_import.h"

namespace qid::store {

class Project;

// The export document for rows (read with their per-window losses); models
// and baselines are looked up in the project.
nlohmann::json measurementsDocument(Project& project, const std::vector<Measurement>& rows,
                                    const std::string& filterText);

// Parses and checks a JSON document: the export format, a bare array of
// measurement objects, or a sweep result file. Throws qid::Error
// "SOURCE: measurements[i] (cell ...): reason".
ImportBatch parseMeasurementsJson(const nlohmann::json& doc, const std::string& source);

}  // namespace qid::store
