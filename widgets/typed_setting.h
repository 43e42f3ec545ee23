#pragma once
// A typed, persisted setting with a dotted key, declared next to the code that
// uses it (the Tiled SessionOption<T> habit): no string keys scattered around.
#include <QSettings>
#include <QVariant>

namespace qid::ui {

template <typename T>
class Setting {
 public:
  Setting(const char* key, T defaultValue) : key_(key), default_(std::move(defaultValue)) {}

  T get() const {
    QSettings s;
    const QVariant v = s.value(QLatin1String(key_));
    if (!v.isValid() || !v.canConvert<T>()) return default_;
    return v.value<T>();
  }
  void set(const T& value) const {
    QSettings s;
    s.setValue(QLatin1String(key_), QVariant::fromValue(value));
  }
  operator T() const { return get(); }
  const char* key() const { return key_; }
  const T& defaultValue() const { return default_; }

 private:
  const char* key_;
  T default_;
};

}  // namespace qid::ui
