// Sweep::pause/resume/cancel: the control surface the GUI's job panel uses
// while run() is busy on a worker thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "jobs/fake_cell_runner.h"
#include "jobs/sweep.h"
#include "store/project.h"
#include "sweep_fixture.h"

using namespace qid::jobs;
using qid::store::Project;

namespace {

// A fake runner whose quantize step takes a while and checks for cancel.
class SlowRunner : public FakeCellRunner {
 public:
  QuantOutcome quantize(const CellSpec& c, const qid::store::Baseline& b, const RunContext& ctx) override {
    for (int i = 0; i < 40; ++i) {
      qid::report(ctx.progress, {"slow", i, 40, ""});
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return FakeCellRunner::quantize(c, b, ctx);
  }
};

SweepPlan planAt(const qid::test::TempDir& tmp) {
  return SweepPlan::parse(qid::test::tinyPlan(tmp.path(), "control"), tmp.path());
}

}  // namespace

TEST(SweepControl, PauseHoldsEveryCellUntilResume) {
  qid::test::TempDir tmp;
  Project project(tmp / "p.qidlab");
  FakeCellRunner runner;
  Sweep sweep(project, planAt(tmp), runner, {});
  std::atomic<int> started{0};
  sweep.pause();  // before run(): the request waits for the engine
  EXPECT_TRUE(sweep.paused());
  SweepSummary sum;
  std::thread t([&] { sum = sweep.run([&](const JobEvent& e) { started += e.type == JobEvent::Type::Started; }); });
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(started.load(), 0);
  EXPECT_EQ(project.measurementCount(), 0);
  sweep.resume();
  t.join();
  EXPECT_FALSE(sweep.paused());
  EXPECT_EQ(sum.finished, 12);
  EXPECT_EQ(project.measurementCount(), 12);
}

TEST(SweepControl, CancelStopsTheSweepAndALaterRunResumesIt) {
  qid::test::TempDir tmp;
  Project project(tmp / "p.qidlab");
  SlowRunner slow;
  Sweep sweep(project, planAt(tmp), slow, {});
  std::atomic<int> started{0}, cancelled{0};
  SweepSummary sum;
  std::thread t([&] {
    sum = sweep.run([&](const JobEvent& e) {
      started += e.type == JobEvent::Type::Started;
      cancelled += e.type == JobEvent::Type::Cancelled;
    });
  });
  while (started.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  sweep.cancel();
  t.join();
  EXPECT_TRUE(sum.stopped);
  EXPECT_LT(sum.finished, 12);
  EXPECT_GT(cancelled.load(), 0);
  EXPECT_EQ(sum.failed, 0);  // a cancel is not a failure
  EXPECT_GT(sum.notRun, 0);  // the queued cells were dropped
  EXPECT_LT(project.measurementCount(), 12);

  FakeCellRunner fast;
  Sweep again(project, planAt(tmp), fast, {});
  const SweepSummary rest = again.run();
  EXPECT_EQ(rest.alreadyDone + rest.finished, 12);
  EXPECT_EQ(project.measurementCount(), 12);
}
