#include "slurm/sweep_ingest.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "store/project.h"

namespace qid::slurm {

namespace fs = std::filesystem;

store::IngestReport ingestSweep(store::Project& project, const store::SlurmArrayRecord& array) {
  if (!fs::is_directory(array.resultsDir)) return {};
  return store::ingestResultsDir(project, array.resultsDir);
}

FollowResult followSweep(store::Project& project, const store::SlurmArrayRecord& array, const FollowOptions& options,
                         const CommandRunner& run) {
  FollowResult res;
  std::set<std::string> seenErrors;
  for (;;) {
    FollowUpdate u;
    u.round = ++res.rounds;
    // Status first: a task reported finished wrote its files before it ended,
    // so the ingest that follows sees all of them.
    u.status = sweepStatus(project, array, run);
    u.ingest = ingestSweep(project, array);
    // The ingest changed what the project holds; refresh those counts.
    for (auto& t : u.status.tasks) {
      if (t.cells < 0 || u.ingest.added == 0) continue;
      u.status.ingested -= t.ingested;
      t.ingested = 0;
      for (const auto& id : u.status.array.shards[size_t(t.index)]) t.ingested += project.hasMeasurement(id.get<std::string>());
      u.status.ingested += t.ingested;
    }
    res.added += u.ingest.added;
    res.alreadyThere = u.ingest.alreadyThere;
    for (const auto& e : u.ingest.errors)
      if (seenErrors.insert(e).second) res.errors.push_back(e);
    res.last = u.status;
    bool more = !u.status.finished();
    if (options.onUpdate && !options.onUpdate(u)) {
      res.stopped = more;
      return res;
    }
    if (!more) return res;
    using Clock = std::chrono::steady_clock;
    auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(std::max(0.0, options.intervalS)));
    while (Clock::now() < until) {
      if (options.stopRequested && options.stopRequested()) {
        res.stopped = true;
        return res;
      }
      Clock::duration left = until - Clock::now();
      std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(100)));
    }
    if (options.stopRequested && options.stopRequested()) {
      res.stopped = true;
      return res;
    }
  }
}

}  // namespace qid::slurm
