#pragma once
// What `qidlab-cli sweep` shows on stderr while it runs: one line per
// finished or failed cell (always, unless quiet, so logs of cluster jobs say
// what happened), and, on a terminal (or with QIDLAB_PROGRESS=1), a status
// line redrawn in place with the overall bar and the running cell's stage:
//
//   [##########..........]  5/12 done, 1 failed | tiny@step24 gptq 3b g32: quantize 1/2
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "common/progress.h"
#include "jobs/job_engine.h"

namespace qid::cli {

class SweepProgress {
 public:
  // quiet: nothing at all.
  explicit SweepProgress(bool quiet);
  ~SweepProgress();

  // The cells this run will try.
  void setTotal(int total);
  void onEvent(const jobs::JobEvent& e);
  // Checkpoint downloads of the prefetcher (stage "download REPO@REV").
  bool onDownload(const Progress& p);
  // ΔqLoss of a finished cell, shown in its line.
  void setDelta(const std::string& cellId, double delta);
  // A plain message line (e.g. "stopping after the current cell").
  void note(const std::string& line);
  void finish();

 private:
  void drawLocked(bool force);
  void clearLocked();

  int total_ = 0;
  bool quiet_, draw_;
  int finished_ = 0, failed_ = 0;
  std::string current_, download_;
  std::map<std::string, double> deltas_;
  std::map<std::string, std::chrono::steady_clock::time_point> started_;
  std::chrono::steady_clock::time_point lastDraw_{};
  bool lineShown_ = false;
  std::mutex mutex_;
};

}  // namespace qid::cli
