#pragma once
// The human and JSON reports of a fit, as `qidlab-cli fit` prints them.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "laws/law_fit.h"

namespace qid::cli {

std::string fitReportText(const qid::laws::FitResult& fit, const std::string& data, std::uint64_t seed);
nlohmann::json fitReportJson(const qid::laws::FitResult& fit, const std::string& data, std::uint64_t seed);

}  // namespace qid::cli
