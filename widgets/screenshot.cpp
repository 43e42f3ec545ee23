#include "screenshot.h"

#include <QApplication>
#include <QPixmap>
#include <QWidget>

#include "common/error.h"

namespace qid::ui {

void saveScreenshot(QWidget& widget, const QString& path) {
  widget.setAttribute(Qt::WA_DontShowOnScreen, true);
  widget.show();
  // Let the layouts and the charts settle (resize, plot-area and polish events).
  for (int i = 0; i < 3; ++i) QApplication::processEvents();
  const QPixmap shot = widget.grab();
  if (shot.isNull() || !shot.save(path, "PNG"))
    throw qid::Error("cannot write screenshot " + path.toStdString());
}

}  // namespace qid::ui
