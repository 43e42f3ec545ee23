#pragma once
// Named quantization presets, bundled as data in resources/quant/*.json
// ({"name", "title", "citation", "settings": {...}}). Settings keys: method,
// bits, group, sym, damp, act_order, static_groups, calib_samples,
// calib_seqlen, calib_seed. A preset only sets what it names; every option
// stays overridable afterwards.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "quant/pipeline.h"

namespace qid::quant {

struct QuantPreset {
  std::string name;
  std::string title;
  std::string citation;
  nlohmann::json settings;
};

std::vector<std::string> quantPresetNames();
// Throws qid::Error naming the known presets for an unknown name.
QuantPreset loadQuantPreset(const std::string& name);
// Throws qid::Error for an unknown settings key or a value of the wrong type.
void applyQuantPreset(const QuantPreset& preset, PipelineOptions& options);

}  // namespace qid::quant
