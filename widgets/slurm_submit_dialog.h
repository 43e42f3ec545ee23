#pragma once
// "Run on Slurm…": the job array options of an evaluation (results folder
// shared with the nodes, array size, partition, gres, time limit, extra
// sbatch options) and a preview of the sbatch script they make (a dry run:
// nothing is written or submitted). It only collects SlurmChoices; the
// launcher submits them.
#include <QDialog>

#include "evaluation_request.h"
#include "slurm_choices.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace qid::ui {

class SlurmSubmitDialog : public QDialog {
  Q_OBJECT
 public:
  SlurmSubmitDialog(EvaluationRequest request, QWidget* parent = nullptr);

  SlurmChoices choices() const;
  void setChoices(const SlurmChoices& c);
  // Fills the preview with the script, or the reason there is none.
  void preview();
  QString previewText() const;
  QPushButton* previewButton() const { return previewButton_; }
  QPushButton* submitButton() const;

  // Refuses (showing why in the preview) choices that make no script;
  // remembers partition, gres, time and extras.
  void accept() override;

 private:
  EvaluationRequest request_;
  QLineEdit* results_;
  QSpinBox* arraySize_;
  QLineEdit* partition_;
  QLineEdit* gres_;
  QLineEdit* time_;
  QLineEdit* extra_;
  QLineEdit* cli_;
  QLabel* cells_;
  QPushButton* previewButton_;
  QPlainTextEdit* preview_;
  QDialogButtonBox* buttons_;
};

}  // namespace qid::ui
