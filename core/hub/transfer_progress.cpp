#include "hub/transfer_progress.h"

#include <cstdio>

namespace qid::hub {

TransferProgress::TransferProgress(ProgressFn fn, std::string stage)
    : fn_(std::move(fn)), stage_(std::move(stage)), start_(std::chrono::steady_clock::now()) {}

void TransferProgress::setTotals(std::int64_t bytes, int files) {
  total_.store(bytes);
  files_.store(files);
}
void TransferProgress::addDone(std::int64_t bytes) { done_ += bytes; }
void TransferProgress::addReceived(std::int64_t bytes) {
  done_ += bytes;
  received_ += bytes;
}
void TransferProgress::fileFinished() { ++filesDone_; }

std::string TransferProgress::formatBytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000.0 && u < 4) {
    bytes /= 1000.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

std::string TransferProgress::formatDuration(double seconds) {
  if (!(seconds >= 0) || seconds > 360000) return "?";
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

bool TransferProgress::report(bool force) {
  if (cancelled_.load()) return false;
  if (!fn_) return true;
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (!force && now - lastReport_ < std::chrono::milliseconds(100)) return true;
  lastReport_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double speed = elapsed > 0 ? double(received_.load()) / elapsed : 0.0;
  std::int64_t total = total_.load(), done = done_.load();
  std::string eta = speed > 0 && total > done ? formatDuration(double(total - done) / speed) : "0:00";
  Progress p;
  p.stage = stage_;
  p.done = total > 0 ? std::min(done, total) : done;
  p.total = total;
  p.message = std::to_string(filesDone_.load()) + "/" + std::to_string(files_.load()) + " files · " +
              formatBytes(speed) + "/s · ETA " + eta;
  bool keepGoing = true;
  try {
    keepGoing = fn_(p);
  } catch (...) {
    keepGoing = false;
  }
  if (!keepGoing) cancelled_.store(true);
  return keepGoing;
}

}  // namespace qid::hub
