#pragma once
// Renders a widget (the main window) offscreen into a PNG, for tests and docs.
#include <QString>

class QWidget;

namespace qid::ui {

// Shows the widget offscreen at its size, lets it lay out, and saves it.
// Throws qid::Error when the file cannot be written.
void saveScreenshot(QWidget& widget, const QString& path);

}  // namespace qid::ui
