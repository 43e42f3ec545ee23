#include "project_loader.h"

#include <QFileInfo>
#include <algorithm>
#include <QStringList>

#include "common/error.h"
#include "common/resources.h"
#include "core_law.h"
#include "fluctuation_data.h"
#include "project_session.h"
#include "store/project.h"
#include "store_rows.h"

namespace qid::ui {

namespace {

// The paper's Table 1 (resources/datasets/ouyang2025-table1.csv) as rows.
QVector<MeasurementRow> table1Rows() {
  const auto csv = qid::resources::find("datasets/ouyang2025-table1.csv");
  if (!csv) throw qid::Error("the bundled dataset datasets/ouyang2025-table1.csv is missing");
  QVector<MeasurementRow> rows;
  QStringList header;
  qint64 id = 1000000;  // apart from store ids
  int lineNo = 0;
  for (const QString& line : QString::fromUtf8(csv->data(), qsizetype(csv->size())).split(QLatin1Char('\n'))) {
    ++lineNo;
    const QString t = line.trimmed();
    if (t.isEmpty() || t.startsWith(QLatin1Char('#'))) continue;
    const QStringList f = t.split(QLatin1Char(','));
    if (header.isEmpty()) {
      header = f;
      continue;
    }
    auto col = [&](const char* name) {
      const qsizetype i = header.indexOf(QLatin1String(name));
      bool ok = false;
      const double v = i >= 0 && i < f.size() ? f[i].toDouble(&ok) : 0;
      if (!ok)
        throw qid::Error("datasets/ouyang2025-table1.csv line " + std::to_string(lineNo) + ": bad or missing " +
                         name);
      return v;
    };
    MeasurementRow r;
    r.id = id++;
    r.n = col("N");
    r.bits = int(col("bits"));
    r.deltaQ = col("delta_q_loss");
    r.d = col("D");
    r.model = QStringLiteral("%1B (Table 1)").arg(r.n / 1e9, 0, 'g', 3);
    r.method = QStringLiteral("gptq");
    r.source = QStringLiteral("Table 1");
    r.measured = false;
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

void loadPaperProject(ProjectSession& session) {
  QVector<LawPtr> laws = chartablePresets();
  // The unified law (Eq 8) first: it is the paper's Figure 1 law.
  std::stable_sort(laws.begin(), laws.end(), [](const LawPtr& a, const LawPtr& b) {
    return (a->name() == QLatin1String("ouyang2025-unified")) > (b->name() == QLatin1String("ouyang2025-unified"));
  });
  session.setName(QObject::tr("Paper"));
  session.setProjectPath(QString());
  session.setLaws(laws);
  session.setRows(table1Rows());
  session.setFluctuation(nullptr);
  for (int i = 0; i < laws.size(); ++i)
    if (laws[i]->name().startsWith(QLatin1String("kumar"))) session.setComparisonLaw(i);
  session.undoStack()->clear();
}

void loadProject(ProjectSession& session, const QString& pathOrName) {
  if (pathOrName.isEmpty() || pathOrName == QLatin1String(kPaperProject)) {
    loadPaperProject(session);
    return;
  }
  if (!QFileInfo::exists(pathOrName))
    throw qid::Error("cannot open project " + pathOrName.toStdString() + ": no such file");
  loadStoreProject(session, pathOrName, false);
}

void loadStoreProject(ProjectSession& session, const QString& path, bool create) {
  QVector<MeasurementRow> rows;
  QVector<LawPtr> laws;
  FluctuationDataPtr fluctuation;
  try {
    qid::store::Project project(path.toStdString(),
                                create ? qid::store::Project::Mode::CreateOrOpen : qid::store::Project::Mode::OpenExisting);
    rows = storeRows(project);
    laws = storeLaws(project);
    fluctuation = loadFluctuationData(project);
  } catch (const qid::Error& e) {
    throw qid::Error("cannot open project " + path.toStdString() + ": " + e.what());
  }
  // The project's own fits first, then the paper's laws to compare with.
  for (const LawPtr& l : chartablePresets()) laws.push_back(l);
  const int fitted = int(laws.size() - chartablePresets().size());
  session.setName(QFileInfo(path).completeBaseName());
  session.setProjectPath(QFileInfo(path).absoluteFilePath());
  session.setLaws(laws);
  session.setRows(rows);
  session.setFluctuation(fluctuation);
  // The curves at the project's own model sizes (up to four of them, spread
  // over the range), not the paper's 7B/70B/405B, once it has measurements.
  QVector<double> sizes;
  for (const MeasurementRow& r : rows)
    if (r.measured && r.n > 0 && !sizes.contains(r.n)) sizes.push_back(r.n);
  std::sort(sizes.begin(), sizes.end());
  if (sizes.size() > 4) {
    QVector<double> spread;
    for (int i = 0; i < 4; ++i) spread.push_back(sizes[i * (sizes.size() - 1) / 3]);
    sizes = spread;
  }
  if (!sizes.isEmpty()) session.setSizes(sizes);
  if (fitted == 0) {
    for (int i = 0; i < laws.size(); ++i)
      if (laws[i]->name() == QLatin1String("ouyang2025-unified")) session.setCurrentLaw(i);
  }
  session.undoStack()->clear();
}

}  // namespace qid::ui
