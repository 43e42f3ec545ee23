#pragma once
// 16-bit loss laws L(N, D): the Kaplan form of Ouyang Eq 3 and the
// Chinchilla form.
#include "laws/law_family.h"

namespace qid::laws {

// [(A/N)^(a/c) + B/D]^c  (Ouyang Eq 3, after Kaplan et al. 2020)
FamilyPtr makeLoss16Kaplan();
// E + A/N^a + B/D^b  (Hoffmann et al. 2022)
FamilyPtr makeLoss16Chinchilla();

}  // namespace qid::laws
