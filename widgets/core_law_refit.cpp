// CoreLaw::refit: fits the law's family on measurement rows with the core's
// fitter (core/laws/law_fit.h). Nothing is computed here but the table.
#include "common/error.h"
#include "core_law.h"
#include "laws/law_fit.h"

namespace qid::ui {

LawPtr CoreLaw::refit(const QVector<MeasurementRow>& rows, int bootstrap) const {
  const auto nParams = law_.paramNames().size();
  qid::laws::DataTable table;
  table.source = "selection";
  for (const MeasurementRow& r : rows) {
    if (!(r.deltaQ > 0) || !(r.n > 0) || !(r.d > 0) || r.bits <= 0) continue;  // logs of these are taken
    table.addRow({{"N", r.n}, {"D", r.d}, {"P", double(r.bits)}, {"delta_q_loss", r.deltaQ}});
  }
  if (table.size() < nParams)
    throw qid::Error("a fit of " + law_.name + " needs at least " + std::to_string(nParams) +
                     " rows with positive N, D, bits and ΔqLoss, got " + std::to_string(table.size()));
  qid::laws::FitOptions options;
  options.bootstrap = bootstrap;
  const qid::laws::FitResult fit = qid::laws::fitLaw(law_.family, table, options);
  if (!fit.converged) throw qid::Error("the fit of " + law_.name + " did not converge: " + fit.message);
  qid::laws::Law fitted = fit.law;
  const std::string base = law_.name.size() > 6 && law_.name.ends_with(" (fit)") ? law_.name.substr(0, law_.name.size() - 6)
                                                                                : law_.name;
  fitted.name = base + " (fit)";
  fitted.title = law_.family->name() + " fitted on " + std::to_string(fit.points) + " points";
  fitted.citation = law_.citation;
  fitted.loss16 = law_.loss16;
  auto out = std::make_shared<CoreLaw>(fitted, loss16_);
  LawFitStats st;
  st.r2 = fit.r2Log;
  st.aic = fit.aic;
  st.bic = fit.bic;
  if (fit.cv.done) st.cvError = fit.cv.rmsError;
  st.points = fit.points;
  out->setStats(st);
  return out;
}

}  // namespace qid::ui
