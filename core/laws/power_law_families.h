#pragma once
// The power-law QiD families of Ouyang et al. 2025 and the exponential-in-bits
// family of Kumar et al. 2024. All are log-linear, so they fit exactly by
// least squares in log space.
#include <vector>

#include "laws/law_family.h"

namespace qid::laws {

// k * D^beta / (N^alpha * P^gamma)  (Ouyang Eq 8)
FamilyPtr makeOuyangUnified();
// One factor at a time (Ouyang Eqs 5-7): k*D^beta, k/N^alpha, k/P^gamma.
FamilyPtr makeOuyangTokens();
FamilyPtr makeOuyangSize();
FamilyPtr makeOuyangBits();
// Per bit width P: k_P * D^beta_P / N^alpha_P (behind Ouyang Table 1).
// Parameters are named k_P, beta_P, alpha_P (e.g. k_3). With no bits given
// the family takes them from the data it is fitted on.
FamilyPtr makeOuyangPerBit(std::vector<int> bits = {});
// C * D^gD / N^gN * exp(-P/gpost)  (Kumar et al. 2024, post-training quantization)
FamilyPtr makeKumar2024();

}  // namespace qid::laws
