#pragma once
// Bundled resources (resources/presets, resources/datasets) compiled into
// qidcore by cmake/EmbedResources.cmake.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qid::resources {

// Every embedded file, keyed by its path relative to resources/.
const std::map<std::string, std::string_view>& all();

// The file's content, or nullopt.
std::optional<std::string_view> find(const std::string& path);

// The paths under a folder prefix such as "presets/", sorted.
std::vector<std::string> list(const std::string& prefix);

}  // namespace qid::resources
