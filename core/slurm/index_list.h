#pragma once
// Slurm array index lists: "0-2,5,7-9" (an optional "%N" throttle suffix is
// accepted when parsing and ignored).
#include <string>
#include <vector>

namespace qid::slurm {

// Sorted, unique indices as a compact list: {0,1,2,5} -> "0-2,5".
std::string formatIndexList(std::vector<int> indices);

// The indices of a list, sorted and unique. Throws qid::Error naming the list
// when it is malformed (or spans more than 1,000,000 indices).
std::vector<int> parseIndexList(const std::string& list);

}  // namespace qid::slurm
