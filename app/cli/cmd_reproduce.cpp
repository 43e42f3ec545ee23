// qidlab-cli reproduce: the paper's study end to end on a micro-suite that
// QiD Lab trains itself (study/reproduce.h does the work).
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <ATen/Parallel.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "jobs/quant_cell_runner.h"
#include "number_list.h"
#include "progress_bar.h"
#include "study/reproduce.h"
#include "study/study_report.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Args {
  bool quick = false, tiny = false;
  std::string preset, out, project, tokenizer, plotter;
  std::vector<std::string> corpus;
  int workers = 1, threads = 0;
  bool noCharts = false, json = false, quiet = false;
  std::string commandLine;
};

// qidlab-plot next to this executable (the GUI build puts both in one folder).
fs::path siblingPlotter() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path p = self.parent_path() / "qidlab-plot";
  return fs::exists(p) ? p : fs::path();
}

std::string num(const json& v, int digits = 4) {
  return v.is_number() && std::isfinite(v.get<double>()) ? qid::cli::formatNumber(v.get<double>(), digits) : "n/a";
}

std::string ci(const json& c) {
  return c.is_array() && c.size() == 2 ? "[" + num(c[0]) + ", " + num(c[1]) + "]" : "n/a";
}

void printSummary(const qid::study::ReproduceResult& r) {
  const json& j = r.report;
  std::printf("QiD Lab micro-suite study (%s): %s of %s cells measured\n\n",
              j["suite"]["name"].get<std::string>().c_str(), num(j["sweep"]["measured"], 6).c_str(),
              num(j["sweep"]["cells"], 6).c_str());
  std::printf("%-10s %-6s %12s %24s %10s\n", "law", "param", "fitted", "95% bootstrap CI", "paper");
  for (const char* key : {"tokens", "size", "bits", "unified", "kumar2024"}) {
    const json& l = j["laws"][key];
    if (!l["error"].is_null()) {
      std::printf("%-10s not fitted: %s\n", key, l["error"].get<std::string>().c_str());
      continue;
    }
    for (const auto& name : qid::study::paramDisplayOrder(l["params"])) {
      const json& v = l["params"][name];
      if (name == "k" || name == "C") continue;
      const json paper = l["paper"].is_object() ? l["paper"]["params"].value(name, json(nullptr)) : json(nullptr);
      std::printf("%-10s %-6s %12s %24s %10s\n", key, name.c_str(), num(v).c_str(),
                  ci(l.contains("ci") ? l["ci"].value(name, json(nullptr)) : json(nullptr)).c_str(), num(paper).c_str());
    }
  }
  std::printf("\n%s\n%s\n", j["trend"]["tokens"]["statement"].get<std::string>().c_str(),
              j["trend"]["size"]["statement"].get<std::string>().c_str());
  std::printf("\n%-12s %9s\n", "phase", "seconds");
  for (const auto& p : j["phases"]) std::printf("%-12s %9.1f\n", p["phase"].get<std::string>().c_str(), p["seconds"].get<double>());
  std::printf("%-12s %9.1f\n", "total", j["total_seconds"].get<double>());
  std::printf("\nreport: %s\n        %s\nproject: %s\n", r.reportMarkdown.string().c_str(), r.reportJson.string().c_str(),
              r.projectFile.string().c_str());
  if (j["charts"]["files"].empty()) std::printf("charts: %s\n", j["charts"]["note"].get<std::string>().c_str());
  else std::printf("charts: %s\n", r.chartsDir.string().c_str());
}

// The command as a user would type it again (for the report).
std::string commandLineOf(const Args& a) {
  std::string s = "qidlab-cli reproduce";
  if (a.tiny) s += " --tiny";
  else if (!a.preset.empty()) s += " --preset " + a.preset;
  else s += " --quick";
  for (const auto& c : a.corpus) s += " --corpus " + c;
  if (!a.tokenizer.empty()) s += " --tokenizer " + a.tokenizer;
  if (!a.out.empty()) s += " --out " + a.out;
  if (!a.project.empty()) s += " --project " + a.project;
  if (a.workers != 1) s += " --workers " + std::to_string(a.workers);
  if (a.noCharts) s += " --no-charts";
  return s;
}

void run(const Args& a) {
  if (int(a.quick) + int(a.tiny) + int(!a.preset.empty()) > 1)
    throw qid::Error("give one of --quick, --tiny or --preset NAME");
  const std::string preset = a.tiny ? "tiny" : !a.preset.empty() ? a.preset : "quick";
  if (a.threads > 0) at::set_num_threads(a.threads);
  if (a.workers < 1) throw qid::Error("--workers must be at least 1");
  qid::study::ReproduceOptions o;
  o.plan = qid::train::loadSuitePlan(preset);
  for (const auto& c : a.corpus) o.inputs.corpusFiles.emplace_back(c);
  o.inputs.tokenizerJson = a.tokenizer;
  o.outDir = a.out.empty() ? fs::path("reproduce-" + o.plan.name) : fs::path(a.out);
  o.projectFile = a.project;
  o.cpuWorkers = a.workers;
  o.command = a.commandLine;
  if (!a.noCharts) {
    o.plotter = a.plotter.empty() ? siblingPlotter() : fs::path(a.plotter);
    if (!a.plotter.empty() && !fs::exists(o.plotter)) throw qid::Error("--plotter " + a.plotter + " does not exist");
  }
  qid::jobs::QuantCellRunner runner;
  o.runner = &runner;
  qid::cli::installCancelHandler();
  o.progress = qid::cli::progressBar(a.quiet);
  o.stopRequested = [] { return qid::cli::interrupted(); };
  const bool tty = isatty(STDERR_FILENO);
  const bool quiet = a.quiet;
  o.onPhase = [tty, quiet](const qid::study::PhaseEvent& e) {
    if (quiet) return;
    if (tty) std::fputs("\r\033[K", stderr);
    if (e.finished)
      std::fprintf(stderr, "[%d/%d] %s done in %.1f s: %s\n", e.index, e.count, e.name.c_str(), e.seconds, e.summary.c_str());
    else
      std::fprintf(stderr, "[%d/%d] %s ...\n", e.index, e.count, e.name.c_str());
    std::fflush(stderr);
  };
  const qid::study::ReproduceResult r = qid::study::reproduce(o);
  if (a.json) std::cout << r.report.dump(2) << "\n";
  else printSummary(r);
  if (!r.complete)
    throw qid::Error("the sweep did not finish (" + std::to_string(r.sweep.failed) + " cells failed, " +
                     std::to_string(r.sweep.notRun) + " not run); the report is partial: rerun to resume");
}

const bool registered = qid::cli::registerCommand(
    {"reproduce", 41, [](CLI::App& app) {
       auto a = std::make_shared<Args>();
       auto* sub = app.add_subcommand(
           "reproduce",
           "Reproduce Ouyang et al. 2025 end to end on a micro-suite QiD Lab trains itself: 1) train the "
           "suite (Pythia-like sizes, one data order, log-spaced checkpoints); 2) sweep RTN and GPTQ at 2/3/4 "
           "bits over every checkpoint (NF4 and AWQ too outside --quick/--tiny) into a project; 3) measure "
           "weight fluctuation between checkpoints; 4) fit the per-factor, unified and per-bit laws and "
           "Kumar's form with bootstrap CIs; 5) draw charts (with the GUI build's qidlab-plot); 6) write "
           "OUT/report.md and OUT/report.json with the fitted exponents next to the paper's, and say "
           "plainly whether the trends appeared. Every phase resumes: rerunning skips finished work. "
           "--quick takes a few minutes on 2 cores; --tiny about a minute (a smoke test, not a result).");
       auto* q = sub->add_flag("--quick", a->quick, "The laptop preset (default): 3 sizes, ~11 checkpoints each");
       auto* t = sub->add_flag("--tiny", a->tiny, "The CI preset: very small, fast, not for conclusions");
       auto* p = sub->add_option("--preset", a->preset,
                                 "A suite preset by name (tiny, quick, full-*; see resources/suites) or a plan JSON file");
       q->excludes(t)->excludes(p);
       t->excludes(p);
       sub->add_option("--corpus", a->corpus,
                       "Training text file(s); default: the King James Bible from Debian's bible-kjv");
       sub->add_option("--tokenizer", a->tokenizer, "A tokenizer.json instead of byte-level tokens");
       sub->add_option("--out", a->out, "Output folder (default ./reproduce-PRESET); rerun with it to resume");
       sub->add_option("--project", a->project, "Project file for the measurements (default OUT/study.qidlab)");
       sub->add_option("--workers", a->workers, "CPU workers for the sweep (default 1)");
       sub->add_option("--threads", a->threads, "CPU threads for libtorch (default: all)");
       sub->add_option("--plotter", a->plotter, "The qidlab-plot executable (default: the one next to qidlab-cli)");
       sub->add_flag("--no-charts", a->noCharts, "Skip the charts");
       sub->add_flag("--json", a->json, "Print report.json on stdout instead of the summary");
       sub->add_flag("--quiet", a->quiet, "No progress on stderr");
       sub->callback([a] {
         Args args = *a;
         args.commandLine = commandLineOf(args);
         run(args);
       });
     }});

}  // namespace
