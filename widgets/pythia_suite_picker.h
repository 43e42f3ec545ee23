#pragma once
// Picks Pythia checkpoints: a grid of sizes x steps (the steps written in the
// hub selector syntax, e.g. 1000..143000/8000), each cell checkable, the ones
// already in the HF cache marked. It turns the ticks into suite: selectors
// (core/hub/pythia_suite.h), one per size.
#include <QStringList>
#include <QWidget>
#include <filesystem>

class QCheckBox;
class QLineEdit;
class QTableWidget;

namespace qid::ui {

class PythiaSuitePicker : public QWidget {
  Q_OBJECT
 public:
  explicit PythiaSuitePicker(std::filesystem::path cacheDir, QWidget* parent = nullptr);

  QStringList selectors() const;  // e.g. "suite:pythia-160m-deduped@step1000,step9000"
  int checkedCount() const;
  int cachedCount() const;        // ticked cells already in the cache
  bool isCachedCell(int sizeRow, int stepColumn) const;
  QTableWidget* grid() const { return grid_; }
  void setSteps(const QString& revs);  // REVS syntax; a bad one keeps the old grid
  void setChecked(int sizeRow, int stepColumn, bool on);

 signals:
  void selectionChanged();
  void message(const QString& text);

 private:
  void rebuild();
  QString repoFor(int row) const;

  std::filesystem::path cacheDir_;
  QLineEdit* steps_;
  QCheckBox* deduped_;
  QTableWidget* grid_;
  QStringList sizes_;
  QVector<qint64> columns_;
};

}  // namespace qid::ui
