#include "sweep_progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace qid::cli {

namespace {

std::string stageText(const Progress& p) {
  char counts[48] = "";
  if (p.total > 0) std::snprintf(counts, sizeof counts, " %lld/%lld", (long long)p.done, (long long)p.total);
  std::string s = p.stage;
  s.append(counts);
  if (!p.message.empty()) s.append(" ").append(p.message);
  return s;
}

}  // namespace

SweepProgress::SweepProgress(bool quiet) : quiet_(quiet) {
  const char* env = std::getenv("QIDLAB_PROGRESS");
  draw_ = !quiet && (isatty(STDERR_FILENO) || (env && env[0] == '1'));
}

SweepProgress::~SweepProgress() { finish(); }

void SweepProgress::setTotal(int total) {
  std::lock_guard lock(mutex_);
  total_ = total;
}

void SweepProgress::clearLocked() {
  if (draw_ && lineShown_) {
    std::fputs("\r\033[K", stderr);
    lineShown_ = false;
  }
}

void SweepProgress::drawLocked(bool force) {
  if (!draw_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - lastDraw_ < std::chrono::milliseconds(100)) return;
  lastDraw_ = now;
  const int width = 20;
  int done = finished_ + failed_;
  int filled = total_ > 0 ? done * width / total_ : width;
  std::string bar(std::size_t(filled), '#');
  bar += std::string(std::size_t(width - filled), '.');
  std::string tail = !download_.empty() ? download_ : current_;
  std::fprintf(stderr, "\r[%s] %3d/%d done", bar.c_str(), finished_, total_);
  if (failed_) std::fprintf(stderr, ", %d failed", failed_);
  if (!tail.empty()) std::fprintf(stderr, " | %.90s", tail.c_str());
  std::fputs("\033[K", stderr);
  std::fflush(stderr);
  lineShown_ = true;
}

void SweepProgress::onEvent(const jobs::JobEvent& e) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  using T = jobs::JobEvent::Type;
  auto elapsed = [&] {
    auto it = started_.find(e.task);
    return it == started_.end() ? 0.0
                                : std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second).count();
  };
  switch (e.type) {
    case T::Started:
      started_[e.task] = std::chrono::steady_clock::now();
      current_ = e.label + " (" + e.device + ")";
      drawLocked(true);
      break;
    case T::Progress:
      current_ = e.label + ": " + stageText(e.progress);
      drawLocked(false);
      break;
    case T::Finished: {
      ++finished_;
      clearLocked();
      std::string delta;
      if (auto it = deltas_.find(e.task); it != deltas_.end()) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "  dqloss %+.4f", it->second);
        delta = buf;
      }
      std::fprintf(stderr, "[%d/%d] done    %s%s  (%.1f s, %s)\n", finished_ + failed_, total_, e.label.c_str(),
                   delta.c_str(), elapsed(), e.device.c_str());
      current_.clear();
      drawLocked(true);
      break;
    }
    case T::Failed:
      ++failed_;
      clearLocked();
      std::fprintf(stderr, "[%d/%d] FAILED  %s: %s\n", finished_ + failed_, total_, e.label.c_str(), e.error.c_str());
      current_.clear();
      drawLocked(true);
      break;
    default:
      break;
  }
}

bool SweepProgress::onDownload(const Progress& p) {
  if (quiet_) return true;
  std::lock_guard lock(mutex_);
  bool finished = p.total > 0 && p.done >= p.total;
  download_ = finished ? "" : stageText(p);
  drawLocked(finished);
  return true;
}

void SweepProgress::setDelta(const std::string& cellId, double delta) {
  std::lock_guard lock(mutex_);
  deltas_[cellId] = delta;
}

void SweepProgress::note(const std::string& line) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  clearLocked();
  std::fprintf(stderr, "%s\n", line.c_str());
  drawLocked(true);
}

void SweepProgress::finish() {
  std::lock_guard lock(mutex_);
  clearLocked();
  std::fflush(stderr);
}

}  // namespace qid::cli
