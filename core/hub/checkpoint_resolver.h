#pragma once
// From a selector to local checkpoint folders, for sweeps and the GUI.
//
// resolveCheckpoints() pins every checkpoint a selector names to its commit
// and its snapshot folder in the HF cache WITHOUT downloading weights: a
// cached refs/{revision} answers at no cost, otherwise one small API call
// does (and writes the ref). The folder path is therefore known, and stable,
// before any byte of the weights arrives; CheckpointPrefetcher
// (checkpoint_prefetcher.h) then fills the folders just ahead of their use.
// resolveSelector() is the simple form: it downloads everything now.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/progress.h"
#include "hub/hub_config.h"
#include "hub/pythia_suite.h"

namespace qid::hub {

struct ResolvedCheckpoint {
  std::string repoId;
  std::string revision;
  std::string commit;
  std::filesystem::path snapshot;  // {cache}/models--org--name/snapshots/{commit}
  std::int64_t step = -1;          // -1 when unknown
  double tokens = 0;               // D; 0 when unknown
};

// Pins each checkpoint to a commit (cache refs first, then the API; with
// offline mode refs only). Throws qid::Error naming the checkpoint.
std::vector<ResolvedCheckpoint> resolveCheckpoints(const std::vector<SuiteCheckpoint>& checkpoints,
                                                   const HubConfig& config);
std::vector<ResolvedCheckpoint> resolveCheckpoints(const std::string& selector, const HubConfig& config);

// True when the snapshot holds config.json and weights whose shards (per the
// index, when there is one) are all present.
bool snapshotComplete(const std::filesystem::path& snapshot);

// Resolves and downloads every checkpoint of a selector, one after another;
// returns them with their folders filled.
std::vector<ResolvedCheckpoint> resolveSelector(const std::string& selector, const HubConfig& config,
                                                const ProgressFn& progress = {});

}  // namespace qid::hub
