#pragma once
// The application-wide typed settings (dotted keys). Settings used by one
// dialog only are declared in that dialog's file.
#include <QByteArray>
#include <QString>
#include <QStringList>

#include "typed_setting.h"

namespace qid::ui::settings {

inline const Setting<QString> lastProject{"project.last", QStringLiteral("paper")};
inline const Setting<QStringList> recentProjects{"project.recent", {}};
inline const Setting<QString> language{"ui.language", QString()};  // empty: the system's
inline const Setting<QString> theme{"ui.theme", QStringLiteral("light")};
inline const Setting<QByteArray> windowState{"ui.mainWindowState", {}};
inline const Setting<QString> exportStyleName{"export.style", QStringLiteral("single")};
inline const Setting<int> exportDpi{"export.dpi", 300};
inline const Setting<QString> exportFolder{"export.folder", QString()};

constexpr int kMaxRecent = 8;

// Moves path to the front of the recent list.
inline void addRecent(const QString& path) {
  QStringList list = recentProjects.get();
  list.removeAll(path);
  list.prepend(path);
  while (list.size() > kMaxRecent) list.removeLast();
  recentProjects.set(list);
}

}  // namespace qid::ui::settings
