#pragma once
// The provenance manifest every measurement carries: what produced the number,
// so that it can be tied back to the code, libraries, hardware and data.
#include <nlohmann/json.hpp>
#include <string>

#include "jobs/sweep_plan.h"

namespace qid::jobs {

std::string toolCommit();      // git commit of the build (+dirty), or "unknown"
std::string libtorchVersion(); // e.g. "1.13.0"
// "cpu: AMD EPYC 7B13 (16 threads)" or "cuda:0: NVIDIA H100 80GB HBM3 (CUDA 12.1)".
std::string deviceDescription(const std::string& device);

// Fields: tool {name, version, commit}, libtorch, device, device_name, dtype,
// eval {path, sha256, recipe, seqlen, windows}, calibration {path, sha256,
// samples, seqlen} or null, seeds {calibration, bootstrap}, checkpoint {id,
// kind, content_hash, source, revision}, runner, host, created.
nlohmann::json buildManifest(const CellSpec& cell, const std::string& device, const std::string& runner,
                             std::uint64_t bootstrapSeed);

// The keys a complete manifest has (tests check against this).
const std::vector<std::string>& manifestKeys();

}  // namespace qid::jobs
