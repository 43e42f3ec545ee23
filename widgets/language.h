#pragma once
// UI languages: the compiled .qm files (qt_add_translations, under :/i18n)
// plus Qt's own translations, installed at start-up.
#include <QString>
#include <utility>
#include <vector>

class QCoreApplication;

namespace qid::ui {

// (code, native name) pairs; "" is the system language.
std::vector<std::pair<QString, QString>> availableLanguages();

// Installs the app and Qt translators for code ("zh_CN"; empty: the system
// locale). Returns true when the app translation was found.
bool installTranslators(QCoreApplication& app, const QString& code);
// Uninstalls what installTranslators installed (back to the source texts).
void removeTranslators();

}  // namespace qid::ui
