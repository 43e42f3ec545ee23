#include "core_law.h"

#include <cmath>
#include <limits>

#include "common/error.h"
#include "laws/law_predict.h"

namespace qid::ui {

namespace {

void findSlots(const qid::laws::Law& l, int* where) {
  const auto vars = l.family->variables();
  const char* names[3] = {"N", "D", "P"};
  for (int k = 0; k < 3; ++k) {
    where[k] = -1;
    for (size_t i = 0; i < vars.size(); ++i)
      if (vars[i] == names[k]) where[k] = int(i);
  }
}

}  // namespace

CoreLaw::CoreLaw(qid::laws::Law law) : law_(std::move(law)) {
  try {
    loss16_ = qid::laws::pairedLoss16(law_);
  } catch (const qid::Error&) {
    loss16_.reset();  // a missing companion only removes Loss_q, not the law
  }
  findSlots(law_, where_);
  if (loss16_) findSlots(*loss16_, l16where_);
}

CoreLaw::CoreLaw(qid::laws::Law law, std::optional<qid::laws::Law> loss16)
    : law_(std::move(law)), loss16_(std::move(loss16)) {
  findSlots(law_, where_);
  if (loss16_) findSlots(*loss16_, l16where_);
}

QString CoreLaw::name() const { return QString::fromStdString(law_.name); }
QString CoreLaw::family() const { return QString::fromStdString(law_.family->name()); }
QString CoreLaw::title() const { return QString::fromStdString(law_.title.empty() ? law_.name : law_.title); }
QString CoreLaw::citation() const { return QString::fromStdString(law_.citation); }

double CoreLaw::eval(const qid::laws::Law& l, const int* where, double n, double d, double p) const {
  // The family's own evaluation with the variables in its order: this runs
  // thousands of times per handle drag, so it skips Law::evaluate's map.
  const auto nvars = l.family->variables().size();
  double x[8] = {0};
  if (nvars > 8 || !l.complete()) return std::numeric_limits<double>::quiet_NaN();
  const double in[3] = {n, d, p};
  for (int k = 0; k < 3; ++k)
    if (where[k] >= 0) x[where[k]] = in[k];
  return l.family->evaluate(l.params.data(), x);
}

double CoreLaw::deltaQ(double n, double d, double p) const { return eval(law_, where_, n, d, p); }

std::optional<double> CoreLaw::loss16(double n, double d) const {
  if (!loss16_) return std::nullopt;
  const double v = eval(*loss16_, l16where_, n, d, 0);
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> CoreLaw::tokensFor(double target, double n, double p) const {
  try {
    return law_.inverse(target, {{"N", n}, {"P", p}});
  } catch (const qid::Error&) {
    return std::nullopt;
  }
}

std::optional<std::pair<double, double>> CoreLaw::interval(double n, double d, double p) const {
  if (law_.samples.empty()) return std::nullopt;
  try {
    const auto iv = law_.predictionInterval({{"N", n}, {"D", d}, {"P", p}}, law_.ciLevel);
    if (!iv) return std::nullopt;
    return std::make_pair(iv->lo, iv->hi);
  } catch (const qid::Error&) {
    return std::nullopt;
  }
}

std::optional<std::pair<double, double>> CoreLaw::fittedRange(const QString& variable) const {
  const auto it = law_.range.find(variable.toStdString());
  if (it == law_.range.end() || !(it->second.hi > 0)) return std::nullopt;
  return std::make_pair(it->second.lo, it->second.hi);
}

const qid::laws::Law* coreLawOf(const LawRef* law) {
  const auto* core = dynamic_cast<const CoreLaw*>(law);
  return core ? &core->law() : nullptr;
}

QVector<LawParam> CoreLaw::params() const {
  QVector<LawParam> out;
  const auto names = law_.paramNames();
  for (size_t i = 0; i < names.size(); ++i) {
    LawParam p;
    p.name = QString::fromStdString(names[i]);
    p.value = i < law_.params.size() ? law_.params[i] : std::numeric_limits<double>::quiet_NaN();
    if (i < law_.ci.size() && law_.ci[i]) {
      p.lo = law_.ci[i]->lo;
      p.hi = law_.ci[i]->hi;
    }
    out.push_back(p);
  }
  return out;
}

LawPtr CoreLaw::withParam(const QString& pname, double value) const {
  qid::laws::Law copy = law_;
  const auto names = copy.paramNames();
  for (size_t i = 0; i < names.size() && i < copy.params.size(); ++i) {
    if (QString::fromStdString(names[i]) != pname) continue;
    copy.params[i] = value;
    if (i < copy.ci.size()) copy.ci[i].reset();  // the interval no longer belongs to the value
    copy.samples.clear();
  }
  auto out = std::make_shared<CoreLaw>(copy, loss16_);
  return out;
}

QVector<LawPtr> chartablePresets() {
  QVector<LawPtr> out;
  for (const std::string& name : qid::laws::presetNames()) {
    try {
      qid::laws::Law l = qid::laws::loadLaw(name);
      const auto vars = l.family->variables();
      const bool nDP = vars.size() == 3 && l.complete() &&
                       l.family->quantity() == qid::laws::Quantity::DeltaQLoss;
      if (nDP) out.push_back(std::make_shared<CoreLaw>(std::move(l)));
    } catch (const qid::Error&) {
      // A broken preset is reported by `qidlab-cli laws`; the GUI skips it.
    }
  }
  return out;
}

}  // namespace qid::ui
