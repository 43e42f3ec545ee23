#pragma once
// LawRef over a qid::laws::Law: forwards every value to the core law engine
// (evaluation, inversion, its paired 16-bit loss law, fits).
#include <optional>

#include "law_ref.h"
#include "laws/law.h"

namespace qid::ui {

class CoreLaw : public LawRef {
 public:
  // loss16: the paired Loss16 law; by default the one the law names.
  explicit CoreLaw(qid::laws::Law law);
  CoreLaw(qid::laws::Law law, std::optional<qid::laws::Law> loss16);

  QString name() const override;
  QString family() const override;
  QString title() const override;
  QString citation() const override;
  double deltaQ(double n, double d, double p) const override;
  std::optional<double> loss16(double n, double d) const override;
  std::optional<double> tokensFor(double target, double n, double p) const override;
  std::optional<std::pair<double, double>> interval(double n, double d, double p) const override;
  bool hasSamples() const override { return !law_.samples.empty(); }
  std::optional<std::pair<double, double>> fittedRange(const QString& variable) const override;
  QVector<LawParam> params() const override;
  LawFitStats stats() const override { return stats_; }
  LawPtr withParam(const QString& name, double value) const override;
  LawPtr refit(const QVector<MeasurementRow>& rows, int bootstrap = 0) const override;

  const qid::laws::Law& law() const { return law_; }
  void setStats(const LawFitStats& s) { stats_ = s; }

 private:
  double eval(const qid::laws::Law& l, const int* where, double n, double d, double p) const;

  qid::laws::Law law_;
  std::optional<qid::laws::Law> loss16_;
  int where_[3] = {-1, -1, -1};    // where N, D, P go in the family's variables
  int l16where_[3] = {-1, -1, -1};
  LawFitStats stats_;
};

// The core law behind a LawRef, or nullptr when it is not a CoreLaw.
const qid::laws::Law* coreLawOf(const LawRef* law);

// The bundled presets that the charts can draw (complete QiD laws in N, D, P).
QVector<LawPtr> chartablePresets();

}  // namespace qid::ui
