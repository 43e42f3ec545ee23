#pragma once
// The light and dark themes (the ui.theme setting): the Fusion style with a
// palette. Charts follow on screen; exported figures stay light.
#include <QString>
#include <QStringList>

namespace qid::ui {

QStringList themeNames();  // "light", "dark"
// Applies the palette to the application; unknown names give light.
void applyApplicationTheme(const QString& name);
bool isDarkTheme(const QString& name);

}  // namespace qid::ui
