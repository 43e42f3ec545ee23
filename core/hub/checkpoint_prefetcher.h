#pragma once
// Downloads hub checkpoints just ahead of the workers that use them, on one
// background thread, within a disk budget.
//
//   CheckpointPrefetcher pf(config, resolveCheckpoints(selector, config), {2, 50e9});
//   for (i ...) { auto dir = pf.acquire(i); evaluate(dir); pf.release(i); }
//
// - acquire(i) blocks until checkpoint i is in the cache (an awaited
//   checkpoint jumps the queue) and throws qid::Error with that checkpoint's
//   download error, so one bad checkpoint fails only its own work.
// - At most `depth` checkpoints beyond the highest one acquired so far are
//   fetched ahead.
// - With maxCacheBytes > 0, a prefetch that would push the cache's blobs over
//   the budget first evicts checkpoints that this prefetcher downloaded and
//   whose uses were all released (oldest first); if that is not enough it
//   waits. An awaited checkpoint is always fetched, even over budget.
//   Checkpoints that were in the cache before are never evicted.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/progress.h"
#include "hub/checkpoint_resolver.h"
#include "hub/hub_config.h"

namespace qid::hub {

struct PrefetchOptions {
  int depth = 2;                   // checkpoints fetched ahead of the highest acquired
  std::int64_t maxCacheBytes = 0;  // 0: no budget
};

class CheckpointPrefetcher {
 public:
  // uses[i] (default 1 each): how many acquire/release pairs checkpoint i
  // will see before it may be evicted.
  CheckpointPrefetcher(HubConfig config, std::vector<ResolvedCheckpoint> checkpoints, PrefetchOptions options,
                       ProgressFn progress = {}, std::vector<int> uses = {});
  ~CheckpointPrefetcher();  // stops and joins the download thread
  CheckpointPrefetcher(const CheckpointPrefetcher&) = delete;
  CheckpointPrefetcher& operator=(const CheckpointPrefetcher&) = delete;

  std::size_t size() const { return items_.size(); }
  const ResolvedCheckpoint& checkpoint(std::size_t i) const { return items_.at(i).checkpoint; }
  // The index of the checkpoint whose snapshot folder is `snapshot`.
  std::optional<std::size_t> indexOf(const std::filesystem::path& snapshot) const;

  std::filesystem::path acquire(std::size_t i);
  void release(std::size_t i);
  // Stops downloading; blocked and later acquires throw qid::Cancelled.
  void stop();

  // Counters for tests and logs.
  int downloads() const;
  int evictions() const;

 private:
  enum class State { Pending, Downloading, Ready, Failed };
  struct Item {
    ResolvedCheckpoint checkpoint;
    State state = State::Pending;
    std::string error;
    bool awaited = false;
    bool ownDownload = false;  // fetched by us (evictable)
    int uses = 1, active = 0, released = 0;
    std::int64_t bytes = 0;
  };

  void run();
  std::optional<std::size_t> pickNext() const;  // with mutex_ held
  bool makeRoomFor(std::size_t i);              // with mutex_ held
  void fetch(std::size_t i, std::unique_lock<std::mutex>& lock);

  HubConfig config_;
  PrefetchOptions options_;
  ProgressFn progress_;
  std::vector<Item> items_;
  std::deque<std::size_t> releasedOrder_;
  long highestAcquired_ = -1;
  bool stop_ = false;
  int downloads_ = 0, evictions_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace qid::hub
