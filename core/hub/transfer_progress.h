#pragma once
// Sums the bytes of concurrent file transfers into one qid::Progress with
// speed and ETA ("2/5 files · 12.3 MB/s · ETA 0:42"), throttled to about ten
// reports a second. A false return from the callback raises the shared cancel
// flag, which every transfer polls.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "common/progress.h"

namespace qid::hub {

class TransferProgress {
 public:
  TransferProgress(ProgressFn fn, std::string stage);

  void setTotals(std::int64_t bytes, int files);
  void addDone(std::int64_t bytes);  // bytes already on disk (resumed); may be negative
  void addReceived(std::int64_t bytes);
  void fileFinished();
  // Reports now (force) or when 100 ms passed; returns false once cancelled.
  bool report(bool force = false);

  // The user's cancel (callback returned false or cancel()).
  bool cancelled() const { return cancelled_.load(); }
  void cancel() { cancelled_.store(true); }
  // A sibling transfer failed: the others stop too (not a user cancel).
  void abort() { aborted_.store(true); }
  bool stopping() const { return cancelled_.load() || aborted_.load(); }
  std::int64_t received() const { return received_.load(); }

  // "1.5 GB", "12.3 MB/s", "1:02:03": the pieces of the message.
  static std::string formatBytes(double bytes);
  static std::string formatDuration(double seconds);

 private:
  ProgressFn fn_;
  std::string stage_;
  std::atomic<std::int64_t> total_{0}, done_{0}, received_{0};
  std::atomic<int> files_{0}, filesDone_{0};
  std::atomic<bool> cancelled_{false}, aborted_{false};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_, lastReport_;
};

}  // namespace qid::hub
