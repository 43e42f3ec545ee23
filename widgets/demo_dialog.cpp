#include "demo_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>

#include "common/error.h"
#include "train/suite.h"
#include "typed_setting.h"

namespace qid::ui {

namespace {
const Setting<QString> lastPreset{"demo.preset", QStringLiteral("tiny")};
const Setting<QString> lastCorpus{"demo.corpus", QString()};
const Setting<int> lastWorkers{"demo.workers", 1};

QString presetDescription(const QString& name) {
  try {
    return QString::fromStdString(qid::train::loadSuitePlan(name.toStdString()).description);
  } catch (const qid::Error& e) {
    return QString::fromStdString(e.what());
  }
}
}  // namespace

QString defaultDemoFolder(const QString& preset) {
  QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  if (docs.isEmpty()) docs = QDir::homePath();
  return QDir(docs).filePath(QStringLiteral("QiD Lab demo/") + preset);
}

DemoDialog::DemoDialog(QWidget* parent)
    : QDialog(parent), preset_(new QComboBox(this)), description_(new QLabel(this)), folder_(new QLineEdit(this)),
      corpus_(new QLineEdit(this)), workers_(new QSpinBox(this)) {
  setWindowTitle(tr("Run the micro-suite demo"));
  auto* intro = new QLabel(tr("QiD Lab trains a suite of tiny language models, quantizes every checkpoint with RTN "
                              "and GPTQ at 2, 3 and 4 bits, measures the weight fluctuation between checkpoints "
                              "and fits the paper's laws. The measurements appear in the charts as they land."),
                           this);
  intro->setWordWrap(true);
  // tiny first: the quick look.
  QStringList names;
  for (const std::string& n : qid::train::suitePresetNames()) names << QString::fromStdString(n);
  names.removeAll(QStringLiteral("tiny"));
  names.prepend(QStringLiteral("tiny"));
  for (const QString& n : names) {
    const QString label = n == QLatin1String("tiny")    ? tr("tiny — a quick look (a minute or two)")
                          : n == QLatin1String("quick") ? tr("quick — about 5 minutes on 2 cores")
                                                        : n;
    preset_->addItem(label, n);
  }
  const int remembered = preset_->findData(lastPreset.get());
  preset_->setCurrentIndex(remembered >= 0 ? remembered : 0);
  description_->setWordWrap(true);
  description_->setStyleSheet(QStringLiteral("color: palette(mid)"));

  auto* browseFolder = new QPushButton(tr("Browse…"), this);
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(folder_, 1);
  folderRow->addWidget(browseFolder);
  corpus_->setPlaceholderText(tr("The King James Bible (Debian's bible-kjv)"));
  corpus_->setText(lastCorpus.get());
  auto* browseCorpus = new QPushButton(tr("Browse…"), this);
  auto* corpusRow = new QHBoxLayout;
  corpusRow->addWidget(corpus_, 1);
  corpusRow->addWidget(browseCorpus);
  workers_->setRange(1, std::max(1, QThread::idealThreadCount()));
  workers_->setValue(std::clamp(lastWorkers.get(), 1, workers_->maximum()));

  auto* form = new QFormLayout;
  form->addRow(tr("Preset:"), preset_);
  form->addRow(QString(), description_);
  form->addRow(tr("Output folder:"), folderRow);
  form->addRow(tr("Training text:"), corpusRow);
  form->addRow(tr("Sweep workers:"), workers_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Run the demo"));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(buttons);

  connect(preset_, &QComboBox::currentIndexChanged, this, &DemoDialog::presetChanged);
  connect(folder_, &QLineEdit::textEdited, this, [this] { folderEdited_ = true; });
  connect(browseFolder, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"), folder_->text());
    if (dir.isEmpty()) return;
    folder_->setText(dir);
    folderEdited_ = true;
  });
  connect(browseCorpus, &QPushButton::clicked, this, [this] {
    const QString f = QFileDialog::getOpenFileName(this, tr("Training text"), corpus_->text(),
                                                   tr("Text files (*.txt);;All files (*)"));
    if (!f.isEmpty()) corpus_->setText(f);
  });
  connect(buttons, &QDialogButtonBox::accepted, this, &DemoDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &DemoDialog::reject);
  presetChanged();
}

void DemoDialog::presetChanged() {
  const QString name = preset_->currentData().toString();
  description_->setText(presetDescription(name));
  if (!folderEdited_) folder_->setText(defaultDemoFolder(name));
}

DemoRequest DemoDialog::request() const {
  DemoRequest r;
  r.preset = preset_->currentData().toString();
  r.outDir = folder_->text().trimmed().isEmpty() ? defaultDemoFolder(r.preset) : folder_->text().trimmed();
  if (!corpus_->text().trimmed().isEmpty()) r.corpusFiles << corpus_->text().trimmed();
  r.workers = workers_->value();
  return r;
}

void DemoDialog::accept() {
  lastPreset.set(preset_->currentData().toString());
  lastCorpus.set(corpus_->text().trimmed());
  lastWorkers.set(workers_->value());
  QDialog::accept();
}

}  // namespace qid::ui
