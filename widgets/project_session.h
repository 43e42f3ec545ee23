#pragma once
// The open project as the GUI sees it: laws, measurements, the hypothetical
// sizes and bit widths drawn from the laws, the extrapolation horizon, the
// filters and the selection. Every user edit goes through the undo stack.
#include <QObject>
#include <QSet>
#include <QUndoStack>
#include <QVector>
#include <memory>

#include "law_ref.h"
#include "measurement_row.h"

namespace qid::ui {

struct FluctuationData;

struct RowFilter {
  QSet<QString> methods;  // empty: all
  QSet<int> bits;         // empty: all
  double minN = 0, maxN = 0;  // 0: unbounded
  bool operator==(const RowFilter&) const = default;
  bool accepts(const MeasurementRow& r) const;
};

// What the Table 1 view asks the law: sizes x targets x bits.
struct TableAxes {
  QVector<double> sizes{1e9, 7e9, 70e9, 405e9};
  QVector<double> targets{0.2, 0.3, 0.4, 0.5};
  QVector<int> bits{2, 3, 4};
  bool operator==(const TableAxes&) const = default;
};

class ProjectSession : public QObject {
  Q_OBJECT
 public:
  static constexpr double kMaxTokens = 1e14;

  explicit ProjectSession(QObject* parent = nullptr);

  QString name() const { return name_; }
  void setName(const QString& n) { name_ = n; }
  // The project file behind the session; empty for the bundled Paper project.
  QString projectPath() const { return projectPath_; }
  void setProjectPath(const QString& p) { projectPath_ = p; }
  QUndoStack* undoStack() { return &undo_; }

  // Laws.
  const QVector<LawPtr>& laws() const { return laws_; }
  void setLaws(QVector<LawPtr> laws);
  LawPtr currentLaw() const;
  int currentLawIndex() const { return current_; }
  void setCurrentLaw(int index);
  LawPtr comparisonLaw() const;  // e.g. Kumar et al., drawn thin for comparison
  void setComparisonLaw(int index);  // -1: none
  int comparisonLawIndex() const { return comparison_; }
  void replaceLaw(int index, LawPtr law);  // no undo: fits and loads
  // Replaces the law of the same name, or appends it; returns its index.
  int upsertLaw(LawPtr law);
  void editLawParam(int index, const QString& param, double value);  // undoable

  // Measurements.
  const QVector<MeasurementRow>& rows() const { return rows_; }
  void setRows(QVector<MeasurementRow> rows);
  void appendRows(const QVector<MeasurementRow>& rows);
  QVector<MeasurementRow> visibleRows() const;  // after the filter
  const RowFilter& filter() const { return filter_; }
  void setFilter(const RowFilter& f);  // undoable
  const QSet<qint64>& selection() const { return selection_; }
  void setSelection(const QSet<qint64>& ids);

  // The project's weight-fluctuation rows (Figure 12); never null, empty
  // when the project has none.
  const std::shared_ptr<const FluctuationData>& fluctuation() const { return fluctuation_; }
  void setFluctuation(std::shared_ptr<const FluctuationData> data);

  // What the law curves are drawn for.
  const QVector<double>& sizes() const { return sizes_; }
  void setSizes(const QVector<double>& sizes);  // undoable
  const QVector<int>& bits() const { return bits_; }
  void setBits(const QVector<int>& bits);  // undoable
  // Bootstrap uncertainty bands around the law curves (laws with samples).
  bool showBands() const { return showBands_; }
  void setShowBands(bool on);
  // The bit width the training-level map is coloured for.
  int mapBits() const { return bits_.isEmpty() ? 3 : bits_.front(); }

  // The Table 1 view's sizes, targets and bits (undoable).
  const TableAxes& tableAxes() const { return table_; }
  void setTableAxes(const TableAxes& t);
  double vocab() const { return vocab_; }
  double dataMaxTokens() const;  // the end of the measured range (Pythia's 300B without data)

  // The extrapolation handle. dragId > 0 merges moves of one drag into one undo step.
  double handleTokens() const { return handle_; }
  void moveHandle(double tokens, int dragId = 0);
  int newDragId() { return ++dragCounter_; }

 signals:
  void lawsChanged();
  void rowsChanged();
  void fluctuationChanged();
  void filterChanged();
  void selectionChanged();
  void curvesChanged();   // sizes, bits or bands
  void tableChanged();
  void handleMoved(double tokens);

 private:
  void applyHandle(double tokens);
  void applyFilter(const RowFilter& f);
  void applySizes(const QVector<double>& s);
  void applyLawParam(int index, const QString& param, double value);
  void applyBits(const QVector<int>& b);
  void applyTable(const TableAxes& t);

  QString name_, projectPath_;
  bool showBands_ = false;
  TableAxes table_;
  QUndoStack undo_;
  QVector<LawPtr> laws_;
  int current_ = -1;
  int comparison_ = -1;
  QVector<MeasurementRow> rows_;
  std::shared_ptr<const FluctuationData> fluctuation_;
  RowFilter filter_;
  QSet<qint64> selection_;
  QVector<double> sizes_{7e9, 70e9, 405e9};
  QVector<int> bits_{2, 3, 4};
  double vocab_ = 50304;
  double handle_ = kMaxTokens;
  int dragCounter_ = 0;
};

}  // namespace qid::ui
