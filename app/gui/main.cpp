// qidlab: the desktop GUI. A thin main over qidwidgets.
#include <QApplication>

#include "main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("QiD Lab"));
  QApplication::setApplicationVersion(QStringLiteral(QIDLAB_VERSION));
  qid::ui::MainWindow window;
  window.show();
  return QApplication::exec();
}
