#include "jobs/job_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "common/error.h"

using namespace qid::jobs;
using namespace std::chrono_literals;

namespace {

struct Recorder {
  std::mutex m;
  std::vector<JobEvent> events;
  JobEngine::Listener fn() {
    return [this](const JobEvent& e) {
      std::lock_guard lock(m);
      events.push_back(e);
    };
  }
  int count(JobEvent::Type t) {
    std::lock_guard lock(m);
    int n = 0;
    for (const auto& e : events) n += e.type == t;
    return n;
  }
  std::vector<std::string> started() {
    std::lock_guard lock(m);
    std::vector<std::string> out;
    for (const auto& e : events)
      if (e.type == JobEvent::Type::Started) out.push_back(e.task);
    return out;
  }
};

Task simple(const std::string& id, std::function<void(TaskContext&)> f = {}) {
  return {id, id, [f](TaskContext& c) {
            if (f) f(c);
          }};
}

}  // namespace

TEST(JobEngine, RunsEveryTaskAndReportsEvents) {
  Recorder rec;
  std::atomic<int> ran{0};
  {
    JobEngine engine({2, {}}, rec.fn());
    std::vector<Task> tasks;
    for (int i = 0; i < 10; ++i)
      tasks.push_back(simple(std::to_string(i) + "t", [&](TaskContext& c) {
        qid::report(c.progress, {"work", 1, 1, ""});
        ran++;
      }));
    auto id = engine.submit("job", std::move(tasks));
    engine.wait(id);
    EXPECT_EQ(engine.status(id).finished, 10);
    EXPECT_TRUE(engine.status(id).done());
  }
  EXPECT_EQ(ran, 10);
  EXPECT_EQ(rec.count(JobEvent::Type::Queued), 10);
  EXPECT_EQ(rec.count(JobEvent::Type::Started), 10);
  EXPECT_EQ(rec.count(JobEvent::Type::Progress), 10);
  EXPECT_EQ(rec.count(JobEvent::Type::Finished), 10);
  EXPECT_EQ(rec.count(JobEvent::Type::JobDone), 1);
}

TEST(JobEngine, AFailingTaskDoesNotStopTheJob) {
  Recorder rec;
  JobEngine engine({1, {}}, rec.fn());
  std::vector<Task> tasks{simple("a"), simple("bad", [](TaskContext&) { throw qid::Error("corrupt checkpoint"); }),
                          simple("c")};
  auto id = engine.submit("job", std::move(tasks));
  engine.wait(id);
  auto s = engine.status(id);
  EXPECT_EQ(s.finished, 2);
  EXPECT_EQ(s.failed, 1);
  std::lock_guard lock(rec.m);
  bool found = false;
  for (const auto& e : rec.events)
    if (e.type == JobEvent::Type::Failed) {
      EXPECT_EQ(e.task, "bad");
      EXPECT_EQ(e.error, "corrupt checkpoint");
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(JobEngine, HigherPriorityJobsRunFirst) {
  Recorder rec;
  JobEngine engine({1, {}}, rec.fn());
  engine.pauseAll();
  auto low = engine.submit("low", {simple("low1"), simple("low2")}, 0);
  auto high = engine.submit("high", {simple("high1"), simple("high2")}, 5);
  engine.resumeAll();
  engine.wait(low);
  engine.wait(high);
  EXPECT_EQ(rec.started(), (std::vector<std::string>{"high1", "high2", "low1", "low2"}));
}

TEST(JobEngine, PauseResumeAndCancelPerJob) {
  Recorder rec;
  JobEngine engine({1, {}}, rec.fn());
  std::atomic<bool> release{false};
  auto blocker = engine.submit("blocker", {simple("block", [&](TaskContext&) {
                                   while (!release) std::this_thread::sleep_for(1ms);
                                 })});
  auto a = engine.submit("a", {simple("a1"), simple("a2")});
  auto b = engine.submit("b", {simple("b1"), simple("b2")});
  engine.pause(a);
  engine.cancel(b);
  EXPECT_TRUE(engine.status(a).paused);
  release = true;
  engine.wait(blocker);
  engine.wait(b);
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(engine.status(a).finished, 0);
  EXPECT_EQ(engine.status(a).queued, 2);
  EXPECT_EQ(engine.status(b).cancelledTasks, 2);
  engine.resume(a);
  engine.wait(a);
  EXPECT_EQ(engine.status(a).finished, 2);
  EXPECT_EQ(rec.count(JobEvent::Type::Cancelled), 2);
}

TEST(JobEngine, CancelStopsARunningTaskAtItsNextProgressReport) {
  Recorder rec;
  JobEngine engine({1, {}}, rec.fn());
  std::atomic<bool> started{false};
  auto id = engine.submit("long", {simple("loop", [&](TaskContext& c) {
                                     started = true;
                                     for (int i = 0; i < 100000; ++i) {
                                       qid::report(c.progress, {"loop", i, 100000, ""});
                                       std::this_thread::sleep_for(1ms);
                                     }
                                   }),
                                   simple("next")});
  while (!started) std::this_thread::sleep_for(1ms);
  engine.cancel(id);
  engine.wait(id);
  EXPECT_EQ(engine.status(id).cancelledTasks, 2);
  EXPECT_EQ(engine.status(id).finished, 0);
}

TEST(JobEngine, StopAfterCurrentLetsTheRunningTaskFinish) {
  JobEngine engine({1, {}});
  std::atomic<bool> started{false};
  std::atomic<int> done{0};
  std::vector<Task> tasks;
  tasks.push_back(simple("first", [&](TaskContext&) {
    started = true;
    std::this_thread::sleep_for(30ms);
    done++;
  }));
  for (int i = 0; i < 5; ++i) tasks.push_back(simple(std::to_string(i) + "more", [&](TaskContext&) { done++; }));
  auto id = engine.submit("job", std::move(tasks));
  while (!started) std::this_thread::sleep_for(1ms);
  engine.stopAfterCurrent();
  engine.wait(id);
  EXPECT_EQ(done, 1);
  EXPECT_EQ(engine.status(id).queued, 5);
}

TEST(JobEngine, OneWorkerPerDevicePlusCpuWorkers) {
  JobEngine engine({2, {"cuda:0", "cuda:1"}});
  EXPECT_EQ(engine.workerDevices(), (std::vector<std::string>{"cuda:0", "cuda:1", "cpu", "cpu"}));
  EXPECT_THROW(JobEngine({0, {}}), qid::Error);
}
