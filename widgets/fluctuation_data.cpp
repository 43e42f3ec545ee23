#include "fluctuation_data.h"

#include "store/project.h"

namespace qid::ui {

FluctuationDataPtr loadFluctuationData(qid::store::Project& project) {
  auto data = std::make_shared<FluctuationData>();
  qid::analysis::FluctuationStore store(project);
  std::vector<qid::analysis::FluctuationRow> all = store.rows();
  if (all.empty()) return data;
  // One quantizer at one group size: rtn when present, else the first stored.
  const qid::analysis::FluctuationRow* pick = &all.front();
  for (const auto& r : all)
    if (r.method == "rtn") {
      pick = &r;
      break;
    }
  data->method = pick->method;
  data->groupSize = pick->groupSize;
  for (auto& r : all)
    if (r.method == data->method && r.groupSize == data->groupSize) data->rows.push_back(std::move(r));
  data->points = store.join({}, data->method, data->groupSize);
  return data;
}

}  // namespace qid::ui
