#include "download_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "download_job.h"

namespace qid::ui {

DownloadPanel::DownloadPanel(QWidget* parent) : QWidget(parent), rows_(new QVBoxLayout) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* hint = new QLabel(tr("Hub checkpoints download into the Hugging Face cache (HF_HUB_CACHE), "
                             "shared with Python; a cancelled download resumes next time."),
                          this);
  hint->setWordWrap(true);
  layout->addWidget(hint);
  layout->addLayout(rows_);
  layout->addStretch(1);
}

void DownloadPanel::addJob(DownloadJob* job) {
  auto* row = new QWidget(this);
  auto* title = new QLabel(row);
  auto* bar = new QProgressBar(row);
  auto* message = new QLabel(row);
  auto* cancel = new QToolButton(row);
  cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
  cancel->setToolTip(tr("Cancel the download"));
  title->setWordWrap(true);
  message->setWordWrap(true);
  auto* grid = new QGridLayout(row);
  grid->setContentsMargins(0, 2, 0, 2);
  grid->addWidget(title, 0, 0);
  grid->addWidget(cancel, 0, 1);
  grid->addWidget(bar, 1, 0, 1, 2);
  grid->addWidget(message, 2, 0, 1, 2);
  rows_->addWidget(row);
  QPointer<DownloadJob> guard(job);
  auto refresh = [=] {
    if (!guard) return;
    title->setText(tr("<b>%1</b> · checkpoint %2 of %3")
                       .arg(job->title().toHtmlEscaped())
                       .arg(std::min(job->checkpointsDone() + 1, std::max(1, job->checkpointCount())))
                       .arg(job->checkpointCount()));
    // Bytes of the current checkpoint in KiB, so the range fits an int.
    bar->setRange(0, job->bytesTotal() > 0 ? int(job->bytesTotal() / 1024) : 0);
    bar->setValue(int(job->bytesDone() / 1024));
    if (job->state() != DownloadJob::State::Running) {
      bar->setRange(0, 1);
      bar->setValue(job->state() == DownloadJob::State::Finished ? 1 : 0);
    }
    message->setText(job->message());
    cancel->setEnabled(job->state() == DownloadJob::State::Running || job->state() == DownloadJob::State::Waiting);
  };
  connect(job, &DownloadJob::changed, row, refresh);
  connect(cancel, &QToolButton::clicked, job, &DownloadJob::cancel);
  connect(job, &QObject::destroyed, row, &QObject::deleteLater);
  refresh();
}

}  // namespace qid::ui
