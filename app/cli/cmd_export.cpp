// qidlab-cli export: a project's measurements as CSV (the scalar columns) or
// JSON (every field, with the models and baselines they refer to), for
// `import` into another project or for other tools.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "store/measurement_csv.h"
#include "store/measurement_json.h"
#include "store/project.h"

namespace {

using namespace qid::store;
namespace fs = std::filesystem;

struct Options {
  std::string project, format, filter, out;
  bool json = false;
};

// Writes next to the target and renames, so a reader never sees half a file.
void writeAtomically(const fs::path& file, const std::string& text) {
  fs::path tmp = file;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw qid::Error(file.string() + ": cannot write (does the folder exist?)");
    out << text;
    out.flush();
    if (!out) throw qid::Error(file.string() + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp);
    throw qid::Error(file.string() + ": cannot move the export into place: " + ec.message());
  }
}

void run(const Options& o) {
  std::string format = o.format;
  if (format.empty()) {
    std::string ext = fs::path(o.out).extension().string();
    if (ext == ".csv" || ext == ".json") format = ext.substr(1);
    else throw qid::Error("export needs --format csv|json (or an --out file ending in .csv or .json)");
  }
  if (format != "csv" && format != "json")
    throw qid::Error("--format must be csv or json (got '" + format + "')");
  Project project(o.project, Project::Mode::OpenExisting);
  MeasurementFilter filter = MeasurementFilter::parse(o.filter);
  // Everything by default, duplicate revisions included (with their flag).
  auto rows = project.measurements(filter, false, format == "json");
  std::string text = format == "csv" ? measurementsCsv(rows)
                                     : measurementsDocument(project, rows, o.filter).dump(1) + "\n";
  if (o.out.empty() || o.out == "-") {
    std::cout << text;
    return;
  }
  writeAtomically(o.out, text);
  if (o.json)
    std::cout << nlohmann::json{{"file", o.out}, {"format", format}, {"measurements", rows.size()}}.dump(2) << "\n";
  else
    std::printf("exported %zu measurement%s to %s (%s)\n", rows.size(), rows.size() == 1 ? "" : "s",
                o.out.c_str(), format.c_str());
}

const bool registered = qid::cli::registerCommand(
    {"export", 44, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "export",
           "Export a project's measurements. csv: one row per measurement with the scalar columns "
           "(ids, N, D, step, method, bits, group, options, losses, dqLoss, stderr, CI, provenance "
           "fields); json: every field, including per-layer errors, manifests and per-window losses, "
           "plus the models and 16-bit baselines they refer to. 'import' reads both back: an export "
           "imported into a fresh project exports the same again. Duplicate revisions are included, "
           "flagged in duplicate_of.");
       sub->add_option("--project", o->project, "Project file (*.qidlab)")->required();
       sub->add_option("--format", o->format, "csv or json (default: from the --out extension)");
       sub->add_option("--filter", o->filter, "Which measurements, e.g. \"bits=3,method=gptq\" (see 'results --help')");
       sub->add_option("--out", o->out, "Output file, written atomically (default: standard output)");
       sub->add_flag("--json", o->json, "With --out: print a JSON summary instead of a sentence");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
