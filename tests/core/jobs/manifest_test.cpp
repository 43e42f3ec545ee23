// The provenance manifest is complete: every field the issue lists is there
// and filled, for a cell with calibration data and for one without.
#include "jobs/manifest.h"

#include <ATen/Context.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "common/version.h"

using namespace qid::jobs;
using nlohmann::json;

namespace {

CellSpec cell(bool calibrated) {
  CellSpec c;
  c.model.name = "pythia-70m";
  c.model.hubRepo = "EleutherAI/pythia-70m";
  c.model.revision = "step1000";
  c.model.path = "/cache/models--EleutherAI--pythia-70m/snapshots/" + std::string(40, 'c');
  c.method.method = "gptq";
  c.method.bits = 3;
  c.eval.path = "/data/wiki.test.raw";
  c.eval.seqlen = 2048;
  c.dtype = "float32";
  c.checkpointId = "hf:" + std::string(40, 'c');
  c.idKind = "hf-commit";
  c.contentHash = "sha256s:" + std::string(64, '1');
  c.evalHash = std::string(64, 'e');
  if (calibrated) {
    c.calib.path = "/data/wiki.train.raw";
    c.calib.samples = 128;
    c.calib.seed = 7;
    c.calibHash = std::string(64, 'f');
  }
  return c;
}

void nonEmpty(const json& j, const std::string& path) {
  const json* at = &j;
  std::string sofar;
  for (size_t pos = 0; pos <= path.size();) {
    size_t dot = path.find('.', pos);
    std::string key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    ASSERT_TRUE(at->is_object() && at->contains(key)) << "manifest lacks " << path;
    at = &(*at)[key];
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  EXPECT_FALSE(at->is_null()) << path;
  if (at->is_string()) {
    EXPECT_FALSE(at->get<std::string>().empty()) << path;
  }
}

}  // namespace

TEST(Manifest, EveryProvenanceFieldIsPresentAndFilled) {
  json m = buildManifest(cell(true), "cpu", "quant", 42);
  for (const auto& key : manifestKeys()) EXPECT_TRUE(m.contains(key)) << key;
  for (const char* path : {"tool.name", "tool.version", "tool.commit", "libtorch", "device", "device_name", "dtype",
                           "eval.path", "eval.sha256", "eval.recipe", "eval.seqlen", "calibration.path",
                           "calibration.sha256", "calibration.samples", "calibration.seqlen", "seeds.calibration",
                           "seeds.bootstrap", "checkpoint.id", "checkpoint.kind", "checkpoint.content_hash",
                           "checkpoint.source", "checkpoint.revision", "runner", "created"})
    nonEmpty(m, path);
  EXPECT_EQ(m["tool"]["version"], qid::toolVersion());
  EXPECT_NE(m["tool"]["commit"], "");
  EXPECT_TRUE(std::regex_match(m["libtorch"].get<std::string>(), std::regex("[0-9]+\\.[0-9]+.*")))
      << m["libtorch"];
  EXPECT_EQ(m["eval"]["sha256"], std::string(64, 'e'));
  EXPECT_EQ(m["calibration"]["sha256"], std::string(64, 'f'));
  EXPECT_EQ(m["calibration"]["seqlen"], 2048);  // defaults to the eval seqlen
  EXPECT_EQ(m["seeds"]["calibration"], 7);
  EXPECT_EQ(m["seeds"]["bootstrap"], 42);
  EXPECT_EQ(m["checkpoint"]["id"], "hf:" + std::string(40, 'c'));
  EXPECT_EQ(m["checkpoint"]["source"], "EleutherAI/pythia-70m");
  EXPECT_EQ(m["dtype"], "float32");
  EXPECT_TRUE(std::regex_match(m["created"].get<std::string>(),
                               std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")));
  // On the CPU the device names the CPU model (as /proc/cpuinfo has it).
  std::string dev = m["device_name"];
  EXPECT_EQ(dev.rfind("cpu: ", 0), 0u) << dev;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) {
      std::string model = line.substr(line.find(':') + 2);
      EXPECT_NE(dev.find(model), std::string::npos) << dev;
      break;
    }
  EXPECT_NE(dev.find("threads"), std::string::npos) << dev;
}

TEST(Manifest, DataFreeCellsSayTheyHadNoCalibrationData) {
  json m = buildManifest(cell(false), "cpu", "quant", 0);
  EXPECT_TRUE(m.contains("calibration"));
  EXPECT_TRUE(m["calibration"].is_null());
  nonEmpty(m, "eval.sha256");
  nonEmpty(m, "checkpoint.content_hash");
}

#if defined(QIDLAB_HAVE_CUDA)
TEST(Manifest, CudaDevicesNameTheGpuRuntimeAndDriver) {
  if (!at::hasCUDA()) GTEST_SKIP() << "no GPU visible";
  std::string d = deviceDescription("cuda:0");
  EXPECT_NE(d.find("CUDA runtime"), std::string::npos) << d;
  EXPECT_NE(d.find("driver"), std::string::npos) << d;
}
#endif
