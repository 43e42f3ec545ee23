// qidlab-cli results: the measurements of a project, as an aligned table,
// CSV or JSON, with a filter and a choice of columns.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "number_list.h"
#include "store/measurement_columns.h"
#include "store/measurement_csv.h"
#include "store/project.h"
#include "text_table.h"

namespace {

using namespace qid::store;

struct Options {
  std::string project, format = "table", filter, columns;
  bool includeDuplicates = false, json = false;
};

const char* kDefaultColumns = "model_id,step,N,D,method,bits,group_size,loss16,lossq,delta_q_loss,ci";

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

// Column names resolved to canonical ones; "ci" stays (the interval, or
// "± stderr" when there is none).
std::vector<std::string> resolveColumns(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& name : splitList(text)) {
    if (name == "ci") {
      out.push_back("ci");
      continue;
    }
    const MeasurementColumn* c = findMeasurementColumn(name);
    if (!c) {
      std::string known;
      for (const auto& n : measurementColumnNames()) known += (known.empty() ? "" : ", ") + n;
      throw qid::Error("--columns: unknown column '" + name + "' (known: " + known + ", ci)");
    }
    out.push_back(c->name);
  }
  if (out.empty()) throw qid::Error("--columns: no column named");
  return out;
}

std::string header(const std::string& col) {
  if (col == "model_id") return "model";
  if (col == "group_size") return "group";
  if (col == "delta_q_loss") return "ΔqLoss";
  if (col == "ci") return "95% CI / ±stderr";
  return col;
}

std::string fixed(const std::optional<double>& v, int decimals) {
  if (!v) return "";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}

std::string cell(const Measurement& m, const std::string& col) {
  if (col == "ci") {
    if (m.ciLo && m.ciHi) return "[" + fixed(m.ciLo, 4) + ", " + fixed(m.ciHi, 4) + "]";
    if (m.stderr_) return "± " + qid::cli::formatNumber(*m.stderr_, 2);
    return "";
  }
  if (col == "N") return m.N ? qid::cli::formatSi(*m.N) : "";
  if (col == "N_total") return m.Ntotal ? qid::cli::formatSi(*m.Ntotal) : "";
  if (col == "D") return m.D ? qid::cli::formatSi(*m.D) : "";
  if (col == "loss16") return fixed(m.loss16, 4);
  if (col == "lossq") return fixed(m.lossq, 4);
  if (col == "delta_q_loss") return fixed(m.delta, 4);
  if (col == "delta_ci_lo") return fixed(m.ciLo, 4);
  if (col == "delta_ci_hi") return fixed(m.ciHi, 4);
  if (col == "group_size" && m.groupSize && *m.groupSize == -1) return "chan";
  const MeasurementColumn* c = findMeasurementColumn(col);
  if (c->kind == ColumnKind::Real) {
    std::string text = c->get(m);
    return text.empty() ? "" : qid::cli::formatNumber(std::strtod(text.c_str(), nullptr), 4);
  }
  return c->get(m);
}

bool numeric(const std::string& col) {
  if (col == "ci") return false;
  auto kind = findMeasurementColumn(col)->kind;
  return kind == ColumnKind::Real || kind == ColumnKind::Integer;
}

void run(const Options& o) {
  Project project(o.project, Project::Mode::OpenExisting);
  MeasurementFilter filter = MeasurementFilter::parse(o.filter);
  if (o.includeDuplicates && filter.duplicates == DuplicatePolicy::Auto) filter.duplicates = DuplicatePolicy::Include;
  // Like a fit, results leave duplicate revisions out unless asked.
  auto rows = project.measurements(filter, true);
  const bool userColumns = !o.columns.empty();
  const std::string format = o.json ? "json" : o.format;
  auto cols = resolveColumns(userColumns ? o.columns : kDefaultColumns);

  if (format == "csv") {
    std::vector<std::string> csvCols;
    for (const auto& c : cols) {
      if (c == "ci") {
        csvCols.push_back("delta_ci_lo");
        csvCols.push_back("delta_ci_hi");
      } else {
        csvCols.push_back(c);
      }
    }
    std::cout << measurementsCsv(rows, userColumns ? csvCols : std::vector<std::string>{});
    return;
  }
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : rows) {
      nlohmann::json j = toJson(m, false);
      if (userColumns) {
        nlohmann::json picked = nlohmann::json::object();
        for (const auto& c : cols) {
          if (c == "ci") {
            picked["delta_ci_lo"] = j["delta_ci_lo"];
            picked["delta_ci_hi"] = j["delta_ci_hi"];
          } else {
            picked[c] = j[c];
          }
        }
        j = picked;
      }
      list.push_back(j);
    }
    nlohmann::json out{{"format", "qidlab-measurements"}, {"version", 1},     {"project", o.project},
                       {"filter", o.filter},             {"count", rows.size()}, {"measurements", list}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (format != "table") throw qid::Error("--format must be table, csv or json (got '" + format + "')");

  bool anyDuplicate = false;
  for (const auto& m : rows) anyDuplicate = anyDuplicate || !m.duplicateOf.empty();
  if (anyDuplicate && !userColumns) cols.push_back("duplicate_of");
  qid::cli::TextTable table;
  for (const auto& c : cols) {
    table.header.push_back(header(c));
    table.rightAlign.push_back(numeric(c));
  }
  for (const auto& m : rows) {
    std::vector<std::string> r;
    for (const auto& c : cols) r.push_back(cell(m, c));
    table.rows.push_back(std::move(r));
  }
  if (!rows.empty()) std::fputs(table.render().c_str(), stdout);
  std::string note = std::to_string(rows.size()) + (rows.size() == 1 ? " measurement" : " measurements");
  if (!o.filter.empty()) note += " matching '" + o.filter + "'";
  if (!filter.includesDuplicates(true)) {
    MeasurementFilter all = filter;
    all.duplicates = DuplicatePolicy::Include;
    size_t hidden = project.measurements(all, true).size() - rows.size();
    if (hidden) note += "; " + std::to_string(hidden) + " duplicate revision(s) left out (--include-duplicates shows them)";
  }
  std::printf("%s\n", note.c_str());
}

const bool registered = qid::cli::registerCommand(
    {"results", 42, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "results",
           "Show the measurements of a project: one row per quantized cell (model, step, N, D, method, "
           "bits, group, loss16, lossq, dqLoss with its 95% paired-bootstrap CI, or its standard error). "
           "Duplicate revisions (identical weights under two steps) are left out unless "
           "--include-duplicates. The filter is comma-separated FIELD OP VALUE terms, ANDed: "
           "'bits=3,method=gptq', 'bits=2|3', 'N>=70M,step<1000', 'model=pythia-*', 'delta>0'; "
           "OP is = != < <= > >=; fields: " +
               [] {
                 std::string s;
                 for (const auto& n : MeasurementFilter::fieldNames()) s += (s.empty() ? "" : ", ") + n;
                 return s;
               }() +
               ", duplicate=include|exclude|only. See README 'Measurement filters'.");
       sub->add_option("--project", o->project, "Project file (*.qidlab)")->required();
       sub->add_option("--format", o->format, "table (default, aligned, N and D as 70.4M / 2.10B), csv or json");
       sub->add_option("--filter", o->filter, "Which measurements, e.g. \"bits=3,method=gptq\" (see above)");
       sub->add_option("--columns", o->columns,
                       "Comma-separated columns to show (export column names, aliases model, group, delta, "
                       "and ci for the interval); default " + std::string(kDefaultColumns) +
                           " (csv and json: every column)");
       sub->add_flag("--json", o->json, "Same as --format json");
       sub->add_flag("--include-duplicates", o->includeDuplicates, "Also show duplicate revisions (flagged)");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
