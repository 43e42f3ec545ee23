#pragma once
// The toolbar row that says what the law curves are drawn for: hypothetical
// model sizes (user-editable, undoable) and bit widths, and the handle's D.
#include <QWidget>

class QLineEdit;
class QLabel;

namespace qid::ui {

class ProjectSession;

class CurveControls : public QWidget {
  Q_OBJECT
 public:
  explicit CurveControls(ProjectSession* session, QWidget* parent = nullptr);

 signals:
  void message(const QString& text);

 private:
  void refreshFields();
  ProjectSession* session_;
  QLineEdit* sizes_;
  QLineEdit* bits_;
  QLineEdit* horizon_;
};

}  // namespace qid::ui
