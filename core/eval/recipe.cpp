// Recipe presets, their JSON form and overrides (recipe.h).
#include "eval/recipe.h"

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "common/resources.h"

namespace qid::eval {

namespace {

using json = nlohmann::json;

template <typename E>
struct Spelling {
  E value;
  const char* text;
};

constexpr Spelling<TextLayout> kLayouts[] = {{TextLayout::Concatenated, "concatenated"},
                                             {TextLayout::PerDocument, "per-document"}};
constexpr Spelling<DocumentSplit> kSplits[] = {{DocumentSplit::AsGiven, "as-given"},
                                               {DocumentSplit::WikitextArticles, "wikitext-articles"}};
constexpr Spelling<ScoredPositions> kScores[] = {{ScoredPositions::AfterFirst, "after-first"},
                                                 {ScoredPositions::SecondHalf, "second-half"},
                                                 {ScoredPositions::Rolling, "rolling"}};
constexpr Spelling<BosPolicy> kBos[] = {{BosPolicy::None, "none"},
                                        {BosPolicy::PrefixDocument, "prefix-document"},
                                        {BosPolicy::ReplaceFirst, "replace-first"}};

template <typename E, std::size_t N>
const char* spell(const Spelling<E> (&table)[N], E value) {
  for (const auto& s : table)
    if (s.value == value) return s.text;
  return "?";
}

template <typename E, std::size_t N>
E parseSpelling(const Spelling<E> (&table)[N], const json& j, const std::string& key,
                const std::string& where) {
  if (!j.is_string()) throw Error(where + ": \"" + key + "\" must be a string");
  const std::string text = j.get<std::string>();
  std::string known;
  for (const auto& s : table) {
    if (text == s.text) return s.value;
    known += (known.empty() ? "" : ", ") + std::string(s.text);
  }
  throw Error(where + ": \"" + key + "\" is '" + text + "' (expected one of: " + known + ")");
}

// Combinations a recipe cannot honour.
void check(const Recipe& r, const std::string& where) {
  if (r.name.empty()) throw Error(where + ": the recipe has no name");
  if (r.version < 1) throw Error(where + ": the recipe version must be at least 1");
  if (r.stride < 0) throw Error(where + ": \"stride\" must not be negative");
  if (r.layout == TextLayout::PerDocument && r.score != ScoredPositions::Rolling)
    throw Error(where + ": a per-document recipe scores rolling windows (\"score\": \"rolling\")");
  if (r.score == ScoredPositions::Rolling && r.layout != TextLayout::PerDocument)
    throw Error(where + ": rolling windows need the per-document layout");
  if (r.score == ScoredPositions::Rolling && r.bos != BosPolicy::PrefixDocument)
    throw Error(where + ": rolling windows need a prefix token (\"bos\": \"prefix-document\")");
  if (r.bos == BosPolicy::PrefixDocument && r.layout != TextLayout::PerDocument)
    throw Error(where + ": \"bos\": \"prefix-document\" needs the per-document layout");
  if (r.stride > 0 && r.score != ScoredPositions::AfterFirst)
    throw Error(where + ": a stride works only with \"score\": \"after-first\" (sliding windows "
                        "score the tokens not scored yet)");
  if (r.stride > 0 && r.bos != BosPolicy::None)
    throw Error(where + ": a stride cannot be combined with BOS replacement (windows overlap)");
  if (r.normalisation.empty() || r.normalisation.front() != "token")
    throw Error(where + ": \"normalisation\" must start with \"token\" (nats/token is primary)");
  for (const auto& n : r.normalisation) {
    if (n != "token" && n != "word" && n != "byte")
      throw Error(where + ": unknown normalisation '" + n + "' (token, word, byte)");
    if (n == "word" && r.layout != TextLayout::PerDocument)
      throw Error(where + ": per-word normalisation needs the per-document layout (words are "
                          "counted per document)");
  }
}

void setField(Recipe& r, const std::string& key, const json& value, const std::string& where) {
  try {
    if (key == "name") r.name = value.get<std::string>();
    else if (key == "version") r.version = value.get<int>();
    else if (key == "title") r.title = value.get<std::string>();
    else if (key == "citation") r.citation = value.get<std::string>();
    else if (key == "layout") r.layout = parseSpelling(kLayouts, value, key, where);
    else if (key == "documents") r.documents = parseSpelling(kSplits, value, key, where);
    else if (key == "stride") r.stride = value.get<std::int64_t>();
    else if (key == "score") r.score = parseSpelling(kScores, value, key, where);
    else if (key == "bos") r.bos = parseSpelling(kBos, value, key, where);
    else if (key == "normalisation") r.normalisation = value.get<std::vector<std::string>>();
    else if (key == "overrides") r.overrides = value;
    else if (key == "id") return;  // derived
    else throw Error(where + ": unknown recipe field '" + key + "'");
  } catch (const json::exception&) {
    throw Error(where + ": recipe field '" + key + "' has a value of the wrong type (" +
                value.dump() + ")");
  }
}

}  // namespace

std::string Recipe::id() const {
  std::string s = name + "@" + std::to_string(version);
  for (const auto& [key, value] : overrides.items())
    s += "+" + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  return s;
}

bool Recipe::normalises(const std::string& unit) const {
  return std::find(normalisation.begin(), normalisation.end(), unit) != normalisation.end();
}

std::vector<std::string> recipeNames() {
  std::vector<std::string> out;
  for (const auto& path : resources::list("recipes/"))
    out.push_back(std::filesystem::path(path).stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

Recipe findRecipe(const std::string& name) {
  const std::string wanted = name.empty() ? kDefaultRecipe : name;
  auto data = resources::find("recipes/" + wanted + ".json");
  if (!data) {
    std::string known;
    for (const auto& n : recipeNames()) known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown evaluation recipe '" + wanted + "' (known: " + known + ")");
  }
  json j;
  try {
    j = json::parse(*data);
  } catch (const json::exception& e) {
    throw Error("evaluation recipe " + wanted + " is not valid JSON: " + e.what());
  }
  Recipe r = parseRecipe(j, "recipe " + wanted);
  if (r.name != wanted)
    throw Error("recipe " + wanted + ": the file names itself '" + r.name + "'");
  return r;
}

Recipe parseRecipe(const json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": a recipe is a JSON object");
  Recipe r;
  for (const auto& [key, value] : j.items()) setField(r, key, value, where);
  check(r, where);
  return r;
}

json toJson(const Recipe& r) {
  return json{{"id", r.id()},
              {"name", r.name},
              {"version", r.version},
              {"title", r.title},
              {"citation", r.citation},
              {"layout", spell(kLayouts, r.layout)},
              {"documents", spell(kSplits, r.documents)},
              {"stride", r.stride},
              {"score", spell(kScores, r.score)},
              {"bos", spell(kBos, r.bos)},
              {"normalisation", r.normalisation},
              {"overrides", r.overrides}};
}

void overrideRecipe(Recipe& r, const json& changes) {
  if (!changes.is_object()) throw Error("recipe overrides must be a JSON object");
  const std::string where = "recipe " + r.name + " override";
  for (const auto& [key, value] : changes.items()) {
    if (key == "name" || key == "version" || key == "title" || key == "citation" ||
        key == "overrides" || key == "id")
      throw Error(where + ": '" + key + "' cannot be overridden");
    const json before = toJson(r).value(key, json());
    setField(r, key, value, where);
    if (before != value) r.overrides[key] = value;
  }
  check(r, where);
}

}  // namespace qid::eval
