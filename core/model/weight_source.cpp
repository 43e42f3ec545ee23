#include "model/weight_source.h"

#include "common/error.h"
#include "model/safetensors.h"

namespace qid::model {

namespace fs = std::filesystem;

std::unique_ptr<WeightSource> openWeights(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw Error(dir.string() + ": not a checkpoint folder");
  if (fs::exists(dir / "model.safetensors.index.json"))
    return std::make_unique<ShardedSafetensors>(dir / "model.safetensors.index.json");
  if (fs::exists(dir / "model.safetensors"))
    return std::make_unique<SafetensorsFile>(dir / "model.safetensors");
  throw Error(dir.string() + ": no weights found (expected model.safetensors or "
              "model.safetensors.index.json)");
}

}  // namespace qid::model
