#pragma once
// Weight-fluctuation rows in a project file (table weight_fluctuations,
// schema version 3), joined to measurements by checkpoint id and bit width,
// so that ΔqLoss can be plotted against the fluctuation ratio (the scatter
// beside Figure 12's boxplots).
//
// The store opens its own connection to the project's file (WAL: readers and
// a running sweep do not block each other); the Project passed in has already
// brought the schema up to date.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/box_stats.h"
#include "analysis/weight_fluctuation.h"
#include "store/measurement_filter.h"
#include "store/records.h"

namespace qid::store {
class Db;
class Project;
}  // namespace qid::store

namespace qid::analysis {

// One checkpoint at one bit width of one quantizer.
struct FluctuationRow {
  std::string checkpointId, prevCheckpointId, run;
  std::int64_t step = 0, prevStep = 0;
  double D = 0, lr = 0, N = 0;
  std::string method;
  int bits = 0;
  int groupSize = -1;
  BoxStats movement, push;
  double ratio = 0, ratioMean = 0;  // NaN when nothing moved
  nlohmann::json perLinear = nlohmann::json::array();  // layer, linear, movement, push, ratio, ratio_mean
};

// A measurement and the fluctuation of its checkpoint at its bit width.
struct FluctuationPoint {
  store::Measurement measurement;
  FluctuationRow fluctuation;
};

// The rows of a report: one per checkpoint pair and bit width.
std::vector<FluctuationRow> fluctuationRows(const FluctuationReport& report);

class FluctuationStore {
 public:
  explicit FluctuationStore(store::Project& project);
  ~FluctuationStore();
  FluctuationStore(const FluctuationStore&) = delete;
  FluctuationStore& operator=(const FluctuationStore&) = delete;

  // Inserts the rows in one transaction, replacing rows of the same
  // checkpoint, method, bits and group size. Returns the rows written.
  int put(const std::vector<FluctuationRow>& rows);
  int put(const FluctuationReport& report) { return put(fluctuationRows(report)); }

  // Rows of one quantizer ("" for all), by run and step.
  std::vector<FluctuationRow> rows(const std::string& method = "");
  std::optional<FluctuationRow> find(const std::string& checkpointId, int bits, const std::string& method = "rtn",
                                     int groupSize = -1);
  std::int64_t count();

  // Every measurement matching `filter` whose checkpoint has a fluctuation
  // row at the measurement's bit width, measured with `method` (and group
  // size `groupSize`). Measurements without one are left out.
  std::vector<FluctuationPoint> join(const store::MeasurementFilter& filter = {}, const std::string& method = "rtn",
                                     int groupSize = -1);

 private:
  store::Project& project_;
  std::unique_ptr<store::Db> db_;
};

nlohmann::json toJson(const FluctuationRow& row);

}  // namespace qid::analysis
