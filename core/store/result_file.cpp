#include "store/result_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "store/project.h"

namespace qid::store {

using nlohmann::json;
namespace fs = std::filesystem;

json toJson(const ResultFile& r) {
  json j{{"format", "qidlab-result"}, {"version", 1}, {"plan", r.plan}, {"cell", r.cell},
         {"measurement", toJson(r.measurement)}};
  j["model"] = r.model ? toJson(*r.model) : json(nullptr);
  j["baseline"] = r.baseline ? toJson(*r.baseline) : json(nullptr);
  return j;
}

ResultFile resultFileFromJson(const json& j, const std::string& where) {
  if (!j.is_object() || j.value("format", "") != "qidlab-result")
    throw Error(where + ": not a QiD Lab result file (no \"format\": \"qidlab-result\")");
  if (j.value("version", 0) != 1)
    throw Error(where + ": result file version " + j.value("version", json(nullptr)).dump() +
                " is not supported (expected 1)");
  ResultFile r;
  try {
    r.plan = j.value("plan", "");
    r.cell = j.value("cell", json::object());
    if (j.contains("model") && !j["model"].is_null()) r.model = modelFromJson(j["model"]);
    if (j.contains("baseline") && !j["baseline"].is_null()) r.baseline = baselineFromJson(j["baseline"]);
    if (!j.contains("measurement")) throw Error("no \"measurement\"");
    r.measurement = measurementFromJson(j["measurement"]);
  } catch (const json::exception& e) {
    throw Error(where + ": " + e.what());
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
  if (r.measurement.cellId.empty()) throw Error(where + ": the measurement has no cell_id");
  return r;
}

fs::path resultFilePath(const fs::path& dir, const std::string& cellId) { return dir / (cellId + ".json"); }

void writeResultFile(const fs::path& dir, const ResultFile& r) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir.string() + ": cannot create results folder: " + ec.message());
  const fs::path final = resultFilePath(dir, r.measurement.cellId);
  const fs::path tmp = dir / ("." + r.measurement.cellId + ".json.tmp" + std::to_string(getpid()));
  std::string text = toJson(r).dump(1) + "\n";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw Error(tmp.string() + ": cannot write result file");
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n <= 0) {
      ::close(fd);
      throw Error(tmp.string() + ": write failed");
    }
    off += size_t(n);
  }
  ::fsync(fd);
  ::close(fd);
  fs::rename(tmp, final, ec);
  if (ec) throw Error(final.string() + ": cannot rename result file into place: " + ec.message());
}

ResultFile readResultFile(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(file.string() + ": cannot read result file");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw Error(file.string() + ": invalid JSON: " + e.what());
  }
  return resultFileFromJson(j, file.string());
}

bool ingestResult(Project& project, const ResultFile& r, const std::string& origin) {
  Measurement m = r.measurement;
  m.origin = origin;
  return project.commitCell(m, r.model, r.baseline);
}

IngestReport ingestResultsDir(Project& project, const fs::path& dir) {
  if (!fs::is_directory(dir)) throw Error(dir.string() + ": results folder does not exist");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto name = e.path().filename().string();
    if (e.is_regular_file() && e.path().extension() == ".json" && name[0] != '.') files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  IngestReport rep;
  for (const auto& f : files) {
    ++rep.files;
    try {
      if (ingestResult(project, readResultFile(f))) ++rep.added;
      else ++rep.alreadyThere;
    } catch (const Error& e) {
      rep.errors.push_back(e.what());
    }
  }
  if (rep.added) project.refreshDuplicates();
  return rep;
}

}  // namespace qid::store
