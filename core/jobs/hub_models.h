#pragma once
// Hub models in a sweep plan: `"suite:pythia-160m@step1000..step3000"`,
// `"hub:org/name@rev"`, `{"hub": "org/name", "revision": "step1000"}` (or
// "revisions": [...]) and `{"suite": "..."}` entries, optionally with
// "name" and "lr".
//
//   HubModels hub(hub::configFromEnvironment(), plan.tokensPerStep);
//   options.resolver = hub.resolver();        // pins commits, downloads nothing
//   Sweep sweep(project, plan, runner, options);  // runner: a PrefetchingRunner
//   sweep.prepare();
//   hub.startPrefetch(sweep.pendingCells(), ...); // weights arrive ahead of use
//   sweep.run(...);
//
// The resolver pins every checkpoint to its commit and its snapshot folder in
// the HF cache (hub/checkpoint_resolver.h), so cell identities (hf:<commit>)
// are known before any weight is downloaded. The CheckpointPrefetcher then
// downloads the snapshots the pending cells need, in their order, a bounded
// number ahead of the workers and within a disk budget; a PrefetchingRunner
// waits for a cell's snapshot before running it, and a failed download fails
// only the cells of that checkpoint.
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "hub/checkpoint_prefetcher.h"
#include "hub/hub_config.h"
#include "jobs/cell_runner.h"
#include "jobs/sweep_plan.h"

namespace qid::jobs {

class HubModels {
 public:
  HubModels(hub::HubConfig config, double tokensPerStep = 2097152.0);
  ~HubModels();
  HubModels(const HubModels&) = delete;
  HubModels& operator=(const HubModels&) = delete;

  // For SweepOptions::resolver. Throws qid::Error naming the selector.
  ModelResolver resolver();
  // The checkpoints resolved so far, in plan order.
  std::vector<hub::ResolvedCheckpoint> resolved() const;

  // Starts downloading the snapshots `cells` use, in the order they first
  // appear. needsBaseline(cell) says whether the 16-bit baseline of a cell's
  // checkpoint is still to be computed (one more use of its folder).
  void startPrefetch(const std::vector<CellSpec>& cells, const std::function<bool(const CellSpec&)>& needsBaseline,
                     hub::PrefetchOptions options, ProgressFn progress = {});
  void stop();

  // Blocks until `folder` is downloaded when it is one of the prefetched
  // snapshots (returns its index, for release), else returns nullopt at once.
  // Throws qid::Error with the download error.
  std::optional<std::size_t> acquire(const std::filesystem::path& folder);
  void release(std::size_t index);

  int downloads() const;
  int evictions() const;

 private:
  std::vector<ModelRef> resolve(const nlohmann::json& selector);

  hub::HubConfig config_;
  double tokensPerStep_;
  mutable std::mutex mutex_;
  std::vector<hub::ResolvedCheckpoint> resolved_;
  std::unique_ptr<hub::CheckpointPrefetcher> prefetcher_;
};

// Runs an inner runner on hub checkpoints once their folders are downloaded
// (and, for a folder downloaded after the plan was resolved, with its content
// fingerprint filled in). Folders that are not hub snapshots pass straight
// through.
class PrefetchingRunner : public CellRunner {
 public:
  PrefetchingRunner(CellRunner& inner, HubModels& hub) : inner_(inner), hub_(hub) {}
  std::string name() const override { return inner_.name(); }
  BaselineOutcome baseline(const CellSpec& cell, const RunContext& ctx) override;
  QuantOutcome quantize(const CellSpec& cell, const store::Baseline& baseline, const RunContext& ctx) override;

 private:
  CellRunner& inner_;
  HubModels& hub_;
};

}  // namespace qid::jobs
