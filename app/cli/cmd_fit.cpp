// qidlab-cli fit: fit a law family or a user formula to a CSV of points.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "fit_report.h"
#include "laws/formula_family.h"
#include "laws/law_fit.h"
#include "number_list.h"
#include "progress_bar.h"

namespace {

using namespace qid::laws;

struct Options {
  std::string data, law, formula, start, y, sigma, ciColumns, space, saveLaw, name;
  bool weighted = false;
  int bootstrap = 1000;
  int starts = 27;
  std::uint64_t seed = 20250;
  double huber = 0;
  double ciLevel = 0.95;
  bool json = false;
  bool quiet = false;
};

// "b1=500,b2=1e-4" -> ordered (name, value) pairs.
std::vector<std::pair<std::string, double>> parseStart(const std::string& text) {
  std::vector<std::pair<std::string, double>> out;
  if (text.empty()) return out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw qid::Error("--start: '" + item + "' is not NAME=VALUE (in '" + text + "')");
    std::string name = item.substr(0, eq);
    double v = qid::cli::parseNumberList("--start " + name, item.substr(eq + 1)).at(0);
    for (const auto& [n, _] : out)
      if (n == name) throw qid::Error("--start: '" + name + "' is given twice");
    out.emplace_back(name, v);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

void run(const Options& o) {
  if (o.law.empty() == o.formula.empty()) throw qid::Error("fit needs exactly one of --law FAMILY or --formula EXPR");
  DataTable table = readCsv(o.data);
  auto start = parseStart(o.start);
  FamilyPtr family;
  FitOptions fo;
  BindOptions bind;
  bind.yColumn = o.y;
  bind.sigmaColumn = o.sigma;
  if (!o.ciColumns.empty()) {
    auto comma = o.ciColumns.find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == o.ciColumns.size())
      throw qid::Error("--ci-columns: '" + o.ciColumns + "' is not LO,HI (e.g. delta_ci_lo,delta_ci_hi)");
    bind.ciLoColumn = o.ciColumns.substr(0, comma);
    bind.ciHiColumn = o.ciColumns.substr(comma + 1);
  }
  bind.weightByUncertainty = o.weighted;
  if (!o.formula.empty()) {
    if (start.empty())
      throw qid::Error("--formula needs --start NAME=VALUE,... for its parameters (e.g. --start b1=1,b2=1)");
    auto ids = formulaIdentifiers(o.formula);
    std::vector<std::string> params, variables;
    for (const auto& [n, v] : start) {
      if (std::find(ids.begin(), ids.end(), n) == ids.end())
        throw qid::Error("--start names '" + n + "', which formula '" + o.formula + "' does not use");
      params.push_back(n);
      fo.start.push_back(v);
    }
    for (const auto& id : ids) {
      if (std::find(params.begin(), params.end(), id) != params.end()) continue;
      if (table.column(id) < 0) {
        std::string cols;
        for (const auto& c : table.columns) cols += (cols.empty() ? "" : ",") + c;
        throw qid::Error("unknown variable '" + id + "' in formula '" + o.formula + "': not a column of " +
                         o.data + " (" + cols + ") and not a parameter in --start");
      }
      variables.push_back(table.columns[size_t(table.column(id))]);
    }
    family = makeFormulaFamily(o.formula, params, variables);
    fo.space = ResidualSpace::Linear;
    if (bind.yColumn.empty()) {
      if (table.column("delta_q_loss") >= 0) bind.yColumn = "delta_q_loss";
      else if (table.column("y") >= 0) bind.yColumn = "y";
      else throw qid::Error("--formula needs --y COLUMN: " + o.data + " has no delta_q_loss or y column");
    }
  } else {
    std::vector<double> presetStart;
    auto names = familyNames();
    if (std::find(names.begin(), names.end(), o.law) != names.end()) {
      family = makeFamily(o.law);
    } else {
      Law preset = loadLaw(o.law);  // a preset or law file: its family, its values as the start
      family = preset.family;
      if (preset.complete()) presetStart = preset.params;
    }
    if (!start.empty()) {
      auto pnames = family->paramNames();
      if (pnames.empty()) throw qid::Error(family->name() + " takes no --start");
      for (const auto& p : pnames) {
        auto it = std::find_if(start.begin(), start.end(), [&](const auto& s) { return s.first == p; });
        if (it == start.end()) throw qid::Error("--start misses parameter '" + p + "' of " + family->name());
        fo.start.push_back(it->second);
      }
      for (const auto& [n, v] : start)
        if (std::find(pnames.begin(), pnames.end(), n) == pnames.end())
          throw qid::Error("--start: '" + n + "' is not a parameter of " + family->name());
    } else {
      fo.start = presetStart;
    }
  }
  if (!o.space.empty()) fo.space = residualSpaceFromString(o.space);
  if (o.huber != 0) fo.huberDelta = o.huber;
  if (o.bootstrap < 0) throw qid::Error("--bootstrap must be 0 or more");
  fo.bootstrap = o.bootstrap;
  fo.seed = o.seed;
  fo.maxStarts = std::max(1, o.starts);
  fo.ciLevel = o.ciLevel;
  fo.progress = qid::cli::progressBar(o.quiet || o.json);

  FitResult fit = fitLaw(family, table, fo, bind);
  if (!fit.converged)
    throw qid::Error("fit of " + family->name() + " to " + o.data + " did not converge: " + fit.message);
  std::string stem = std::filesystem::path(o.data).stem().string();
  fit.law.name = !o.name.empty() ? o.name
                 : !o.saveLaw.empty() ? std::filesystem::path(o.saveLaw).stem().string()
                                      : family->name() + "-" + stem;
  if (o.json) std::cout << qid::cli::fitReportJson(fit, o.data, o.seed).dump(2) << "\n";
  else std::fputs(qid::cli::fitReportText(fit, o.data, o.seed).c_str(), stdout);
  if (!o.saveLaw.empty()) {
    saveLaw(fit.law, o.saveLaw);
    if (!o.json) std::printf("saved law %s to %s\n", fit.law.name.c_str(), o.saveLaw.c_str());
  }
}

const bool registered = qid::cli::registerCommand(
    {"fit", 30, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "fit",
           "Fit a law family (--law) or a formula (--formula) to a CSV of points. The CSV has a "
           "header row; for --law the columns are N, D, bits and delta_q_loss (or loss16 and lossq), "
           "for --formula the variables are column names. Reports parameters with standard errors "
           "and bootstrap CIs, RSS, R^2 (log), AIC, BIC, leave-one-size-out CV and a backtest on "
           "the largest size.");
       sub->add_option("--data", o->data, "CSV file with a header row")->required();
       sub->add_option("--law", o->law, "Family to fit (see 'laws'), or a preset/law file whose family and values start the fit");
       sub->add_option("--formula", o->formula, "muParser expression over columns and parameters, e.g. 'b1*(1-exp(-b2*x))'");
       sub->add_option("--start", o->start, "Starting values NAME=VALUE,... (required with --formula)");
       sub->add_option("--y", o->y, "Column to fit (default delta_q_loss; loss16 for the 16-bit loss families)");
       sub->add_option("--sigma", o->sigma, "Column with each point's standard error of y (weights the fit)");
       sub->add_option("--ci-columns", o->ciColumns,
                       "LO,HI columns of each point's 95% confidence interval of y (the paired-bootstrap CI "
                       "of a measurement); weights the fit by sigma = (HI - LO) / 3.92");
       sub->add_flag("--weighted", o->weighted,
                     "Weighted least squares by each point's uncertainty: --sigma or --ci-columns when given, "
                     "else a 'stderr' column, else 'delta_ci_lo' and 'delta_ci_hi' (the project export)");
       sub->add_option("--space", o->space, "Residuals: log (default for --law), linear (default for --formula) or relative");
       sub->add_option("--bootstrap", o->bootstrap, "Bootstrap resamples for CIs (default 1000; 0 = none)");
       sub->add_option("--seed", o->seed, "Bootstrap seed (default 20250)");
       sub->add_option("--ci-level", o->ciLevel, "Confidence level (default 0.95)");
       sub->add_option("--huber", o->huber, "Huber loss with this delta, in residual units (log units for log fits)");
       sub->add_option("--starts", o->starts, "Most starts of the multi-start grid for iterative fits (default 27)");
       sub->add_option("--save-law", o->saveLaw, "Write the fitted law as JSON (usable wherever --law takes a name)");
       sub->add_option("--name", o->name, "Name of the fitted law (default: the --save-law file stem)");
       sub->add_flag("--json", o->json, "Machine-readable output");
       sub->add_flag("--quiet", o->quiet, "No progress bar");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
