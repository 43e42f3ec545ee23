#include "job_queue_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include "job_queue.h"
#include "job_row.h"
#include "slurm_array_job.h"
#include "slurm_job_row.h"
#include "sweep_job.h"

namespace qid::ui {

JobQueuePanel::JobQueuePanel(JobQueue* queue, QWidget* parent)
    : QWidget(parent), queue_(queue), rows_(new QVBoxLayout), empty_(new QLabel(this)) {
  auto* inner = new QWidget(this);
  auto* innerLayout = new QVBoxLayout(inner);
  innerLayout->setContentsMargins(0, 0, 0, 0);
  empty_->setText(tr("No jobs. Start one with File → New evaluation…, or see QiD Lab at work: "
                     "the micro-suite demo trains tiny models, sweeps them and fills the charts live."));
  empty_->setWordWrap(true);
  innerLayout->addWidget(empty_);
  innerLayout->addLayout(rows_);
  innerLayout->addStretch(1);
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setWidget(inner);
  scroll->setFrameShape(QFrame::NoFrame);

  auto* add = new QPushButton(tr("New evaluation…"), this);
  auto* clear = new QPushButton(tr("Clear finished"), this);
  auto* demo = demo_ = new QPushButton(tr("Run the micro-suite demo…"), this);
  demo->setObjectName(QStringLiteral("DemoButton"));
  innerLayout->insertWidget(1, demo, 0, Qt::AlignLeft);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add);
  buttons->addWidget(clear);
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addLayout(buttons);
  layout->addWidget(scroll, 1);

  connect(add, &QPushButton::clicked, this, &JobQueuePanel::newEvaluationRequested);
  connect(demo, &QPushButton::clicked, this, &JobQueuePanel::demoRequested);
  connect(clear, &QPushButton::clicked, queue_, &JobQueue::removeFinished);
  connect(queue_, &JobQueue::jobAdded, this, &JobQueuePanel::addRow);
  connect(queue_, &JobQueue::jobRemoved, this, &JobQueuePanel::removeRow);
  connect(queue_, &JobQueue::slurmJobAdded, this, &JobQueuePanel::addSlurmRow);
  connect(queue_, &JobQueue::slurmJobRemoved, this, &JobQueuePanel::removeSlurmRow);
  for (SweepJob* j : queue_->jobs()) addRow(j);
  for (SlurmArrayJob* j : queue_->slurmJobs()) addSlurmRow(j);
}

bool JobQueuePanel::empty() const { return queue_->jobs().isEmpty() && queue_->slurmJobs().isEmpty(); }

void JobQueuePanel::addSlurmRow(SlurmArrayJob* job) {
  rows_->addWidget(new SlurmJobRow(job, this));
  empty_->hide();
  demo_->hide();
}

void JobQueuePanel::removeSlurmRow(SlurmArrayJob* job) {
  if (SlurmJobRow* r = rowFor(job)) {
    rows_->removeWidget(r);
    r->deleteLater();
  }
  empty_->setVisible(empty());
  demo_->setVisible(empty());
}

SlurmJobRow* JobQueuePanel::rowFor(const SlurmArrayJob* job) const {
  for (SlurmJobRow* r : findChildren<SlurmJobRow*>())
    if (r->job() == job) return r;
  return nullptr;
}

void JobQueuePanel::addRow(SweepJob* job) {
  rows_->addWidget(new JobRow(job, this));
  empty_->hide();
  demo_->hide();
}

void JobQueuePanel::removeRow(SweepJob* job) {
  if (JobRow* r = rowFor(job)) {
    rows_->removeWidget(r);
    r->deleteLater();
  }
  empty_->setVisible(empty());
  demo_->setVisible(empty());
}

JobRow* JobQueuePanel::rowFor(const SweepJob* job) const {
  for (JobRow* r : findChildren<JobRow*>())
    if (r->job() == job) return r;
  return nullptr;
}

}  // namespace qid::ui
