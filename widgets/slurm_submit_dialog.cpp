#include "slurm_submit_dialog.h"

#include <algorithm>

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "common/error.h"
#include "typed_setting.h"

namespace qid::ui {

namespace {
const Setting<QString> lastPartition{"slurm.partition", QString()};
const Setting<QString> lastGres{"slurm.gres", QString()};
const Setting<QString> lastTime{"slurm.time", QString()};
const Setting<QString> lastExtra{"slurm.extraSbatch", QString()};

int cellsOf(const EvaluationRequest& r) {
  try {
    return estimatedCells(r);
  } catch (const qid::Error&) {
    return 0;
  }
}
}  // namespace

SlurmSubmitDialog::SlurmSubmitDialog(EvaluationRequest request, QWidget* parent)
    : QDialog(parent), request_(std::move(request)), results_(new QLineEdit(this)), arraySize_(new QSpinBox(this)),
      partition_(new QLineEdit(this)), gres_(new QLineEdit(this)), time_(new QLineEdit(this)),
      extra_(new QLineEdit(this)), cli_(new QLineEdit(this)), cells_(new QLabel(this)), previewButton_(new QPushButton(tr("Preview script"), this)),
      preview_(new QPlainTextEdit(this)),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
  setWindowTitle(tr("Run on Slurm"));
  const int cells = cellsOf(request_);
  results_->setText(defaultSlurmResultsDir(request_.projectPath));
  results_->setToolTip(tr("A folder this computer and every node can read and write (shared storage)"));
  arraySize_->setRange(1, std::max(1, std::min(cells, int(qid::slurm::kMaxDefaultArraySize))));
  arraySize_->setValue(defaultArraySize(cells));
  arraySize_->setToolTip(tr("Tasks in the job array; each runs one share of the cells"));
  partition_->setText(lastPartition.get());
  partition_->setPlaceholderText(tr("the cluster's default"));
  gres_->setText(lastGres.get());
  gres_->setPlaceholderText(tr("e.g. gpu:1"));
  time_->setText(lastTime.get());
  time_->setPlaceholderText(tr("e.g. 02:00:00"));
  extra_->setText(lastExtra.get());
  extra_->setPlaceholderText(tr("e.g. --mem=16G --account=lab"));
  cli_->setText(QString::fromStdString(qid::slurm::defaultCliBinary()));
  cli_->setToolTip(tr("The qidlab-cli every task runs; the nodes must see it at this path"));
  cells_->setText(tr("%n cell(s) of '%1'", nullptr, cells).arg(request_.name));
  preview_->setReadOnly(true);
  preview_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  preview_->setPlaceholderText(tr("Preview script shows the sbatch script that would be submitted"));

  auto* browse = new QToolButton(this);
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(tr("Browse"));
  auto* resultsRow = new QHBoxLayout;
  resultsRow->addWidget(results_, 1);
  resultsRow->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(tr("Evaluation:"), cells_);
  form->addRow(tr("Results folder:"), resultsRow);
  form->addRow(tr("Array size:"), arraySize_);
  form->addRow(tr("Partition:"), partition_);
  form->addRow(tr("GRES:"), gres_);
  form->addRow(tr("Time limit:"), time_);
  form->addRow(tr("Extra sbatch options:"), extra_);
  form->addRow(tr("qidlab-cli on the nodes:"), cli_);
  auto* previewRow = new QHBoxLayout;
  previewRow->addWidget(previewButton_);
  previewRow->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(previewRow);
  layout->addWidget(preview_, 1);
  layout->addWidget(buttons_);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("Submit"));
  connect(buttons_, &QDialogButtonBox::accepted, this, &SlurmSubmitDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(previewButton_, &QPushButton::clicked, this, &SlurmSubmitDialog::preview);
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Choose the shared results folder"), results_->text());
    if (!d.isEmpty()) results_->setText(d);
  });
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(cells > 0);
  resize(680, 560);
}

QPushButton* SlurmSubmitDialog::submitButton() const { return buttons_->button(QDialogButtonBox::Ok); }

SlurmChoices SlurmSubmitDialog::choices() const {
  SlurmChoices c;
  c.resultsDir = results_->text().trimmed();
  c.arraySize = arraySize_->value();
  c.partition = partition_->text().trimmed();
  c.gres = gres_->text().trimmed();
  c.time = time_->text().trimmed();
  c.extraSbatch = extra_->text().trimmed();
  c.cliBinary = cli_->text().trimmed();
  return c;
}

void SlurmSubmitDialog::setChoices(const SlurmChoices& c) {
  results_->setText(c.resultsDir);
  arraySize_->setValue(c.arraySize);
  partition_->setText(c.partition);
  gres_->setText(c.gres);
  time_->setText(c.time);
  extra_->setText(c.extraSbatch);
  if (!c.cliBinary.isEmpty()) cli_->setText(c.cliBinary);
}

void SlurmSubmitDialog::preview() {
  try {
    preview_->setPlainText(previewSlurmScript(request_, choices()));
  } catch (const std::exception& e) {
    preview_->setPlainText(tr("No script: %1").arg(QString::fromStdString(e.what())));
  }
}

QString SlurmSubmitDialog::previewText() const { return preview_->toPlainText(); }

void SlurmSubmitDialog::accept() {
  const SlurmChoices c = choices();
  try {
    previewSlurmScript(request_, c);
  } catch (const std::exception& e) {
    preview_->setPlainText(tr("Cannot submit: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  lastPartition.set(c.partition);
  lastGres.set(c.gres);
  lastTime.set(c.time);
  lastExtra.set(c.extraSbatch);
  QDialog::accept();
}

}  // namespace qid::ui
