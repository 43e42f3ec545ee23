#include "reproduce_job.h"

#include <QThread>

#include "common/error.h"
#include "study/reproduce.h"

namespace qid::ui {

namespace {
qid::jobs::SweepPlan namedPlan(const DemoRequest& r) {
  qid::jobs::SweepPlan plan;
  plan.name = QObject::tr("Micro-suite demo (%1)").arg(r.preset).toStdString();
  return plan;
}
}  // namespace

ReproduceJob::ReproduceJob(DemoRequest request, std::unique_ptr<qid::jobs::CellRunner> runner, QObject* parent)
    : SweepJob(request.projectPath(), namedPlan(request), std::move(runner), {}, parent), request_(std::move(request)) {}

ReproduceJob::~ReproduceJob() { stopWorker(); }

// On the worker thread: every callback of reproduce goes back as a queued call.
void ReproduceJob::work() {
  QString error;
  bool stopped = false;
  try {
    QThread* self = QThread::currentThread();
    auto stop = [this, self] { return cancelRequested() || self->isInterruptionRequested(); };
    qid::study::ReproduceOptions o;
    o.plan = qid::train::loadSuitePlan(request_.preset.toStdString());
    for (const QString& c : request_.corpusFiles) o.inputs.corpusFiles.emplace_back(c.toStdString());
    o.outDir = request_.outDir.toStdString();
    o.projectFile = request_.projectPath().toStdString();
    o.runner = runner();
    o.cpuWorkers = std::max(1, request_.workers);
    o.plotter = request_.plotter.toStdString();
    o.command = "qidlab (micro-suite demo, preset " + request_.preset.toStdString() + ")";
    o.progress = [this, stop](const qid::Progress& p) {
      const QString stage = QString::fromStdString(p.stage), message = QString::fromStdString(p.message);
      const qint64 done = p.done, total = p.total;
      QMetaObject::invokeMethod(this, [=, this] { onProgress(stage, done, total, message); }, Qt::QueuedConnection);
      return !stop();
    };
    o.onPhase = [this](const qid::study::PhaseEvent& e) {
      const QString name = QString::fromStdString(e.name), summary = QString::fromStdString(e.summary);
      const int index = e.index, count = e.count;
      const bool finished = e.finished;
      QMetaObject::invokeMethod(
          this, [=, this] { onPhase(index, count, name, finished, summary); }, Qt::QueuedConnection);
    };
    o.onSweepEvent = [this](const qid::jobs::JobEvent& e) { postEvent(e); };
    o.stopRequested = stop;
    postPrepared(0, 0);
    const qid::study::ReproduceResult r = qid::study::reproduce(o);
    stopped = r.sweep.stopped;
    const QString report = QString::fromStdString(r.reportMarkdown.string());
    QMetaObject::invokeMethod(this, [this, report] { reportPath_ = report; }, Qt::QueuedConnection);
  } catch (const qid::Cancelled&) {
    stopped = true;
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  }
  postDone(stopped, error);
}

void ReproduceJob::onPhase(int index, int count, const QString& name, bool finished, const QString& summary) {
  phaseLabel_ = tr("%1 (%2/%3)").arg(name).arg(index).arg(count);
  if (finished) {
    finishedPhases_ << name;
    setActivity(tr("%1 done: %2").arg(name, summary));
    emit phaseFinished(name, summary);
  } else {
    setPhase(phaseLabel_, 0, 0);
    setActivity(tr("%1…").arg(name));
  }
}

void ReproduceJob::onProgress(const QString& stage, qint64 done, qint64 total, const QString& message) {
  setPhase(phaseLabel_.isEmpty() ? stage : phaseLabel_, done, total);
  setActivity(message.isEmpty() ? stage : tr("%1: %2").arg(stage, message));
}

}  // namespace qid::ui
