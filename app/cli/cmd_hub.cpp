// qidlab-cli hub: download checkpoints from the Hugging Face hub into the
// shared HF cache (download), list what the cache holds (ls), and expand
// suite: selectors (expand).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "hub/hub_client.h"
#include "hub/pythia_suite.h"
#include "hub/transfer_progress.h"
#include "progress_bar.h"

namespace {

using namespace qid::hub;

struct HubArgs {
  std::string repo;
  std::vector<std::string> revisions;
  std::vector<std::string> suites;
  std::vector<std::string> files;
  std::string cache;
  int maxWorkers = 0;
  bool json = false;
  bool verify = false;
  bool offline = false;
  bool quiet = false;
};

HubConfig configFor(const HubArgs& a) {
  HubConfig c = configFromEnvironment();
  if (!a.cache.empty()) c.cacheDir = a.cache;
  if (a.maxWorkers > 0) c.maxWorkers = a.maxWorkers;
  c.verifyCached = c.verifyCached || a.verify;
  c.offline = c.offline || a.offline;
  return c;
}

nlohmann::json describe(const DownloadResult& r, std::int64_t step, double tokens) {
  nlohmann::json j{{"repo", r.repoId},          {"revision", r.revision},   {"commit", r.commit},
                   {"path", r.snapshot.string()}, {"files", r.files},         {"files_fetched", r.filesFetched},
                   {"files_cached", r.filesCached}, {"bytes_received", r.bytesReceived}, {"offline", r.offline}};
  if (step >= 0) {
    j["step"] = step;
    j["tokens"] = tokens;
  }
  try {
    auto n = paramsFromConfig(r.snapshot / "config.json");
    j["n"] = n.nonEmbedding;
    j["n_total"] = n.total;
  } catch (const qid::Error&) {
    // Not a GPT-NeoX config: N stays unknown.
  }
  return j;
}

void runDownload(const HubArgs& a) {
  std::vector<SuiteCheckpoint> targets;
  if (!a.repo.empty()) {
    for (const auto& r : a.revisions.empty() ? std::vector<std::string>{"main"} : a.revisions) {
      auto step = pythiaStepOfRevision(r);
      targets.push_back({a.repo, r, step ? *step : -1, step ? pythiaTokens(*step) : 0.0});
    }
  } else if (!a.revisions.empty()) {
    throw qid::Error("--revision needs a REPO (or use --suite SELECTOR)");
  }
  for (const auto& s : a.suites)
    for (auto& c : expandSelector(s)) targets.push_back(std::move(c));
  if (targets.empty()) throw qid::Error("nothing to download: give a REPO or --suite SELECTOR");

  HubClient client(configFor(a));
  auto bar = qid::cli::progressBar(a.quiet || a.json);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : targets) {
    DownloadResult r = client.download({t.repoId, t.revision, a.files}, bar);
    out.push_back(describe(r, t.step, t.tokens));
    if (!a.json) {
      std::printf("%s@%s %s (%zu files: %d fetched, %d cached, %s received)\n", r.repoId.c_str(),
                  r.revision.c_str(), r.snapshot.string().c_str(), r.files.size(), r.filesFetched, r.filesCached,
                  TransferProgress::formatBytes(double(r.bytesReceived)).c_str());
      std::fflush(stdout);
    }
  }
  if (a.json) std::cout << out.dump(2) << "\n";
}

void runLs(const HubArgs& a) {
  HubConfig c = configFor(a);
  nlohmann::json out;
  if (a.repo.empty()) {
    out = nlohmann::json::array();
    for (const auto& repo : cachedRepos(c.cacheDir)) {
      HubCache cache(c.cacheDir, repo);
      out.push_back({{"repo", repo}, {"revisions", cache.revisions().size()}, {"bytes", cache.blobBytes()}});
    }
    if (a.json) {
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::printf("Cache %s\n", c.cacheDir.string().c_str());
    if (out.empty()) std::printf("  (no models)\n");
    for (const auto& r : out)
      std::printf("  %-40s %4d revisions %10s\n", r["repo"].get<std::string>().c_str(), r["revisions"].get<int>(),
                  TransferProgress::formatBytes(r["bytes"].get<double>()).c_str());
    return;
  }
  HubCache cache(c.cacheDir, a.repo);
  out = nlohmann::json::array();
  for (const auto& r : cache.revisions()) {
    nlohmann::json j{{"refs", r.refs},   {"commit", r.commit}, {"path", r.snapshot.string()},
                     {"files", r.files}, {"bytes", r.bytes},   {"complete", !r.broken}};
    for (const auto& ref : r.refs)
      if (auto step = pythiaStepOfRevision(ref)) {
        j["step"] = *step;
        j["tokens"] = pythiaTokens(*step);
        break;
      }
    out.push_back(j);
  }
  if (a.json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (out.empty()) {
    std::printf("%s: no cached revisions in %s\n", a.repo.c_str(), c.cacheDir.string().c_str());
    return;
  }
  std::printf("%-24s %-40s %5s %10s\n", "REVISION", "COMMIT", "FILES", "SIZE");
  for (const auto& r : cache.revisions()) {
    std::string refs;
    for (const auto& ref : r.refs) refs += (refs.empty() ? "" : ",") + ref;
    std::printf("%-24s %-40s %5zu %10s%s\n", refs.empty() ? "-" : refs.c_str(), r.commit.c_str(), r.files.size(),
                TransferProgress::formatBytes(double(r.bytes)).c_str(), r.broken ? "  (incomplete)" : "");
  }
}

void runExpand(const std::vector<std::string>& selectors, bool json) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : selectors)
    for (const auto& c : expandSelector(s))
      out.push_back({{"repo", c.repoId}, {"revision", c.revision}, {"step", c.step}, {"tokens", c.tokens}});
  if (json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (const auto& c : out)
    std::printf("%s@%s\tstep=%lld\tD=%.6g\n", c["repo"].get<std::string>().c_str(),
                c["revision"].get<std::string>().c_str(), c["step"].get<long long>(), c["tokens"].get<double>());
}

const char* kSelectorHelp =
    "Selectors: suite:pythia-SIZE[-deduped][@REVS] with SIZE one of 14m 70m 160m 410m 1b 1.4b 2.8b 6.9b 12b, "
    "{70m,160m} or *, and REVS a comma list of stepN, main, LO..HI (scheduled steps in range) or LO..HI/STRIDE; "
    "hub:ORG/NAME@REV,REV for any repo. Example: suite:pythia-160m-deduped@step1000..step143000/8000";

const bool registered = qid::cli::registerCommand(
    {"hub", 60, [](CLI::App& app) {
       auto* hub = app.add_subcommand(
           "hub",
           "Download checkpoints from the Hugging Face hub into the shared HF cache and list it.\n"
           "Environment: HF_ENDPOINT, HF_TOKEN (or $HF_HOME/token), HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE=1, "
           "HF_HUB_DOWNLOAD_TIMEOUT.");
       hub->require_subcommand(1);

       auto a = std::make_shared<HubArgs>();
       auto* dl = hub->add_subcommand("download",
                                      "Download a model's config, tokenizer and weights at one or more revisions "
                                      "(resumable: run it again after an interruption)");
       dl->footer(kSelectorHelp);
       dl->add_option("repo", a->repo, "Hub repo id, e.g. EleutherAI/pythia-70m-deduped");
       dl->add_option("--revision,-r", a->revisions, "Revision (branch, tag or commit); repeatable; default main");
       dl->add_option("--suite,-s", a->suites, "A suite:/hub: selector; repeatable");
       dl->add_option("--file", a->files, "Download exactly these files instead of what a model needs; repeatable");
       dl->add_option("--cache", a->cache, "Hub cache folder (default $HF_HUB_CACHE or $HF_HOME/hub)");
       dl->add_option("--max-workers", a->maxWorkers, "Files downloaded at once (default 4)")->check(CLI::Range(1, 64));
       dl->add_flag("--verify", a->verify, "Re-hash cached LFS blobs and fetch corrupt ones again");
       dl->add_flag("--offline", a->offline, "Resolve from the cache only (as HF_HUB_OFFLINE=1)");
       dl->add_flag("--quiet,-q", a->quiet, "No progress bar");
       dl->add_flag("--json", a->json, "Machine-readable output");
       dl->callback([a] { runDownload(*a); });

       auto* ls = hub->add_subcommand("ls", "List the cached revisions of a repo, or the cached repos");
       ls->add_option("repo", a->repo, "Hub repo id; omit to list every cached repo");
       ls->add_option("--cache", a->cache, "Hub cache folder (default $HF_HUB_CACHE or $HF_HOME/hub)");
       ls->add_flag("--json", a->json, "Machine-readable output");
       ls->callback([a] { runLs(*a); });

       auto* ex = hub->add_subcommand(
           "expand", "Print the checkpoints a selector names, with step and tokens D, without downloading");
       ex->footer(kSelectorHelp);
       ex->add_option("selector", a->suites, "suite:/hub: selectors")->required();
       ex->add_flag("--json", a->json, "Machine-readable output");
       ex->callback([a] { runExpand(a->suites, a->json); });
     }});

}  // namespace
