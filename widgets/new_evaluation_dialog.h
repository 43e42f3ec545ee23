#pragma once
// "New evaluation": builds a sweep plan from checkpoint folders and/or a
// Pythia suite picker, methods and bits, the evaluation text and seqlen,
// calibration data and the device, showing how many cells it makes. It only
// collects the request; the main window runs it (EvaluationLauncher): here
// ("Run here", result Accepted) or on Slurm ("Run on Slurm…" asks for the
// array's options, result RunOnSlurm).
#include <QDialog>
#include <filesystem>

#include "evaluation_request.h"
#include "slurm_choices.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace qid::ui {

class PythiaSuitePicker;

class NewEvaluationDialog : public QDialog {
  Q_OBJECT
 public:
  enum DialogResult { RunOnSlurm = QDialog::Accepted + 1 };
  // projectPath: the open project's file, or empty (then a new file is proposed).
  NewEvaluationDialog(const QString& projectPath, std::filesystem::path hubCache, QWidget* parent = nullptr);

  EvaluationRequest request() const;
  void setRequest(const EvaluationRequest& r);  // for tests and "run again"
  PythiaSuitePicker* suitePicker() const { return suite_; }
  QLabel* estimateLabel() const { return estimate_; }
  bool isRunnable() const;
  QPushButton* runHereButton() const;
  QPushButton* slurmButton() const { return slurm_; }
  // The Slurm options chosen in "Run on Slurm…" (result RunOnSlurm).
  const SlurmChoices& slurmChoices() const { return slurmChoices_; }

  void accept() override;  // remembers the choices (typed settings)

 private:
  void updateEstimate();
  void addFolders();
  void runOnSlurm();
  void remember();
  QWidget* fileRow(QWidget* parent, QLineEdit* edit, bool folder, const QString& filter);

  QLineEdit* name_;
  QLineEdit* project_;
  QListWidget* folders_;
  PythiaSuitePicker* suite_;
  QList<QCheckBox*> methods_;
  QLineEdit* bits_;
  QSpinBox* group_;
  QLineEdit* eval_;
  QSpinBox* seqlen_;
  QSpinBox* windows_;
  QComboBox* recipe_;
  QCheckBox* kl_;
  QLineEdit* calib_;
  QSpinBox* calibSamples_;
  QComboBox* device_;
  QLabel* estimate_;
  QDialogButtonBox* buttons_;
  QPushButton* slurm_;
  SlurmChoices slurmChoices_;
};

}  // namespace qid::ui
