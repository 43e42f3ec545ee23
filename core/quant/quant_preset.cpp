#include "quant/quant_preset.h"

#include <filesystem>

#include "common/error.h"
#include "common/resources.h"

namespace qid::quant {

std::vector<std::string> quantPresetNames() {
  std::vector<std::string> out;
  for (const auto& path : resources::list("quant/"))
    out.push_back(std::filesystem::path(path).stem().string());
  return out;
}

QuantPreset loadQuantPreset(const std::string& name) {
  auto data = resources::find("quant/" + name + ".json");
  if (!data) {
    std::string known;
    for (const auto& n : quantPresetNames()) known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown quantization preset '" + name + "' (known: " + known + ")");
  }
  try {
    nlohmann::json j = nlohmann::json::parse(*data);
    QuantPreset p;
    p.name = j.at("name").get<std::string>();
    p.title = j.value("title", "");
    p.citation = j.value("citation", "");
    p.settings = j.at("settings");
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw Error("quantization preset " + name + " is malformed: " + e.what());
  }
}

void applyQuantPreset(const QuantPreset& preset, PipelineOptions& options) {
  try {
    for (const auto& [key, value] : preset.settings.items()) {
      MethodOptions& m = options.method;
      if (key == "method") m.method = parseMethod(value.get<std::string>());
      else if (key == "bits") m.bits = value.get<int>();
      else if (key == "group") m.groupSize = value.get<int>();
      else if (key == "sym") m.symmetric = value.get<bool>();
      else if (key == "damp") m.percdamp = value.get<double>();
      else if (key == "act_order") m.actOrder = value.get<bool>();
      else if (key == "static_groups") m.staticGroups = value.get<bool>();
      else if (key == "calib_samples") options.calibration.samples = value.get<std::int64_t>();
      else if (key == "calib_seqlen") options.calibration.seqlen = value.get<std::int64_t>();
      else if (key == "calib_seed") options.calibration.seed = value.get<std::uint64_t>();
      else throw Error("quantization preset " + preset.name + " has an unknown setting '" + key + "'");
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error("quantization preset " + preset.name + " has a setting of the wrong type: " +
                e.what());
  }
}

}  // namespace qid::quant
