#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace qid::ui {

std::vector<std::pair<QString, QString>> availableLanguages() {
  return {{QString(), QCoreApplication::translate("qid::ui::Language", "System default")},
          {QStringLiteral("en"), QStringLiteral("English")},
          {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
}

namespace {
QList<QTranslator*>& installed() {
  static QList<QTranslator*> list;
  return list;
}
}  // namespace

void removeTranslators() {
  for (QTranslator* t : installed()) {
    QCoreApplication::removeTranslator(t);
    delete t;
  }
  installed().clear();
}

bool installTranslators(QCoreApplication& app, const QString& code) {
  removeTranslators();
  const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
  auto* qt = new QTranslator(&app);
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    QCoreApplication::installTranslator(qt);
  installed() << qt;
  auto* ours = new QTranslator(&app);
  if (!ours->load(locale, QStringLiteral("qidlab"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
    delete ours;
    return false;
  }
  QCoreApplication::installTranslator(ours);
  installed() << ours;
  return true;
}

}  // namespace qid::ui
