#pragma once
namespace qid::ui {
// Registers resources/qidlab.qrc (icons): a static library's resources need
// an explicit Q_INIT_RESOURCE from the program that links it.
void initResources();
}  // namespace qid::ui
