#include "widget_resources.h"

#include <QtCore/qglobal.h>

static void initQidlabQrc() { Q_INIT_RESOURCE(qidlab); }

namespace qid::ui {
void initResources() { initQidlabQrc(); }
}  // namespace qid::ui
