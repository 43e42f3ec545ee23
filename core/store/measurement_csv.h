#pragma once
// Measurements as CSV: one row per measurement, the scalar columns of
// measurement_columns.h. See measurement_import.h for what import accepts.
#include <string>
#include <vector>

#include "store/measurement_import.h"

namespace qid::store {

// Header plus one line per measurement; `columns` picks and orders the
// columns (names or aliases; empty: all). Throws qid::Error for an unknown
// column, listing the known ones.
std::string measurementsCsv(const std::vector<Measurement>& rows, const std::vector<std::string>& columns = {});

// Parses and checks CSV content (nothing is written). Throws qid::Error
// "SOURCE row R (line L), column 'C': reason" for a bad cell, and names
// missing or unknown header columns.
ImportBatch parseMeasurementsCsv(const std::string& content, const std::string& source);

}  // namespace qid::store
