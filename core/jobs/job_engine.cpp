#include "jobs/job_engine.h"

#include <exception>

#include "common/error.h"

namespace qid::jobs {

const char* toString(JobEvent::Type t) {
  switch (t) {
    case JobEvent::Type::Queued: return "queued";
    case JobEvent::Type::Started: return "started";
    case JobEvent::Type::Progress: return "progress";
    case JobEvent::Type::Finished: return "finished";
    case JobEvent::Type::Failed: return "failed";
    case JobEvent::Type::Cancelled: return "cancelled";
    case JobEvent::Type::JobDone: return "job-done";
  }
  return "?";
}

JobEngine::JobEngine(Options options, Listener listener)
    : options_(std::move(options)), listener_(std::move(listener)) {
  for (const auto& d : options_.devices) devices_.push_back(d);
  for (int i = 0; i < options_.cpuWorkers; ++i) devices_.push_back("cpu");
  if (devices_.empty()) throw Error("the job engine needs at least one worker (cpu workers or a device)");
  for (size_t i = 0; i < devices_.size(); ++i)
    workers_.emplace_back([this, i] { workerLoop(int(i), devices_[i]); });
}

JobEngine::~JobEngine() {
  cancelAll();
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
  }
  workCv_.notify_all();
  for (auto& t : workers_) t.join();
}

void JobEngine::publish(const JobEvent& e) {
  if (!listener_) return;
  std::lock_guard lock(listenerMutex_);
  try {
    listener_(e);
  } catch (...) {
    // A listener must not take a worker down.
  }
}

JobId JobEngine::submit(const std::string& name, std::vector<Task> tasks, int priority) {
  JobId id;
  std::vector<JobEvent> events;
  {
    std::lock_guard lock(mutex_);
    id = nextId_++;
    Job& job = jobs_[id];
    job.id = id;
    job.status.name = name;
    job.status.priority = priority;
    job.status.queued = int(tasks.size());
    for (auto& t : tasks) {
      events.push_back({JobEvent::Type::Queued, id, t.id, t.label, "", {}, ""});
      job.queue.push_back(std::move(t));
    }
  }
  for (const auto& e : events) publish(e);
  workCv_.notify_all();
  return id;
}

JobEngine::Job* JobEngine::pickLocked() {
  if (stopAfterCurrent_ || allPaused_) return nullptr;
  Job* best = nullptr;
  for (auto& [id, job] : jobs_) {
    if (job.status.paused || job.status.cancelled || job.queue.empty()) continue;
    if (!best || job.status.priority > best->status.priority) best = &job;
  }
  return best;
}

bool JobEngine::idleLocked(const Job& job) const {
  if (job.status.running > 0) return false;
  if (job.status.queued == 0) return true;
  return stopAfterCurrent_;
}

void JobEngine::workerLoop(int index, std::string device) {
  for (;;) {
    Task task;
    JobId jobId = 0;
    {
      std::unique_lock lock(mutex_);
      Job* job = nullptr;
      workCv_.wait(lock, [&] { return shutdown_ || (job = pickLocked()) != nullptr; });
      if (shutdown_) return;
      task = std::move(job->queue.front());
      job->queue.pop_front();
      job->status.queued--;
      job->status.running++;
      jobId = job->id;
    }
    publish({JobEvent::Type::Started, jobId, task.id, task.label, device, {}, ""});
    TaskContext ctx;
    ctx.device = device;
    ctx.worker = index;
    ctx.progress = [this, jobId, &task, &device](const Progress& p) {
      {
        std::lock_guard lock(mutex_);
        auto it = jobs_.find(jobId);
        if (it == jobs_.end() || it->second.status.cancelled) return false;
      }
      publish({JobEvent::Type::Progress, jobId, task.id, task.label, device, p, ""});
      return true;
    };
    JobEvent::Type outcome = JobEvent::Type::Finished;
    std::string error;
    try {
      task.run(ctx);
    } catch (const Cancelled&) {
      outcome = JobEvent::Type::Cancelled;
    } catch (const std::exception& e) {
      outcome = JobEvent::Type::Failed;
      error = e.what();
    } catch (...) {
      outcome = JobEvent::Type::Failed;
      error = "unknown error";
    }
    bool jobDone = false;
    {
      std::lock_guard lock(mutex_);
      Job& job = jobs_[jobId];
      job.status.running--;
      if (outcome == JobEvent::Type::Finished) job.status.finished++;
      else if (outcome == JobEvent::Type::Failed) job.status.failed++;
      else job.status.cancelledTasks++;
      jobDone = job.status.done();
    }
    publish({outcome, jobId, task.id, task.label, device, {}, error});
    if (jobDone) publish({JobEvent::Type::JobDone, jobId, "", "", device, {}, ""});
    doneCv_.notify_all();
    workCv_.notify_all();
  }
}

void JobEngine::pause(JobId job) {
  std::lock_guard lock(mutex_);
  if (auto it = jobs_.find(job); it != jobs_.end()) it->second.status.paused = true;
}

void JobEngine::resume(JobId job) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = jobs_.find(job); it != jobs_.end()) it->second.status.paused = false;
  }
  workCv_.notify_all();
}

void JobEngine::setPriority(JobId job, int priority) {
  std::lock_guard lock(mutex_);
  if (auto it = jobs_.find(job); it != jobs_.end()) it->second.status.priority = priority;
}

void JobEngine::cancel(JobId jobId) {
  std::vector<JobEvent> events;
  bool done = false;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(jobId);
    if (it == jobs_.end()) return;
    Job& job = it->second;
    job.status.cancelled = true;
    for (const auto& t : job.queue) events.push_back({JobEvent::Type::Cancelled, jobId, t.id, t.label, "", {}, ""});
    job.status.cancelledTasks += int(job.queue.size());
    job.status.queued = 0;
    job.queue.clear();
    done = job.status.running == 0 && !events.empty();
  }
  for (const auto& e : events) publish(e);
  if (done) publish({JobEvent::Type::JobDone, jobId, "", "", "", {}, ""});
  doneCv_.notify_all();
}

void JobEngine::pauseAll() {
  std::lock_guard lock(mutex_);
  allPaused_ = true;
}

void JobEngine::resumeAll() {
  {
    std::lock_guard lock(mutex_);
    allPaused_ = false;
    for (auto& [id, job] : jobs_) job.status.paused = false;
  }
  workCv_.notify_all();
}

void JobEngine::cancelAll() {
  for (JobId id : jobs()) cancel(id);
}

void JobEngine::stopAfterCurrent() {
  {
    std::lock_guard lock(mutex_);
    stopAfterCurrent_ = true;
  }
  doneCv_.notify_all();
}

bool JobEngine::stopping() const {
  std::lock_guard lock(mutex_);
  return stopAfterCurrent_;
}

JobStatus JobEngine::status(JobId job) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(job);
  if (it == jobs_.end()) throw Error("no job " + std::to_string(job));
  JobStatus s = it->second.status;
  s.paused = s.paused || allPaused_;
  return s;
}

std::vector<JobId> JobEngine::jobs() const {
  std::lock_guard lock(mutex_);
  std::vector<JobId> out;
  for (const auto& [id, job] : jobs_) out.push_back(id);
  return out;
}

void JobEngine::wait(JobId job) {
  std::unique_lock lock(mutex_);
  doneCv_.wait(lock, [&] {
    auto it = jobs_.find(job);
    return it == jobs_.end() || idleLocked(it->second);
  });
}

void JobEngine::waitAll() {
  std::unique_lock lock(mutex_);
  doneCv_.wait(lock, [&] {
    for (const auto& [id, job] : jobs_)
      if (!idleLocked(job)) return false;
    return true;
  });
}

std::vector<std::string> JobEngine::workerDevices() const { return devices_; }

}  // namespace qid::jobs
