// qidlab-cli fluctuation: weight movement between adjacent checkpoints against
// the quantization push (Figure 12 of Ouyang et al. 2025).
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "analysis/fluctuation_store.h"
#include "analysis/weight_fluctuation.h"
#include "command_registry.h"
#include "common/error.h"
#include "number_list.h"
#include "progress_bar.h"
#include "store/project.h"

namespace {

struct Args {
  std::string suite, method = "rtn", bits = "2,3,4", out, project;
  int group = -1;
  bool symmetric = false, noPerLinear = false, json = false, quiet = false;
};

std::string num(double v, int digits = 4) { return std::isfinite(v) ? qid::cli::formatNumber(v, digits) : "n/a"; }

void run(const Args& a) {
  qid::analysis::FluctuationOptions o;
  o.method = a.method;
  o.groupSize = a.group;
  o.symmetric = a.symmetric;
  o.perLinear = !a.noPerLinear;
  o.bits.clear();
  for (double b : qid::cli::parseNumberList("--bits", a.bits)) {
    if (b != std::floor(b) || b < 1 || b > 8) throw qid::Error("--bits: " + num(b) + " is not a bit width 1-8");
    o.bits.push_back(static_cast<int>(b));
  }
  qid::cli::installCancelHandler();
  o.progress = qid::cli::progressBar(a.quiet || a.json);
  const qid::analysis::FluctuationReport r = qid::analysis::analyzeFluctuation(a.suite, o);
  nlohmann::json j = qid::analysis::toJson(r);
  j["suite"] = a.suite;
  if (!a.project.empty()) {
    qid::store::Project project(a.project);
    qid::analysis::FluctuationStore store(project);
    j["project"] = {{"file", a.project}, {"rows_written", store.put(r)},
                    {"measurements_joined", store.join({}, r.method, r.groupSize).size()}};
  }
  if (!a.out.empty()) {
    std::ofstream f(a.out, std::ios::trunc);
    f << j.dump(2) << "\n";
    if (!f) throw qid::Error("cannot write " + a.out);
  }
  if (a.json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("Weight fluctuation of %s: %zu checkpoint pairs, push by %s%s\n", a.suite.c_str(),
              r.checkpoints.size(), r.method.c_str(),
              r.groupSize > 0 ? (" (group " + std::to_string(r.groupSize) + ")").c_str() : " (per row)");
  std::printf("ratio = median |Q(W_t) - W_t| / median |W_t - W_prev| over every block Linear\n");
  std::string run;
  for (const auto& c : r.checkpoints) {
    if (c.run != run) {
      run = c.run;
      std::printf("\n%s (N = %s)\n  %8s %8s %12s %12s %12s", run.c_str(), num(c.N, 6).c_str(), "step", "from",
                  "D", "|dW| median", "|dW| q3");
      for (const auto& b : c.bits) std::printf("  %9s", ("ratio " + std::to_string(b.bits) + "b").c_str());
      std::printf("\n");
    }
    std::printf("  %8lld %8lld %12s %12s %12s", static_cast<long long>(c.step), static_cast<long long>(c.prevStep),
                num(c.D, 6).c_str(), num(c.movement.median).c_str(), num(c.movement.q3).c_str());
    for (const auto& b : c.bits) std::printf("  %9s", num(b.ratio).c_str());
    std::printf("\n");
  }
  if (j.contains("project"))
    std::printf("\nstored %d rows in %s; %zu measurements there now carry their checkpoint's ratio\n",
                j["project"]["rows_written"].get<int>(), a.project.c_str(),
                j["project"]["measurements_joined"].get<std::size_t>());
  if (!a.out.empty()) std::printf("wrote %s (per-Linear boxplot statistics)\n", a.out.c_str());
}

const bool registered = qid::cli::registerCommand(
    {"fluctuation", 45, [](CLI::App& app) {
       auto a = std::make_shared<Args>();
       auto* sub = app.add_subcommand(
           "fluctuation",
           "Weight fluctuation (Figure 12): for each pair of adjacent checkpoints of a micro-suite, and per "
           "Linear of every block, the distribution (min, p05, q1, median, q3, p95, max, mean; p05/p95: the 5th and "
           "95th percentiles, the boxplot's whiskers) of the training movement "
           "|W_t - W_prev|, of the quantization push |Q(W_t) - W_t| at each bit width, and their ratio "
           "(median push / median movement). QiD is expected to be large where the push exceeds the recent "
           "movement. With --project the rows are stored beside the measurements (joined by checkpoint id and "
           "bits), so dqLoss can be plotted against the ratio.");
       sub->add_option("--suite", a->suite, "A micro-suite folder (qidlab-cli train --out) or one run folder in it")
           ->required();
       sub->add_option("--bits", a->bits, "Bit widths of the push, comma-separated")->capture_default_str();
       sub->add_option("--method", a->method, "Data-free quantizer of the push: rtn, nf4 or fp4 (nf4/fp4: 4 bits)")
           ->capture_default_str();
       sub->add_option("--group", a->group, "Group size of the quantizer (-1: one scale per row)")->capture_default_str();
       sub->add_flag("--symmetric", a->symmetric, "Symmetric RTN grid");
       sub->add_option("--project", a->project, "Store the rows in this project file (.qidlab)");
       sub->add_option("--out", a->out, "Write the full JSON (with per-Linear statistics) to this file");
       sub->add_flag("--no-per-linear", a->noPerLinear, "Only the statistics pooled over every Linear");
       sub->add_flag("--json", a->json, "Print the full JSON on stdout");
       sub->add_flag("--quiet", a->quiet, "No progress bar");
       sub->callback([a] { run(*a); });
     }});

}  // namespace
