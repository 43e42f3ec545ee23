#pragma once
// A small generic undo command: set a value through a setter, remember the old
// one (the Tiled ChangeValue habit). Commands of one drag share a merge key,
// so a whole drag becomes one undo step.
#include <QUndoCommand>
#include <functional>
#include <utility>

namespace qid::ui {

enum UndoId { kUndoHandle = 1, kUndoLawParam = 2, kUndoFilter = 3, kUndoSizes = 4, kUndoBits = 5, kUndoTable = 6 };

template <typename Value>
class ChangeValue : public QUndoCommand {
 public:
  using Setter = std::function<void(const Value&)>;

  // mergeKey: commands with the same id() and mergeKey merge (0 = never).
  ChangeValue(const QString& text, int id, Value oldValue, Value newValue, Setter setter, int mergeKey = 0)
      : QUndoCommand(text), id_(id), mergeKey_(mergeKey), old_(std::move(oldValue)),
        new_(std::move(newValue)), set_(std::move(setter)) {}

  void undo() override { set_(old_); }
  void redo() override { set_(new_); }
  int id() const override { return mergeKey_ ? id_ : -1; }
  bool mergeWith(const QUndoCommand* other) override {
    const auto* o = dynamic_cast<const ChangeValue*>(other);
    if (!o || o->id_ != id_ || o->mergeKey_ != mergeKey_ || mergeKey_ == 0) return false;
    new_ = o->new_;
    return true;
  }

 private:
  int id_;
  int mergeKey_;
  Value old_, new_;
  Setter set_;
};

}  // namespace qid::ui
