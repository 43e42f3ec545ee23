#pragma once
// A terminal progress bar on stderr for qid::Progress callbacks. It draws
// only when stderr is a terminal (or QIDLAB_PROGRESS=1), so logs stay clean,
// and it turns SIGINT into a polite cancel: the callback returns false and the
// core stops at its next safe point.
#include "common/progress.h"

namespace qid::cli {

// A callback that draws a bar and honours Ctrl-C. Safe to call from any thread.
ProgressFn progressBar(bool quiet = false);

// True once SIGINT was received after installCancelHandler().
bool interrupted();
void installCancelHandler();

}  // namespace qid::cli
