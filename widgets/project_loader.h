#pragma once
// Fills a ProjectSession from a project: the bundled Paper project (the
// paper's laws, Table 1 as a dataset, Kumar et al. for comparison) or a
// project file. Errors throw qid::Error naming the file.
#include <QString>

namespace qid::ui {

class ProjectSession;

inline const char* kPaperProject = "paper";

void loadPaperProject(ProjectSession& session);
// "paper" (or empty) opens the bundled Paper project.
void loadProject(ProjectSession& session, const QString& pathOrName);
// A project file (core/store): its measurements and saved fits, plus the
// bundled laws. create: make the file when it does not exist.
void loadStoreProject(ProjectSession& session, const QString& path, bool create);

}  // namespace qid::ui
