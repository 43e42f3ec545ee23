#include "job_row.h"

#include <QGridLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

#include "sweep_job.h"

namespace qid::ui {

JobRow::JobRow(SweepJob* job, QWidget* parent)
    : QWidget(parent), job_(job), title_(new QLabel(this)), activity_(new QLabel(this)), bar_(new QProgressBar(this)),
      pause_(new QToolButton(this)), cancel_(new QToolButton(this)), details_(new QToolButton(this)) {
  cancel_->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
  cancel_->setToolTip(tr("Cancel this job: queued cells are dropped, running ones are asked to stop"));
  details_->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
  details_->setToolTip(tr("Show why cells failed"));
  activity_->setStyleSheet(QStringLiteral("color: palette(mid)"));
  activity_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  bar_->setTextVisible(true);
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(4, 2, 4, 2);
  grid->addWidget(title_, 0, 0);
  grid->addWidget(pause_, 0, 1);
  grid->addWidget(cancel_, 0, 2);
  grid->addWidget(details_, 0, 3);
  grid->addWidget(bar_, 1, 0, 1, 4);
  grid->addWidget(activity_, 2, 0, 1, 4);
  grid->setColumnStretch(0, 1);
  connect(job_, &SweepJob::changed, this, &JobRow::refresh);
  connect(pause_, &QToolButton::clicked, this, [this] {
    if (job_->state() == SweepJob::State::Paused) {
      job_->resume();
    } else {
      job_->pause();
    }
  });
  connect(cancel_, &QToolButton::clicked, job_, &SweepJob::cancel);
  connect(details_, &QToolButton::clicked, this, &JobRow::showDetails);
  refresh();
}

void JobRow::refresh() {
  const SweepJob::State st = job_->state();
  title_->setText(tr("<b>%1</b> · %2 · %3").arg(job_->name().toHtmlEscaped(), SweepJob::stateText(st), job_->runnerName()));
  if (!job_->phase().isEmpty()) {
    // A job of several phases: the bar follows the phase running now.
    const qint64 total = std::max<qint64>(1, job_->phaseTotal());
    bar_->setRange(0, int(std::min<qint64>(total, 1 << 30)));
    bar_->setValue(int(std::min(job_->phaseDone(), total)));
    bar_->setFormat(job_->phaseTotal() > 0 ? tr("%1: %v of %m").arg(job_->phase()) : job_->phase());
  } else {
    bar_->setRange(0, std::max(1, job_->totalCells()));
    bar_->setValue(job_->doneCells() + job_->failedCells());
    bar_->setFormat(job_->failedCells() ? tr("%v of %m cells (%1 failed)").arg(job_->failedCells()) : tr("%v of %m cells"));
  }
  QString activity = job_->currentActivity();
  if (activity.isEmpty() && job_->runningCells() == 0) activity = SweepJob::stateText(st);
  activity_->setText(activity);
  const bool paused = st == SweepJob::State::Paused;
  pause_->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
  pause_->setToolTip(paused ? tr("Resume this job") : tr("Pause: running cells finish, no new cell starts"));
  const bool live = job_->active() || st == SweepJob::State::Waiting;
  pause_->setEnabled(live && st != SweepJob::State::Stopping);
  pause_->setVisible(job_->canPause());
  cancel_->setEnabled(live && st != SweepJob::State::Stopping);
  details_->setVisible(!job_->failures().isEmpty());
}

QString JobRow::detailsText() const { return job_->failures().join(QLatin1Char('\n')); }

void JobRow::showDetails() {
  QMessageBox box(QMessageBox::Warning, tr("Failed cells"),
                  tr("%n cell(s) of %1 failed; the other cells are not affected.", nullptr, job_->failedCells())
                      .arg(job_->name()),
                  QMessageBox::Close, this);
  box.setDetailedText(detailsText());
  box.exec();
}

}  // namespace qid::ui
