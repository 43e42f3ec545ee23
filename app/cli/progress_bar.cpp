#include "progress_bar.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace qid::cli {

namespace {
std::atomic<bool> g_interrupted{false};
void onSigint(int) { g_interrupted.store(true); }
}  // namespace

bool interrupted() { return g_interrupted.load(); }

void installCancelHandler() {
  struct sigaction sa {};
  sa.sa_handler = onSigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

ProgressFn progressBar(bool quiet) {
  const char* env = std::getenv("QIDLAB_PROGRESS");
  bool draw = !quiet && (isatty(STDERR_FILENO) || (env && env[0] == '1'));
  auto mutex = std::make_shared<std::mutex>();
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  installCancelHandler();
  return [draw, mutex, last](const Progress& p) {
    if (g_interrupted.load()) return false;
    if (!draw) return true;
    std::lock_guard lock(*mutex);
    auto now = std::chrono::steady_clock::now();
    bool finished = p.total > 0 && p.done >= p.total;
    if (!finished && now - *last < std::chrono::milliseconds(100)) return true;
    *last = now;
    const int width = 30;
    if (p.total > 0) {
      double frac = double(p.done) / double(p.total);
      int filled = int(frac * width);
      std::fprintf(stderr, "\r%-18.18s [", p.stage.c_str());
      for (int i = 0; i < width; ++i) std::fputc(i < filled ? '#' : '.', stderr);
      std::fprintf(stderr, "] %3d%% %lld/%lld %s\033[K", int(frac * 100), (long long)p.done,
                   (long long)p.total, p.message.c_str());
    } else {
      std::fprintf(stderr, "\r%-18.18s %lld %s\033[K", p.stage.c_str(), (long long)p.done,
                   p.message.c_str());
    }
    if (finished) std::fputc('\n', stderr);
    std::fflush(stderr);
    return true;
  };
}

}  // namespace qid::cli
