#pragma once
// "Run the micro-suite demo": picks the suite preset (tiny for a quick look,
// quick for a result in minutes), the output folder, the training text and
// the sweep's workers. It only collects the request; the main window runs it.
#include <QDialog>

#include "demo_request.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace qid::ui {

class DemoDialog : public QDialog {
  Q_OBJECT
 public:
  explicit DemoDialog(QWidget* parent = nullptr);

  DemoRequest request() const;
  QComboBox* presetBox() const { return preset_; }
  QLineEdit* folderEdit() const { return folder_; }

  void accept() override;  // remembers the choices (typed settings)

 private:
  void presetChanged();

  QComboBox* preset_;
  QLabel* description_;
  QLineEdit* folder_;
  QLineEdit* corpus_;
  QSpinBox* workers_;
  bool folderEdited_ = false;
};

// OUT for a preset when the user picks none: Documents/QiD Lab demo/PRESET.
QString defaultDemoFolder(const QString& preset);

}  // namespace qid::ui
