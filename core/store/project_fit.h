#pragma once
// Fitting a law to stored measurements and keeping the fit in the project
// (`qidlab-cli fit --project`, and the GUI's refit). A saved fit records the
// law, its parameters with CIs, and the selection it came from: the filter,
// the duplicate policy and the cell ids.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "laws/law_fit.h"
#include "store/measurement_filter.h"
#include "store/records.h"

namespace qid::store {

class Project;

struct FitSelection {
  std::string filterText;
  MeasurementFilter filter;
  std::vector<Measurement> rows;
};

// The measurements a fit takes: the filter's rows, duplicate revisions left
// out unless the filter includes them. Throws qid::Error (naming the project
// and the filter) when nothing matches.
FitSelection selectFitData(Project& project, const std::string& filterText);

// Fits a family to measurements. Before fitting it checks, naming the
// measurement at fault, that every row has the family's variables and a
// positive target where the fit takes logs. Families of the 16-bit loss take
// one row per baseline (the cells of a checkpoint share its loss16).
laws::FitResult fitMeasurements(const std::vector<Measurement>& rows, const laws::FamilyPtr& family,
                                const laws::FitOptions& options, const laws::BindOptions& bind,
                                const std::string& source);

// {"project", "filter", "duplicates", "count", "cell_ids"}.
nlohmann::json selectionJson(const FitSelection& selection, const std::string& project);

// A FitRecord for Project::saveFit: law = the family, params = name -> value,
// result = fitResultToJson (stderrs, CIs, RSS, AIC, ..., the law JSON).
FitRecord makeFitRecord(const laws::FitResult& fit, const std::string& name, const nlohmann::json& selection);

}  // namespace qid::store
