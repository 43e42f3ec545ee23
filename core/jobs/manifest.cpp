#include "jobs/manifest.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>
#include <torch/version.h>

#include "common/version.h"
#include "qid_git_commit.h"

#if defined(QIDLAB_HAVE_CUDA)
#include <ATen/cuda/CUDAContext.h>
#include <cuda_runtime_api.h>
#endif

namespace qid::jobs {

using nlohmann::json;

std::string toolCommit() { return QIDLAB_GIT_COMMIT; }

std::string libtorchVersion() { return TORCH_VERSION; }

namespace {

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        auto s = line.substr(colon + 1);
        s.erase(0, s.find_first_not_of(" \t"));
        return s;
      }
    }
  }
  return "unknown CPU";
}

std::string hostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

std::string nowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string deviceDescription(const std::string& device) {
#if defined(QIDLAB_HAVE_CUDA)
  if (device.rfind("cuda", 0) == 0) {
    int index = 0;
    if (auto colon = device.find(':'); colon != std::string::npos) index = std::stoi(device.substr(colon + 1));
    auto* props = at::cuda::getDeviceProperties(index);
    int runtime = 0, driver = 0;
    cudaRuntimeGetVersion(&runtime);
    cudaDriverGetVersion(&driver);
    return device + ": " + props->name + " (CUDA runtime " + std::to_string(runtime / 1000) + "." +
           std::to_string(runtime % 1000 / 10) + ", driver " + std::to_string(driver / 1000) + "." +
           std::to_string(driver % 1000 / 10) + ")";
  }
#endif
  return device + ": " + cpuModel() + " (" + std::to_string(std::thread::hardware_concurrency()) + " threads)";
}

json buildManifest(const CellSpec& cell, const std::string& device, const std::string& runner,
                   std::uint64_t bootstrapSeed) {
  json calib = nullptr;
  if (!cell.calib.path.empty())
    calib = {{"path", cell.calib.path}, {"sha256", cell.calibHash}, {"samples", cell.calib.samples},
             {"seqlen", cell.calib.seqlen ? cell.calib.seqlen : cell.eval.seqlen}};
  return {
      {"tool", {{"name", "qidlab"}, {"version", toolVersion()}, {"commit", toolCommit()}}},
      {"libtorch", libtorchVersion()},
      {"device", device},
      {"device_name", deviceDescription(device)},
      {"dtype", cell.dtype},
      {"eval", {{"path", cell.eval.path}, {"sha256", cell.evalHash}, {"recipe", cell.eval.recipeId.empty() ? cell.eval.recipe : cell.eval.recipeId},
                {"seqlen", cell.eval.seqlen}, {"windows", cell.eval.windows}}},
      {"calibration", calib},
      {"seeds", {{"calibration", cell.calib.seed}, {"bootstrap", bootstrapSeed}}},
      {"checkpoint", {{"id", cell.checkpointId}, {"kind", cell.idKind}, {"content_hash", cell.contentHash},
                      {"source", cell.model.hubRepo.empty() ? cell.model.path : cell.model.hubRepo},
                      {"revision", cell.model.revision}}},
      {"runner", runner},
      {"host", hostName()},
      {"created", nowUtc()},
  };
}

const std::vector<std::string>& manifestKeys() {
  static const std::vector<std::string> k{"tool", "libtorch", "device", "device_name", "dtype", "eval",
                                          "calibration", "seeds", "checkpoint", "runner", "host", "created"};
  return k;
}

}  // namespace qid::jobs
