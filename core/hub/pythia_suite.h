#pragma once
// The Pythia suite (EleutherAI) as data: its nine sizes, deduped or not, the
// checkpoint schedule, tokens seen per step, and N from a model config; plus
// the `suite:` / `hub:` selectors that name sets of checkpoints.
//
// Selector syntax (README "Hub selectors"):
//   suite:pythia-SIZE[-deduped][@REVS]   SIZE: 70m | {70m,160m,410m} | *
//   hub:ORG/NAME[@REV[,REV...]]          any repo; no @ means main
//   REVS: comma-separated items, each
//     stepN or N          one checkpoint (must be on the schedule)
//     main                the final checkpoint (= step143000)
//     LO..HI              every scheduled step with LO <= step <= HI
//     LO..HI/S            those of them at LO, LO+S, LO+2S, ... (HI only when on the stride)
//   no @ on a suite means all 154 checkpoints.
//   suite:pythia-160m-deduped@step1000..step143000/8000
//     -> step1000, step9000, ..., step137000 of EleutherAI/pythia-160m-deduped
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qid::hub {

struct PythiaSize {
  std::string name;  // "70m"
  int layers = 0;
  int dModel = 0;
  int heads = 0;
};

constexpr std::int64_t kPythiaTokensPerStep = 2097152;  // 1024 sequences x 2048 tokens
constexpr std::int64_t kPythiaFinalStep = 143000;

// 14m 70m 160m 410m 1b 1.4b 2.8b 6.9b 12b (REFERENCE.md).
const std::vector<PythiaSize>& pythiaSizes();
// "EleutherAI/pythia-410m-deduped"; throws qid::Error for an unknown size.
std::string pythiaRepo(const std::string& size, bool deduped);
// 0, 1, 2, 4, ..., 512, 1000, 2000, ..., 143000: 154 steps.
const std::vector<std::int64_t>& pythiaSteps();
bool isPythiaStep(std::int64_t step);
// D = step x 2,097,152.
double pythiaTokens(std::int64_t step);
// "step1000" -> 1000, "main" -> 143000, anything else -> nullopt.
std::optional<std::int64_t> pythiaStepOfRevision(const std::string& revision);

struct ParamCount {
  std::int64_t nonEmbedding = 0;  // N: no token embedding, no unembedding
  std::int64_t total = 0;         // N_total
};
// N from a GPT-NeoX config.json (hidden_size, num_hidden_layers,
// intermediate_size, vocab_size, tie_word_embeddings). Throws qid::Error
// naming the file for other model types or missing keys.
ParamCount paramsFromConfig(const std::filesystem::path& configJson);

struct SuiteCheckpoint {
  std::string repoId;
  std::string revision;
  std::int64_t step = -1;  // -1 when not a Pythia revision
  double tokens = 0;       // D; 0 when unknown
};

// True for "suite:..." and "hub:..." strings.
bool isHubSelector(const std::string& s);
// Expands a selector into checkpoints, in order, without duplicates. Throws
// qid::Error naming the selector and the token at fault.
std::vector<SuiteCheckpoint> expandSelector(const std::string& selector);

}  // namespace qid::hub
