#pragma once
// One measured (or tabulated) point as the views show it: a copy of the
// store's measurement row with the fields the charts and the table use.
#include <QString>
#include <QtGlobal>

namespace qid::ui {

struct MeasurementRow {
  qint64 id = 0;
  QString model;       // e.g. "pythia-1b" or "Table 1"
  QString revision;    // e.g. "step143000"
  double n = 0;        // non-embedding parameters
  double d = 0;        // training tokens seen
  QString method;      // "gptq", "awq", "rtn", "table1", ...
  int bits = 0;
  double loss16 = 0;   // 0 when unknown
  double lossQ = 0;    // 0 when unknown
  double deltaQ = 0;
  double stderr_ = 0;
  double kl = -1;      // KL(P16 || Pq) in nats/token; < 0 when not measured
  QString source;      // dataset or project the row came from
  bool measured = true;  // false for tabulated, law-derived rows (the paper's Table 1)
  // Non-empty for a duplicate revision (its weights are identical to this
  // checkpoint's, under another claimed step): shown flagged, left out of fits.
  QString duplicateOf;
};

// The rows a fit takes: measured ones that are not duplicate revisions.
inline bool takenByFits(const MeasurementRow& r) { return r.measured && r.duplicateOf.isEmpty(); }

}  // namespace qid::ui
