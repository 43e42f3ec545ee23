#include "hub/checkpoint_prefetcher.h"

#include <algorithm>

#include "common/error.h"
#include "hub/hub_cache.h"
#include "hub/hub_client.h"

namespace qid::hub {

namespace fs = std::filesystem;

CheckpointPrefetcher::CheckpointPrefetcher(HubConfig config, std::vector<ResolvedCheckpoint> checkpoints,
                                           PrefetchOptions options, ProgressFn progress, std::vector<int> uses)
    : config_(std::move(config)), options_(options), progress_(std::move(progress)) {
  options_.depth = std::max(0, options_.depth);
  for (std::size_t i = 0; i < checkpoints.size(); ++i) {
    Item item;
    item.checkpoint = std::move(checkpoints[i]);
    if (i < uses.size()) item.uses = std::max(1, uses[i]);
    items_.push_back(std::move(item));
  }
  thread_ = std::thread([this] { run(); });
}

CheckpointPrefetcher::~CheckpointPrefetcher() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void CheckpointPrefetcher::stop() {
  std::lock_guard lock(mutex_);
  stop_ = true;
  cv_.notify_all();
}

int CheckpointPrefetcher::downloads() const {
  std::lock_guard lock(mutex_);
  return downloads_;
}

int CheckpointPrefetcher::evictions() const {
  std::lock_guard lock(mutex_);
  return evictions_;
}

std::optional<std::size_t> CheckpointPrefetcher::indexOf(const fs::path& snapshot) const {
  auto want = snapshot.lexically_normal();
  for (std::size_t i = 0; i < items_.size(); ++i)
    if (items_[i].checkpoint.snapshot.lexically_normal() == want) return i;
  return std::nullopt;
}

fs::path CheckpointPrefetcher::acquire(std::size_t i) {
  std::unique_lock lock(mutex_);
  Item& item = items_.at(i);
  item.awaited = true;
  ++item.active;
  highestAcquired_ = std::max(highestAcquired_, static_cast<long>(i));
  cv_.notify_all();
  cv_.wait(lock, [&] { return stop_ || item.state == State::Ready || item.state == State::Failed; });
  item.awaited = false;
  if (item.state == State::Failed) {
    --item.active;
    throw Error(item.error);
  }
  if (item.state != State::Ready) {
    --item.active;
    throw Cancelled();
  }
  return item.checkpoint.snapshot;
}

void CheckpointPrefetcher::release(std::size_t i) {
  std::lock_guard lock(mutex_);
  Item& item = items_.at(i);
  if (item.active > 0) --item.active;
  if (++item.released >= item.uses) releasedOrder_.push_back(i);
  cv_.notify_all();
}

std::optional<std::size_t> CheckpointPrefetcher::pickNext() const {
  for (std::size_t i = 0; i < items_.size(); ++i)
    if (items_[i].state == State::Pending && items_[i].awaited) return i;
  long horizon = highestAcquired_ + options_.depth;
  for (std::size_t i = 0; i < items_.size() && static_cast<long>(i) <= horizon; ++i)
    if (items_[i].state == State::Pending && items_[i].released < items_[i].uses) return i;
  return std::nullopt;
}

bool CheckpointPrefetcher::makeRoomFor(std::size_t i) {
  if (options_.maxCacheBytes <= 0) return true;
  // The size of a checkpoint of the same repo already fetched is the estimate.
  std::int64_t estimate = 0;
  for (const auto& it : items_)
    if (it.checkpoint.repoId == items_[i].checkpoint.repoId) estimate = std::max(estimate, it.bytes);
  std::int64_t used = cacheBytes(config_.cacheDir);
  while (used + estimate > options_.maxCacheBytes && !releasedOrder_.empty()) {
    std::size_t victim = releasedOrder_.front();
    releasedOrder_.pop_front();
    Item& v = items_[victim];
    if (!v.ownDownload || v.active > 0 || v.state != State::Ready) continue;
    used -= HubCache(config_.cacheDir, v.checkpoint.repoId).removeSnapshot(v.checkpoint.commit);
    v.state = State::Pending;
    ++evictions_;
  }
  return used + estimate <= options_.maxCacheBytes || items_[i].awaited;
}

void CheckpointPrefetcher::fetch(std::size_t i, std::unique_lock<std::mutex>& lock) {
  Item& item = items_[i];
  item.state = State::Downloading;
  ResolvedCheckpoint c = item.checkpoint;
  lock.unlock();
  std::string error;
  bool own = false;
  std::int64_t bytes = 0;
  try {
    if (!snapshotComplete(c.snapshot)) {
      own = true;
      HubClient client(config_);
      auto stopFlag = [this] {
        std::lock_guard g(mutex_);
        return stop_;
      };
      client.download({c.repoId, c.commit, {}}, [&](const Progress& p) {
        if (stopFlag()) return false;
        Progress named = p;
        named.stage = "download " + c.repoId + "@" + c.revision;
        return !progress_ || progress_(named);
      });
    }
    for (const auto& r : HubCache(config_.cacheDir, c.repoId).revisions())
      if (r.commit == c.commit) bytes = r.bytes;
  } catch (const Cancelled&) {
    error = "cancelled";
  } catch (const std::exception& e) {
    error = e.what();
  }
  lock.lock();
  item.bytes = bytes;
  if (error == "cancelled") {
    item.state = State::Pending;
    if (!stop_) stop_ = true;  // the progress callback asked to stop
  } else if (!error.empty()) {
    item.state = State::Failed;
    item.error = error;
  } else {
    item.state = State::Ready;
    item.ownDownload = item.ownDownload || own;
    if (own) ++downloads_;
  }
  cv_.notify_all();
}

void CheckpointPrefetcher::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    auto next = pickNext();
    if (next && makeRoomFor(*next)) {
      fetch(*next, lock);
      continue;
    }
    cv_.wait(lock);
  }
  cv_.notify_all();
}

}  // namespace qid::hub
