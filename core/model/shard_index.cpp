#include "model/shard_index.h"

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace qid::model {

namespace fs = std::filesystem;
using nlohmann::json;

ShardIndex readShardIndex(const fs::path& indexPath) {
  const std::string where = indexPath.string();
  std::ifstream in(indexPath, std::ios::binary);
  if (!in) throw Error(where + ": cannot open the shard index");
  json index;
  try {
    index = json::parse(in);
  } catch (const json::exception& e) {
    throw Error(where + ": shard index is not valid JSON (" + e.what() + ")");
  }
  if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
    throw Error(where + ": shard index has no weight_map object");
  ShardIndex out;
  std::map<std::string, std::size_t> fileIndex;
  for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
    if (!it.value().is_string()) throw Error(where + ": weight_map entry '" + it.key() + "' is not a file name");
    std::string file = it.value().get<std::string>();
    if (file.empty() || file.find('/') != std::string::npos || file.find('\\') != std::string::npos ||
        file == "." || file == "..")
      throw Error(where + ": weight_map names an unsafe shard file '" + file + "'");
    auto [pos, inserted] = fileIndex.emplace(file, out.files.size());
    if (inserted) {
      fs::path shardPath = indexPath.parent_path() / file;
      if (!fs::exists(shardPath)) throw Error(where + ": shard file '" + file + "' is missing");
      out.files.push_back(shardPath);
    }
    out.tensors.emplace_back(it.key(), pos->second);
  }
  return out;
}

}  // namespace qid::model
