#include "quant/fake_quant_export.h"

#include <fstream>

#include "common/error.h"
#include "common/version.h"
#include "model/causal_lm.h"
#include "model/dtype.h"
#include "model/safetensors.h"

namespace qid::quant {

namespace fs = std::filesystem;

nlohmann::json saveFakeQuantModel(const model::CausalLM& m, const fs::path& dir,
                                  const FakeQuantExport& info) {
  std::error_code ec;
  if (fs::exists(dir) && !fs::is_empty(dir, ec))
    throw Error(dir.string() + ": the folder exists and is not empty");
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir.string() + ": cannot create the folder (" + ec.message() + ")");

  const model::DType dtype = model::fromScalarType(m.dtype(), dir.string());
  model::ModelConfig config = m.config();
  config.torchDtype = dtype == model::DType::F32   ? "float32"
                      : dtype == model::DType::F16 ? "float16"
                                                   : "bfloat16";
  model::saveModelConfig(dir, config);

  std::map<std::string, std::string> meta = {{"format", "pt"},
                                             {"qidlab_fake_quant", "true"},
                                             {"qidlab_version", toolVersion()}};
  if (info.quantization.contains("method"))
    meta["qidlab_method"] = info.quantization["method"].get<std::string>();
  if (info.quantization.contains("bits"))
    meta["qidlab_bits"] = std::to_string(info.quantization["bits"].get<int>());
  model::writeSafetensors(dir / "model.safetensors", m.namedParameters(), meta);

  nlohmann::json files = {"config.json", "model.safetensors"};
  if (!info.tokenizerJson.empty() && fs::exists(info.tokenizerJson)) {
    fs::copy_file(info.tokenizerJson, dir / "tokenizer.json", fs::copy_options::overwrite_existing, ec);
    if (ec)
      throw Error(dir.string() + ": cannot copy " + info.tokenizerJson.string() + " (" +
                  ec.message() + ")");
    files.push_back("tokenizer.json");
  }
  nlohmann::json record = {{"tool", "qidlab " + toolVersion()},
                           {"source_model", info.sourceModel.string()},
                           {"fake_quant", true},
                           {"dtype", model::computeDTypeName(m.dtype())},
                           {"quantization", info.quantization},
                           {"measurement", info.measurement}};
  std::ofstream out(dir / "qidlab_quant.json", std::ios::binary | std::ios::trunc);
  out << record.dump(2) << "\n";
  out.close();
  if (!out) throw Error((dir / "qidlab_quant.json").string() + ": write failed");
  files.push_back("qidlab_quant.json");
  return {{"path", dir.string()}, {"files", files}, {"dtype", model::computeDTypeName(m.dtype())}};
}

}  // namespace qid::quant
