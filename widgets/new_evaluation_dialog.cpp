#include "new_evaluation_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "common/error.h"
#include "eval/recipe.h"
#include "pythia_suite_picker.h"
#include "slurm_submit_dialog.h"
#include "typed_setting.h"

namespace qid::ui {

namespace {
// The dialog's own settings, declared where they are used.
const Setting<QString> lastEvalText{"evaluation.evalText", QString()};
const Setting<QString> lastCalibration{"evaluation.calibration", QString()};
const Setting<int> lastSeqlen{"evaluation.seqlen", 2048};
const Setting<QString> lastRecipe{"evaluation.recipe", QStringLiteral("gptq-paper")};
const Setting<QStringList> lastMethods{"evaluation.methods", {QStringLiteral("gptq")}};
const Setting<QString> lastBits{"evaluation.bits", QStringLiteral("2, 3, 4")};
const Setting<QString> lastDevice{"evaluation.device", QStringLiteral("cpu")};

const char* const kMethods[] = {"rtn", "gptq", "awq", "nf4", "fp4", "int8"};

QVector<int> parseBits(const QString& text, bool* ok) {
  QVector<int> out;
  *ok = true;
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool good = false;
    const int b = part.trimmed().toInt(&good);
    if (!good || b < 1 || b > 16) *ok = false;
    else out.push_back(b);
  }
  if (out.isEmpty()) *ok = false;
  return out;
}
}  // namespace

NewEvaluationDialog::NewEvaluationDialog(const QString& projectPath, std::filesystem::path hubCache, QWidget* parent)
    : QDialog(parent), name_(new QLineEdit(this)), project_(new QLineEdit(this)), folders_(new QListWidget(this)),
      suite_(new PythiaSuitePicker(std::move(hubCache), this)), bits_(new QLineEdit(this)), group_(new QSpinBox(this)),
      eval_(new QLineEdit(this)), seqlen_(new QSpinBox(this)), windows_(new QSpinBox(this)),
      recipe_(new QComboBox(this)), kl_(new QCheckBox(tr("Also measure the KL divergence from the 16-bit model"), this)),
      calib_(new QLineEdit(this)), calibSamples_(new QSpinBox(this)), device_(new QComboBox(this)),
      estimate_(new QLabel(this)),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)),
      slurm_(buttons_->addButton(tr("Run on Slurm…"), QDialogButtonBox::ActionRole)) {
  setWindowTitle(tr("New evaluation"));
  name_->setText(QStringLiteral("evaluation-%1").arg(QDate::currentDate().toString(QStringLiteral("yyyyMMdd"))));
  QString proj = projectPath;
  if (proj.isEmpty())
    proj = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(QStringLiteral("qidlab-results.qidlab"));
  project_->setText(proj);
  project_->setToolTip(tr("The project file the measurements are written to (created when missing)"));

  // Checkpoints: local folders or the Pythia suite.
  auto* folderPage = new QWidget(this);
  auto* add = new QPushButton(tr("Add folders…"), folderPage);
  auto* remove = new QPushButton(tr("Remove"), folderPage);
  folders_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  folders_->setToolTip(tr("Checkpoint folders (config.json plus safetensors), e.g. step1000, step2000"));
  auto* folderButtons = new QVBoxLayout;
  folderButtons->addWidget(add);
  folderButtons->addWidget(remove);
  folderButtons->addStretch(1);
  auto* folderLayout = new QHBoxLayout(folderPage);
  folderLayout->addWidget(folders_, 1);
  folderLayout->addLayout(folderButtons);
  auto* sources = new QTabWidget(this);
  sources->addTab(folderPage, tr("Checkpoint folders"));
  sources->addTab(suite_, tr("Pythia suite (hub)"));

  // Methods and bits.
  auto* methodBox = new QGroupBox(tr("Quantization"), this);
  auto* methodRow = new QHBoxLayout;
  const QStringList chosen = lastMethods.get();
  for (const char* m : kMethods) {
    auto* box = new QCheckBox(QString::fromLatin1(m).toUpper(), methodBox);
    box->setProperty("method", QString::fromLatin1(m));
    box->setChecked(chosen.contains(QLatin1String(m)));
    methods_ << box;
    methodRow->addWidget(box);
    connect(box, &QCheckBox::toggled, this, &NewEvaluationDialog::updateEstimate);
  }
  bits_->setText(lastBits.get());
  bits_->setToolTip(tr("Bit widths, e.g. 2, 3, 4 (NF4/FP4 take 4, INT8 takes 8)"));
  group_->setRange(-1, 4096);
  group_->setValue(128);
  group_->setSpecialValueText(tr("per channel"));
  auto* methodForm = new QFormLayout(methodBox);
  methodForm->addRow(tr("Methods:"), methodRow);
  methodForm->addRow(tr("Bits:"), bits_);
  methodForm->addRow(tr("Group size:"), group_);

  // Evaluation and calibration.
  auto* dataBox = new QGroupBox(tr("Data"), this);
  eval_->setText(lastEvalText.get());
  eval_->setPlaceholderText(tr("e.g. wikitext-2 wiki.test.raw"));
  seqlen_->setRange(16, 32768);
  seqlen_->setValue(lastSeqlen.get());
  windows_->setRange(0, 1000000);
  windows_->setSpecialValueText(tr("all"));
  // The evaluation recipes (eval/recipe.h), by name, with their titles.
  for (const std::string& name : qid::eval::recipeNames()) {
    const qid::eval::Recipe recipe = qid::eval::findRecipe(name);
    recipe_->addItem(QString::fromStdString(name), QString::fromStdString(name));
    recipe_->setItemData(recipe_->count() - 1, QString::fromStdString(recipe.title), Qt::ToolTipRole);
  }
  recipe_->setCurrentIndex(std::max(0, recipe_->findData(lastRecipe.get())));
  recipe_->setToolTip(tr("How the text becomes scored windows: gptq-paper (the paper's protocol), "
                         "llamacpp (second half of each window), lm-eval-rolling (per document)"));
  kl_->setToolTip(tr("KL(P16 || Pq) per token, measured in the same pass; keeps a 16-bit copy of the "
                     "weights (twice the memory)"));
  calib_->setText(lastCalibration.get());
  calib_->setPlaceholderText(tr("e.g. wiki.train.raw (GPTQ and AWQ need it)"));
  calibSamples_->setRange(1, 4096);
  calibSamples_->setValue(128);
  auto* dataForm = new QFormLayout(dataBox);
  dataForm->addRow(tr("Evaluation text:"), fileRow(dataBox, eval_, false, tr("Text (*.txt *.raw);;All files (*)")));
  dataForm->addRow(tr("Sequence length:"), seqlen_);
  dataForm->addRow(tr("Windows:"), windows_);
  dataForm->addRow(tr("Recipe:"), recipe_);
  dataForm->addRow(QString(), kl_);
  dataForm->addRow(tr("Calibration text:"), fileRow(dataBox, calib_, false, tr("Text (*.txt *.raw);;All files (*)")));
  dataForm->addRow(tr("Calibration samples:"), calibSamples_);

  device_->setEditable(true);
  device_->addItems({QStringLiteral("cpu"), QStringLiteral("cuda:0"), QStringLiteral("cuda:1")});
  device_->setCurrentText(lastDevice.get());
  device_->setToolTip(tr("Where the cells run: cpu, or a GPU such as cuda:0"));

  auto* top = new QFormLayout;
  top->addRow(tr("Name:"), name_);
  top->addRow(tr("Project file:"), fileRow(this, project_, false, tr("QiD Lab projects (*.qidlab)")));
  auto* bottom = new QFormLayout;
  bottom->addRow(tr("Device:"), device_);
  bottom->addRow(tr("Estimate:"), estimate_);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(sources, 1);
  layout->addWidget(methodBox);
  layout->addWidget(dataBox);
  layout->addLayout(bottom);
  layout->addWidget(buttons_);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("Run here"));
  slurm_->setToolTip(tr("Submit the cells to a Slurm cluster as a job array; results come back as they land"));
  connect(slurm_, &QPushButton::clicked, this, &NewEvaluationDialog::runOnSlurm);
  connect(buttons_, &QDialogButtonBox::accepted, this, &NewEvaluationDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(add, &QPushButton::clicked, this, &NewEvaluationDialog::addFolders);
  connect(remove, &QPushButton::clicked, this, [this] {
    qDeleteAll(folders_->selectedItems());
    updateEstimate();
  });
  connect(suite_, &PythiaSuitePicker::selectionChanged, this, &NewEvaluationDialog::updateEstimate);
  for (QLineEdit* e : {bits_, eval_, name_, project_})
    connect(e, &QLineEdit::textChanged, this, &NewEvaluationDialog::updateEstimate);
  resize(760, 760);
  updateEstimate();
}

QWidget* NewEvaluationDialog::fileRow(QWidget* parent, QLineEdit* edit, bool folder, const QString& filter) {
  // The line edit with a browse button next to it.
  auto* holder = new QWidget(parent);
  auto* browse = new QToolButton(holder);
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(tr("Browse"));
  auto* row = new QHBoxLayout(holder);
  row->setContentsMargins(0, 0, 0, 0);
  edit->setParent(holder);
  row->addWidget(edit, 1);
  row->addWidget(browse);
  connect(browse, &QToolButton::clicked, this, [this, edit, folder, filter] {
    const QString p = folder ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"), edit->text())
                             : QFileDialog::getSaveFileName(this, tr("Choose a file"), edit->text(), filter, nullptr,
                                                            QFileDialog::DontConfirmOverwrite);
    if (!p.isEmpty()) edit->setText(p);
  });
  return holder;
}

void NewEvaluationDialog::addFolders() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a checkpoint folder"));
  if (dir.isEmpty()) return;
  // A folder of checkpoints (step1000/, step2000/, ...) adds each of them.
  QDir d(dir);
  const QStringList subs = d.entryList({QStringLiteral("step*")}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
  if (!QFileInfo::exists(d.filePath(QStringLiteral("config.json"))) && !subs.isEmpty()) {
    for (const QString& s : subs) folders_->addItem(d.filePath(s));
  } else {
    folders_->addItem(dir);
  }
  updateEstimate();
}

EvaluationRequest NewEvaluationDialog::request() const {
  EvaluationRequest r;
  r.name = name_->text().trimmed();
  r.projectPath = project_->text().trimmed();
  for (int i = 0; i < folders_->count(); ++i) r.folders << folders_->item(i)->text();
  r.selectors = suite_->selectors();
  bool ok = false;
  const QVector<int> bits = parseBits(bits_->text(), &ok);
  for (const QCheckBox* box : methods_) {
    if (!box->isChecked()) continue;
    const QString m = box->property("method").toString();
    QVector<int> b = bits;
    if (m == QLatin1String("nf4") || m == QLatin1String("fp4")) b = {4};
    if (m == QLatin1String("int8")) b = {8};
    r.methods.push_back({m, b, group_->value() == 0 ? 128 : group_->value()});
  }
  r.evalPath = eval_->text().trimmed();
  r.seqlen = seqlen_->value();
  r.windows = windows_->value();
  r.recipe = recipe_->currentData().toString();
  r.kl = kl_->isChecked();
  r.calibPath = calib_->text().trimmed();
  r.calibSamples = calibSamples_->value();
  r.device = device_->currentText().trimmed();
  return r;
}

void NewEvaluationDialog::setRequest(const EvaluationRequest& r) {
  name_->setText(r.name);
  project_->setText(r.projectPath);
  folders_->clear();
  folders_->addItems(r.folders);
  for (QCheckBox* box : methods_) {
    bool on = false;
    for (const MethodChoice& m : r.methods) on = on || m.method == box->property("method").toString();
    box->setChecked(on);
  }
  if (!r.methods.isEmpty()) {
    QStringList b;
    for (int x : r.methods.front().bits) b << QString::number(x);
    bits_->setText(b.join(QStringLiteral(", ")));
    group_->setValue(r.methods.front().group);
  }
  eval_->setText(r.evalPath);
  seqlen_->setValue(r.seqlen);
  windows_->setValue(r.windows);
  const int recipe = recipe_->findData(r.recipe);
  if (recipe >= 0) recipe_->setCurrentIndex(recipe);
  kl_->setChecked(r.kl);
  calib_->setText(r.calibPath);
  calibSamples_->setValue(r.calibSamples);
  device_->setCurrentText(r.device);
  updateEstimate();
}

bool NewEvaluationDialog::isRunnable() const {
  const EvaluationRequest r = request();
  try {
    return estimatedCells(r) > 0 && !r.evalPath.isEmpty() && !r.projectPath.isEmpty() && !r.name.isEmpty();
  } catch (const qid::Error&) {
    return false;
  }
}

void NewEvaluationDialog::updateEstimate() {
  const EvaluationRequest r = request();
  QString text;
  try {
    const int hub = hubCheckpointCount(r);
    const int cells = estimatedCells(r);
    text = tr("%1 cells: %2 checkpoints (%3 from the hub, %4 of them cached) × %5 method settings")
               .arg(cells)
               .arg(r.folders.size() + hub)
               .arg(hub)
               .arg(suite_->cachedCount())
               .arg(hub + r.folders.size() ? cells / (hub + r.folders.size()) : 0);
  } catch (const qid::Error& e) {
    text = QString::fromStdString(e.what());
  }
  bool bitsOk = false;
  parseBits(bits_->text(), &bitsOk);
  if (!bitsOk) text += tr(" — cannot read the bits '%1'").arg(bits_->text());
  if (r.evalPath.isEmpty()) text += tr(" — choose an evaluation text");
  estimate_->setText(text);
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(isRunnable() && bitsOk);
  slurm_->setEnabled(isRunnable() && bitsOk && r.selectors.isEmpty());
  slurm_->setToolTip(r.selectors.isEmpty() ? tr("Submit the cells to a Slurm cluster as a job array; results come "
                                                "back as they land")
                                           : tr("Slurm runs take checkpoint folders; Pythia suite checkpoints run here"));
}

QPushButton* NewEvaluationDialog::runHereButton() const { return buttons_->button(QDialogButtonBox::Ok); }

void NewEvaluationDialog::runOnSlurm() {
  SlurmSubmitDialog dialog(request(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  slurmChoices_ = dialog.choices();
  remember();
  done(RunOnSlurm);
}

void NewEvaluationDialog::accept() {
  remember();
  QDialog::accept();
}

void NewEvaluationDialog::remember() {
  const EvaluationRequest r = request();
  lastEvalText.set(r.evalPath);
  lastCalibration.set(r.calibPath);
  lastSeqlen.set(r.seqlen);
  lastRecipe.set(r.recipe);
  QStringList ms;
  for (const MethodChoice& m : r.methods) ms << m.method;
  lastMethods.set(ms);
  lastBits.set(bits_->text());
  lastDevice.set(r.device);
}

}  // namespace qid::ui
