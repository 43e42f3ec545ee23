#include "project_session.h"

#include <algorithm>

#include "change_value.h"
#include "fluctuation_data.h"

namespace qid::ui {

namespace {
constexpr double kPythiaTokens = 143000.0 * 2097152.0;  // Pythia's last checkpoint
}

bool RowFilter::accepts(const MeasurementRow& r) const {
  if (!methods.isEmpty() && !methods.contains(r.method)) return false;
  if (!bits.isEmpty() && !bits.contains(r.bits)) return false;
  if (minN > 0 && r.n < minN) return false;
  if (maxN > 0 && r.n > maxN) return false;
  return true;
}

ProjectSession::ProjectSession(QObject* parent)
    : QObject(parent), fluctuation_(std::make_shared<FluctuationData>()) {}

void ProjectSession::setFluctuation(std::shared_ptr<const FluctuationData> data) {
  fluctuation_ = data ? std::move(data) : std::make_shared<FluctuationData>();
  emit fluctuationChanged();
}

void ProjectSession::setLaws(QVector<LawPtr> laws) {
  laws_ = std::move(laws);
  current_ = laws_.isEmpty() ? -1 : 0;
  comparison_ = -1;
  undo_.clear();
  emit lawsChanged();
}

LawPtr ProjectSession::currentLaw() const {
  return current_ >= 0 && current_ < laws_.size() ? laws_[current_] : nullptr;
}

LawPtr ProjectSession::comparisonLaw() const {
  return comparison_ >= 0 && comparison_ < laws_.size() && comparison_ != current_ ? laws_[comparison_]
                                                                                  : nullptr;
}

void ProjectSession::setCurrentLaw(int index) {
  if (index == current_ || index < 0 || index >= laws_.size()) return;
  current_ = index;
  emit lawsChanged();
}

void ProjectSession::setComparisonLaw(int index) {
  if (index == comparison_) return;
  comparison_ = index;
  emit lawsChanged();
}

void ProjectSession::replaceLaw(int index, LawPtr law) {
  if (index < 0 || index >= laws_.size() || !law) return;
  laws_[index] = std::move(law);
  emit lawsChanged();
}

int ProjectSession::upsertLaw(LawPtr law) {
  if (!law) return -1;
  for (int i = 0; i < laws_.size(); ++i) {
    if (laws_[i]->name() == law->name()) {
      replaceLaw(i, std::move(law));
      return i;
    }
  }
  laws_.push_back(std::move(law));
  emit lawsChanged();
  return int(laws_.size()) - 1;
}

void ProjectSession::applyLawParam(int index, const QString& param, double value) {
  if (index < 0 || index >= laws_.size()) return;
  laws_[index] = laws_[index]->withParam(param, value);
  emit lawsChanged();
}

void ProjectSession::editLawParam(int index, const QString& param, double value) {
  if (index < 0 || index >= laws_.size()) return;
  double old = 0;
  for (const LawParam& p : laws_[index]->params())
    if (p.name == param) old = p.value;
  if (old == value) return;
  undo_.push(new ChangeValue<double>(tr("Edit %1").arg(param), kUndoLawParam, old, value,
                                     [this, index, param](const double& v) { applyLawParam(index, param, v); }));
}

void ProjectSession::setRows(QVector<MeasurementRow> rows) {
  rows_ = std::move(rows);
  selection_.clear();
  emit rowsChanged();
}

void ProjectSession::appendRows(const QVector<MeasurementRow>& rows) {
  if (rows.isEmpty()) return;
  for (const MeasurementRow& r : rows) {
    auto same = std::find_if(rows_.begin(), rows_.end(), [&](const MeasurementRow& x) { return x.id == r.id; });
    if (same != rows_.end()) {
      *same = r;  // a cell measured again replaces its row
    } else {
      rows_.push_back(r);
    }
  }
  emit rowsChanged();
}

QVector<MeasurementRow> ProjectSession::visibleRows() const {
  QVector<MeasurementRow> out;
  for (const MeasurementRow& r : rows_)
    if (filter_.accepts(r)) out.push_back(r);
  return out;
}

void ProjectSession::applyFilter(const RowFilter& f) {
  filter_ = f;
  emit filterChanged();
}

void ProjectSession::setFilter(const RowFilter& f) {
  if (f == filter_) return;
  undo_.push(new ChangeValue<RowFilter>(tr("Change filter"), kUndoFilter, filter_, f,
                                        [this](const RowFilter& v) { applyFilter(v); }));
}

void ProjectSession::setSelection(const QSet<qint64>& ids) {
  if (ids == selection_) return;
  selection_ = ids;
  emit selectionChanged();
}

void ProjectSession::applySizes(const QVector<double>& s) {
  sizes_ = s;
  emit curvesChanged();
}

void ProjectSession::setSizes(const QVector<double>& sizes) {
  if (sizes == sizes_) return;
  undo_.push(new ChangeValue<QVector<double>>(tr("Change model sizes"), kUndoSizes, sizes_, sizes,
                                              [this](const QVector<double>& v) { applySizes(v); }));
}

void ProjectSession::applyBits(const QVector<int>& b) {
  bits_ = b;
  emit curvesChanged();
}

void ProjectSession::setBits(const QVector<int>& bits) {
  if (bits == bits_) return;
  undo_.push(new ChangeValue<QVector<int>>(tr("Change bit widths"), kUndoBits, bits_, bits,
                                           [this](const QVector<int>& v) { applyBits(v); }));
}

void ProjectSession::setShowBands(bool on) {
  if (on == showBands_) return;
  showBands_ = on;
  emit curvesChanged();
}

void ProjectSession::applyTable(const TableAxes& t) {
  table_ = t;
  emit tableChanged();
}

void ProjectSession::setTableAxes(const TableAxes& t) {
  if (t == table_) return;
  undo_.push(new ChangeValue<TableAxes>(tr("Change Table 1 axes"), kUndoTable, table_, t,
                                        [this](const TableAxes& v) { applyTable(v); }));
}

double ProjectSession::dataMaxTokens() const {
  double m = 0;
  for (const MeasurementRow& r : rows_)
    if (r.measured) m = std::max(m, r.d);
  if (m <= 0) m = kPythiaTokens;
  return std::min(m, kMaxTokens);
}

void ProjectSession::applyHandle(double tokens) {
  handle_ = std::clamp(tokens, dataMaxTokens(), kMaxTokens);
  emit handleMoved(handle_);
}

void ProjectSession::moveHandle(double tokens, int dragId) {
  tokens = std::clamp(tokens, dataMaxTokens(), kMaxTokens);
  if (tokens == handle_) return;
  // During a drag the view already shows the new position: the command's
  // first redo() simply re-applies it, and later moves merge into it.
  undo_.push(new ChangeValue<double>(tr("Move extrapolation handle"), kUndoHandle, handle_, tokens,
                                     [this](const double& v) { applyHandle(v); }, dragId));
}

}  // namespace qid::ui
