#pragma once
// Importing measurements from CSV or JSON files (`qidlab-cli import`).
//
// - CSV: the columns of measurement_columns.h (any order, any subset) with a
//   header row; method, bits and delta_q_loss (or loss16 and lossq) are
//   required. JSON: the export document (measurement_json.h), a bare array of
//   measurement objects, or one sweep result file.
// - Idempotent: a measurement's cell id is unique in a project, so the same
//   file twice adds nothing. Rows without a cell id get one from their content
//   (contentCellId), the same each time.
// - All or nothing: the whole file is parsed and checked first and then
//   written in one transaction; a bad row (missing column, non-numeric value,
//   unknown method, bits outside 1-16) throws qid::Error naming the file, the
//   row and the column, and nothing of the file is imported.
#include <filesystem>
#include <string>
#include <vector>

#include "store/records.h"

namespace qid::store {

class Project;

struct ImportBatch {
  std::string source;  // the file, for messages
  std::string format;  // "csv" | "json"
  std::vector<ModelRecord> models;
  std::vector<Baseline> baselines;
  std::vector<Measurement> measurements;
};

struct ImportReport {
  std::string file, format;
  int rows = 0;          // measurements in the file
  int added = 0;         // new to the project
  int alreadyThere = 0;  // cell id already present (or repeated in the file)
  int models = 0, baselines = 0;
};

// "row-" + SHA-256 of the measurement's content (every field but cell_id,
// origin and duplicate_of, as canonical JSON).
std::string contentCellId(const Measurement& m);

// Checks one measurement and normalises its method name ("GPTQ" -> "gptq").
// Throws qid::Error "WHERE, column 'bits': reason" (fieldWord names "column"
// or "field").
void checkMeasurement(Measurement& m, const std::string& where, const std::string& fieldWord = "column");

// Reads a .csv or .json file (by extension; other names by their first
// character). Throws qid::Error naming the file for unreadable or bad content.
ImportBatch readMeasurementsFile(const std::filesystem::path& file);

// Writes a batch in one transaction (models, baselines, measurements), then
// refreshes the duplicate-revision flags when models came with it.
ImportReport importBatch(Project& project, const ImportBatch& batch);
ImportReport importMeasurementsFile(Project& project, const std::filesystem::path& file);

}  // namespace qid::store
