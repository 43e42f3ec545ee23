#pragma once
// The Table 1 view: the training tokens (trillions) at which each model size,
// quantized to each bit width, reaches each target ΔqLoss, for the current
// law. The numbers come from core (qid::laws::tokenTable); sizes, targets
// and bits are editable (undoable), and the table copies as LaTeX, Markdown
// or CSV exactly as `qidlab-cli table` writes it.
#include <QWidget>

#include "laws/law_table.h"

class QLabel;
class QLineEdit;
class QTableWidget;

namespace qid::ui {

class ProjectSession;

class TokenTableView : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kTokensRole = Qt::UserRole + 1;  // QVariantList of D per bit width (NaN: unreachable)

  explicit TokenTableView(ProjectSession* session, QWidget* parent = nullptr);
  QTableWidget* table() const { return table_; }
  const qid::laws::TokenTable& tokenTable() const { return current_; }
  bool hasTable() const { return valid_; }
  // The current table in a core format (what the copy buttons put on the clipboard).
  QString formatted(qid::laws::TableFormat format) const;
  void copy(qid::laws::TableFormat format);

 signals:
  void message(const QString& text);

 private:
  void refresh();
  void pushAxes();

  ProjectSession* session_;
  QLineEdit* sizes_;
  QLineEdit* targets_;
  QLineEdit* bits_;
  QTableWidget* table_;
  QLabel* caption_;
  qid::laws::TokenTable current_;
  bool valid_ = false;
};

}  // namespace qid::ui
