#pragma once
#include <QMainWindow>

namespace qid::ui {

// The QiD Lab main window.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace qid::ui
