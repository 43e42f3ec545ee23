#pragma once
// The scalar fields of a measurement as named columns: the CSV format of
// import and export, the columns of `results`, and what --columns picks from.
// Each column reads its field as exact text (numbers in the shortest form that
// reads back to the same double) and writes it back from text, so a CSV
// export imported again gives the same values. Per-layer errors, manifests and
// per-window losses are not scalar: only the JSON format carries them.
#include <functional>
#include <string>
#include <vector>

#include "store/records.h"

namespace qid::store {

enum class ColumnKind { Text, Integer, Real, Json };

struct MeasurementColumn {
  std::string name;
  ColumnKind kind;
  // The field as text; "" when it is missing.
  std::function<std::string(const Measurement&)> get;
  // Sets the field from non-empty text. Throws qid::Error with the reason
  // alone ("'x' is not a number"); callers add the file, row and column.
  std::function<void(Measurement&, const std::string&)> set;
};

// In export order: cell_id, model_id, revision, checkpoint_id, N, N_total, D,
// step, lr, method, bits, group_size, method_options, eval_dataset, eval_hash,
// recipe, seqlen, windows, token_count, loss16, lossq, delta_q_loss, stderr,
// delta_ci_lo, delta_ci_hi, kl_divergence, device, wall_time_s, tool_version, timestamp,
// baseline_key, origin, duplicate_of.
const std::vector<MeasurementColumn>& measurementColumns();
std::vector<std::string> measurementColumnNames();

// By name, or by the aliases model, group, delta, checkpoint, cell, dataset, kl;
// case-insensitive as a fallback. nullptr when unknown.
const MeasurementColumn* findMeasurementColumn(const std::string& name);

// The shortest decimal text that reads back to exactly v.
std::string exactNumber(double v);

}  // namespace qid::store
