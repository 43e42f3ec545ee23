#pragma once
// A sweep plan made independent of where it was read from: every relative
// path (model folders, eval and calibration data) becomes absolute against
// the plan's folder, so a copy of it anywhere expands to the same cells.
// `slurm submit` writes such a copy next to the array's script, so editing
// the original plan cannot change a running array.
#include <filesystem>
#include <nlohmann/json.hpp>

namespace qid::slurm {

// Throws qid::Error when `plan` is not an object.
nlohmann::json pinPlanPaths(const nlohmann::json& plan, const std::filesystem::path& planDir);

}  // namespace qid::slurm
