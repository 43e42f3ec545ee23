#include "slurm_job_row.h"

#include <algorithm>

#include <QGridLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

#include "slurm_array_job.h"

namespace qid::ui {

SlurmJobRow::SlurmJobRow(SlurmArrayJob* job, QWidget* parent)
    : QWidget(parent), job_(job), title_(new QLabel(this)), activity_(new QLabel(this)), bar_(new QProgressBar(this)),
      cancel_(new QToolButton(this)), details_(new QToolButton(this)), retry_(new QToolButton(this)) {
  retry_->setText(tr("Retry"));
  retry_->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
  retry_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  retry_->setToolTip(tr("Resubmit the tasks whose cells are missing; cells that landed are not run again"));
  cancel_->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
  cancel_->setToolTip(tr("Cancel the array on Slurm (scancel); cells that landed are still ingested"));
  details_->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
  details_->setToolTip(tr("Show what went wrong"));
  activity_->setStyleSheet(QStringLiteral("color: palette(mid)"));
  activity_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  activity_->setWordWrap(true);
  bar_->setTextVisible(true);
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(4, 2, 4, 2);
  grid->addWidget(title_, 0, 0);
  grid->addWidget(cancel_, 0, 1);
  grid->addWidget(details_, 0, 2);
  grid->addWidget(retry_, 0, 3);
  grid->addWidget(bar_, 1, 0, 1, 4);
  grid->addWidget(activity_, 2, 0, 1, 4);
  grid->setColumnStretch(0, 1);
  connect(job_, &SlurmArrayJob::changed, this, &SlurmJobRow::refresh);
  connect(cancel_, &QToolButton::clicked, job_, &SlurmArrayJob::cancel);
  connect(details_, &QToolButton::clicked, this, &SlurmJobRow::showDetails);
  connect(retry_, &QToolButton::clicked, job_, &SlurmArrayJob::retry);
  refresh();
}

void SlurmJobRow::refresh() {
  const SlurmArrayJob::State st = job_->state();
  const QString id = job_->jobId().isEmpty() ? tr("Slurm") : tr("Slurm array %1").arg(job_->jobId());
  title_->setText(tr("<b>%1</b> · %2 · %3").arg(job_->name().toHtmlEscaped(), SlurmArrayJob::stateText(st), id));
  const SlurmProgress& p = job_->progress();
  if (p.cells < 0) {
    bar_->setRange(0, std::max(1, p.tasks));  // cells unknown: count tasks instead
    bar_->setValue(p.done + p.failed + p.cancelled);
    bar_->setFormat(tr("%v of %m tasks ended"));
  } else {
    bar_->setRange(0, std::max(1, p.cells));
    bar_->setValue(std::min(p.landed, p.cells));
    bar_->setFormat(tr("%v of %m cells landed"));
  }
  QString text = job_->activity();
  if (st != SlurmArrayJob::State::Submitting && st != SlurmArrayJob::State::Waiting) {
    if (!text.isEmpty()) text += QStringLiteral("\n");
    text += job_->progressText();
  }
  activity_->setText(text);
  cancel_->setEnabled(job_->active() && st != SlurmArrayJob::State::Cancelling);
  details_->setVisible(!job_->failures().isEmpty());
  retry_->setVisible(job_->canRetry());
}

QString SlurmJobRow::detailsText() const { return job_->failures().join(QLatin1Char('\n')); }

void SlurmJobRow::showDetails() {
  QMessageBox box(QMessageBox::Warning, tr("Slurm array"),
                  tr("%1 on Slurm: %2. The results that landed stay in the results folder and the project; "
                     "`qidlab-cli slurm status`, `ingest` and `retry` take it from here.")
                      .arg(job_->name(), SlurmArrayJob::stateText(job_->state())),
                  QMessageBox::Close, this);
  box.setDetailedText(detailsText());
  box.exec();
}

}  // namespace qid::ui
