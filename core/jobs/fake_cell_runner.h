#pragma once
// TEST ONLY: a fast, deterministic CellRunner that needs no model runtime. It
// reads the checkpoint folder's config.json (so a corrupt checkpoint fails as
// it would for real), derives N from it, and produces losses from the paper's
// laws plus seeded per-window noise. Used by the store/jobs tests and by
// `qidlab-cli sweep --runner fake` (hidden, test-only).
//   QIDLAB_FAKE_CELL_MS=n        sleep n ms per cell (for kill tests)
//   QIDLAB_FAKE_OOM_BITS=b       cells with b bits run out of memory unless the
//                                batch was divided (tests the OOM retry)
#include "jobs/cell_runner.h"

namespace qid::jobs {

class FakeCellRunner : public CellRunner {
 public:
  std::string name() const override { return "fake"; }
  BaselineOutcome baseline(const CellSpec& cell, const RunContext& ctx) override;
  QuantOutcome quantize(const CellSpec& cell, const store::Baseline& baseline, const RunContext& ctx) override;
};

}  // namespace qid::jobs
