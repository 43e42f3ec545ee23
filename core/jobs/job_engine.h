#pragma once
// The job engine: a worker thread per device (each GPU, plus a configurable
// number of CPU workers) taking tasks from a priority queue of jobs. Jobs can
// be paused, resumed and cancelled one by one or all at once; everything that
// happens is reported as JobEvents through one callback, which widgets/ adapts
// to Qt signals and the CLI to a progress bar. A task that throws fails alone:
// the job goes on with its next task. Like qBittorrent's TorrentCreator, but
// with callbacks instead of signals.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/progress.h"

namespace qid::jobs {

using JobId = std::int64_t;

struct TaskContext {
  std::string device;  // "cpu", "cuda:0", ...
  int worker = 0;
  // Forwards progress as events; returns false (so qid::report throws
  // qid::Cancelled) once the task's job is cancelled.
  ProgressFn progress;
};

struct Task {
  std::string id;     // e.g. a cell id
  std::string label;  // for humans
  std::function<void(TaskContext&)> run;
};

struct JobEvent {
  enum class Type { Queued, Started, Progress, Finished, Failed, Cancelled, JobDone };
  Type type = Type::Queued;
  JobId job = 0;
  std::string task, label, device;
  Progress progress;
  std::string error;
};
const char* toString(JobEvent::Type t);

struct JobStatus {
  std::string name;
  int priority = 0;
  bool paused = false, cancelled = false;
  int queued = 0, running = 0, finished = 0, failed = 0, cancelledTasks = 0;
  bool done() const { return queued == 0 && running == 0; }
};

class JobEngine {
 public:
  struct Options {
    int cpuWorkers = 1;
    std::vector<std::string> devices;  // extra workers, one per device ("cuda:0", ...)
  };
  using Listener = std::function<void(const JobEvent&)>;

  explicit JobEngine(Options options, Listener listener = {});
  // Cancels what is queued, lets running tasks see the cancel, joins workers.
  ~JobEngine();
  JobEngine(const JobEngine&) = delete;
  JobEngine& operator=(const JobEngine&) = delete;

  // Higher priority runs first; equal priorities run in submission order.
  JobId submit(const std::string& name, std::vector<Task> tasks, int priority = 0);

  void pause(JobId job);
  void resume(JobId job);
  void cancel(JobId job);  // drops queued tasks; running ones are asked to stop
  void setPriority(JobId job, int priority);
  void pauseAll();
  void resumeAll();
  void cancelAll();
  // Starts no further task; running tasks finish normally (Ctrl-C in the CLI).
  void stopAfterCurrent();
  bool stopping() const;

  JobStatus status(JobId job) const;
  std::vector<JobId> jobs() const;
  // Blocks until the job has no queued or running task (a paused job with
  // queued tasks keeps waiting), or stopAfterCurrent() drained the running ones.
  void wait(JobId job);
  void waitAll();
  std::vector<std::string> workerDevices() const;

 private:
  struct Job {
    JobId id = 0;
    JobStatus status;
    std::deque<Task> queue;
  };

  void workerLoop(int index, std::string device);
  Job* pickLocked();
  void publish(const JobEvent& e);  // not "emit": Qt code includes this header
  bool idleLocked(const Job& job) const;

  Options options_;
  Listener listener_;
  std::mutex listenerMutex_;
  mutable std::mutex mutex_;
  std::condition_variable workCv_, doneCv_;
  std::map<JobId, Job> jobs_;
  JobId nextId_ = 1;
  bool shutdown_ = false, stopAfterCurrent_ = false, allPaused_ = false;
  std::vector<std::thread> workers_;
  std::vector<std::string> devices_;
};

}  // namespace qid::jobs
