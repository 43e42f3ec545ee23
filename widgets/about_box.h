#pragma once
#include <QString>
class QWidget;
namespace qid::ui {
// The About box: version, what QiD Lab does, and the paper to cite.
void showAboutBox(QWidget* parent);
QString aboutText();
}  // namespace qid::ui
