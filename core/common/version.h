#pragma once
#include <string>

namespace qid {
// The project version from CMake's project(VERSION ...).
inline std::string toolVersion() { return QIDLAB_VERSION; }
}  // namespace qid
