#include "slurm_resume_check.h"

#include <QThread>

#include "slurm/sweep_status.h"
#include "store/project.h"

namespace qid::ui {

bool slurmArrayUnfinished(const qid::slurm::SweepArrayStatus& st) {
  return !st.finished() || st.landed > st.ingested;
}

namespace {
// Every cell of the array is in the project: nothing to follow, whatever Slurm says.
bool allIngested(qid::store::Project& project, const qid::store::SlurmArrayRecord& a) {
  if (!a.shards.is_array()) return false;
  for (const auto& shard : a.shards)
    for (const auto& id : shard)
      if (!project.hasMeasurement(id.get<std::string>())) return false;
  return true;
}
}  // namespace

SlurmResumeCheck::SlurmResumeCheck(QString projectPath, QObject* parent)
    : QObject(parent), projectPath_(std::move(projectPath)) {}

SlurmResumeCheck::~SlurmResumeCheck() {
  if (!thread_) return;
  thread_->requestInterruption();
  thread_->wait();
}

void SlurmResumeCheck::start() {
  if (thread_) return;
  try {
    qid::store::Project project(projectPath_.toStdString(), qid::store::Project::Mode::OpenExisting);
    for (const auto& a : project.slurmArrays()) ids_.push_back(a.id);
  } catch (const std::exception& e) {
    emit problem(QString::fromStdString(e.what()));
  }
  thread_ = QThread::create([this] { work(); });
  thread_->setObjectName(QStringLiteral("slurm resume check"));
  thread_->start();
}

void SlurmResumeCheck::work() {
  QThread* self = QThread::currentThread();
  auto post = [this](auto f) { QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection); };
  if (ids_.empty()) {
    post([this] {
      done_ = true;
      emit finished();
    });
    return;
  }
  try {
    qid::store::Project project(projectPath_.toStdString(), qid::store::Project::Mode::OpenExisting);
    for (const std::int64_t arrayId : ids_) {
      if (self->isInterruptionRequested()) break;
      const auto record = project.slurmArray(arrayId);
      if (!record) continue;
      const auto& a = *record;
      if (a.submissions.empty() || allIngested(project, a)) continue;
      try {
        if (!slurmArrayUnfinished(qid::slurm::sweepStatus(project, a, run_))) continue;
      } catch (const std::exception& e) {
        post([this, text = tr("Slurm array %1 (%2): %3")
                               .arg(QString::fromStdString(a.firstJobId()), QString::fromStdString(a.planName),
                                    QString::fromStdString(e.what()))] { emit problem(text); });
        continue;
      }
      post([this, id = qint64(a.id), name = QString::fromStdString(a.planName)] { emit found(id, name); });
    }
  } catch (const std::exception& e) {
    post([this, text = QString::fromStdString(e.what())] { emit problem(text); });
  }
  post([this] {
    done_ = true;
    emit finished();
  });
}

}  // namespace qid::ui
