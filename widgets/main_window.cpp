#include "main_window.h"

#include <QIcon>

namespace qid::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("QiD Lab"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/qidlab.svg")));
  resize(1280, 800);
}

}  // namespace qid::ui
