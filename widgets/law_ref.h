#pragma once
// The small surface the charts need from a core law. The science (formulas,
// fits, inversions) lives in qidcore; a LawRef only forwards to it, so every
// chart, table and export shows exactly what the core computes.
#include <QString>
#include <QVector>
#include <memory>
#include <optional>
#include <utility>

#include "measurement_row.h"

namespace qid::ui {

struct LawParam {
  QString name;
  double value = 0;
  std::optional<double> lo, hi;  // confidence interval when the fit has one
};

struct LawFitStats {
  std::optional<double> r2, aic, bic, cvError;
  int points = 0;
};

class LawRef {
 public:
  virtual ~LawRef() = default;
  virtual QString name() const = 0;
  virtual QString family() const = 0;
  virtual QString title() const = 0;
  virtual QString citation() const = 0;
  // ΔqLoss at N (non-embedding params), D (tokens), P (bits).
  virtual double deltaQ(double n, double d, double p) const = 0;
  // Loss16(N, D) from the law's 16-bit companion; nullopt when it has none.
  virtual std::optional<double> loss16(double n, double d) const = 0;
  // Tokens needed to reach a target ΔqLoss; nullopt when not invertible.
  virtual std::optional<double> tokensFor(double target, double n, double p) const = 0;
  // The bootstrap prediction interval of ΔqLoss at (N, D, P); nullopt when
  // the law carries no bootstrap samples.
  virtual std::optional<std::pair<double, double>> interval(double n, double d, double p) const = 0;
  virtual bool hasSamples() const = 0;
  // The range of a variable ("N", "D", "P") the law was fitted on; nullopt
  // when unknown. Beyond it the charts shade the region as extrapolated.
  virtual std::optional<std::pair<double, double>> fittedRange(const QString& variable) const = 0;
  virtual QVector<LawParam> params() const = 0;
  virtual LawFitStats stats() const { return {}; }
  // The same law with one parameter changed (law edits go through undo).
  virtual std::shared_ptr<const LawRef> withParam(const QString& name, double value) const = 0;
  // The same family fitted by the core on these rows; throws qid::Error.
  // bootstrap: resamples for confidence intervals and bands (0: none).
  virtual std::shared_ptr<const LawRef> refit(const QVector<MeasurementRow>& rows, int bootstrap = 0) const = 0;
};

using LawPtr = std::shared_ptr<const LawRef>;

}  // namespace qid::ui
