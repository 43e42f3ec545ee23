#pragma once
// The Hugging Face hub client: resolves a revision to its commit, picks the
// files a checkpoint needs, and downloads them into the shared HF cache
// (hub_cache.h), resumably, verified, with retries and a concurrency limit.
//
//   qid::hub::HubClient hub(qid::hub::configFromEnvironment());
//   auto r = hub.download({"EleutherAI/pythia-70m-deduped", "step1000"}, progress);
//   loadCheckpoint(r.snapshot);
//
// Files of a commit that are already in the cache cost no request at all;
// only the revision lookup (one small API call) goes to the hub, and with
// HF_HUB_OFFLINE=1 not even that.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/progress.h"
#include "hub/hub_cache.h"
#include "hub/hub_config.h"

namespace qid::hub {

struct RepoInfo {
  std::string repoId;
  std::string revision;
  std::string commit;
  std::vector<std::string> files;  // every file of the repo at that commit
};

struct DownloadRequest {
  std::string repoId;
  std::string revision = "main";
  std::vector<std::string> files;  // empty: what a model needs (file_selection.h)
};

struct DownloadResult {
  std::string repoId;
  std::string revision;
  std::string commit;
  std::filesystem::path snapshot;   // the checkpoint folder to load
  std::vector<std::string> files;   // relative to snapshot
  int filesFetched = 0;             // downloaded now
  int filesCached = 0;              // already in the cache
  std::int64_t bytesReceived = 0;   // over the network, this call
  bool offline = false;             // resolved from the cache alone
};

class HubClient {
 public:
  explicit HubClient(HubConfig config);

  const HubConfig& config() const { return config_; }
  HubCache cache(const std::string& repoId) const { return HubCache(config_.cacheDir, repoId); }

  // GET {endpoint}/api/models/{repo}/revision/{revision}.
  RepoInfo repoInfo(const std::string& repoId, const std::string& revision) const;

  // Downloads (or finds) the files and returns the snapshot folder. Offline
  // mode (config().offline) resolves from refs/ and the snapshot only.
  // Throws qid::Error naming repo, revision and file; qid::Cancelled when the
  // callback returned false (partial files stay as .incomplete for a resume).
  DownloadResult download(const DownloadRequest& request, const ProgressFn& progress = {}) const;

  // The cache alone: refs/{revision} (or a commit hash) and its snapshot.
  DownloadResult resolveFromCache(const DownloadRequest& request) const;

 private:
  HubConfig config_;
};

}  // namespace qid::hub
