#pragma once
// One JSON file per finished cell, so that cluster jobs need no shared
// database: `sweep --results-dir DIR` writes them (atomically: a temporary
// name, fsync, rename), `ingest DIR` merges them into a project. Ingest is
// idempotent: the cell id is unique, so the same file twice adds nothing.
//
//   {"format": "qidlab-result", "version": 1, "plan": NAME, "cell": {...},
//    "model": {...}, "baseline": {...}, "measurement": {...}}
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/records.h"

namespace qid::store {

class Project;

struct ResultFile {
  std::string plan;
  nlohmann::json cell = nlohmann::json::object();
  std::optional<ModelRecord> model;
  std::optional<Baseline> baseline;
  Measurement measurement;
};

nlohmann::json toJson(const ResultFile& r);
// Throws qid::Error naming `where` when the content is not a result file.
ResultFile resultFileFromJson(const nlohmann::json& j, const std::string& where);

std::filesystem::path resultFilePath(const std::filesystem::path& dir, const std::string& cellId);
// Writes DIR/<cell id>.json atomically (creating DIR).
void writeResultFile(const std::filesystem::path& dir, const ResultFile& r);
ResultFile readResultFile(const std::filesystem::path& file);

struct IngestReport {
  int files = 0, added = 0, alreadyThere = 0;
  std::vector<std::string> errors;  // "FILE: reason", one per unreadable file
};

// Ingests one file in one transaction. Returns true when its measurement was new.
bool ingestResult(Project& project, const ResultFile& r, const std::string& origin = "ingest");
// Every *.json in dir, sorted by name; bad files are reported, not fatal.
IngestReport ingestResultsDir(Project& project, const std::filesystem::path& dir);

}  // namespace qid::store
