#pragma once
// Each chart is a pure function of the session: it asks the core laws for
// values and lays them out as a PlotSpec. No fitting or formulas here.
#include "plot_spec.h"

namespace qid::ui {

class ProjectSession;

PlotSpec tokensChart(const ProjectSession& s);  // ΔqLoss vs D with the handle (Fig 1, 3)
PlotSpec sizeChart(const ProjectSession& s);    // ΔqLoss vs N at the handle's D (Fig 4)
PlotSpec bitsChart(const ProjectSession& s);    // ΔqLoss vs P at the handle's D (Fig 5)
PlotSpec lossQChart(const ProjectSession& s);   // Loss_q = Loss16 + ΔqLoss vs D (Fig 7)
PlotSpec mapChart(const ProjectSession& s);     // the training-level map, N x D coloured by ΔqLoss (Fig 11)
PlotSpec predictedChart(const ProjectSession& s);  // the law's ΔqLoss vs the measured one (Fig 10 right)
PlotSpec fluctuationChart(const ProjectSession& s);  // boxes of |ΔW| and |Q(W) − W| per checkpoint (Fig 12)
PlotSpec fluctuationRatioChart(const ProjectSession& s);  // ΔqLoss vs the fluctuation ratio, Spearman ρ
// What the fluctuation charts say when the project has no fluctuation rows.
QString noFluctuationMessage();

// By name: "tokens", "size", "bits", "lossq", "map", "predicted", "fluctuation",
// "fluctuation_ratio". Unknown names give tokens.
PlotSpec chartByName(const QString& name, const ProjectSession& s);
QStringList chartNames();

// The shaded region x in [from, to] where the law extrapolates beyond the
// range it was fitted on (a Band from the bottom of the plot).
PlotSeries extrapolationRegion(double from, double to, double yMin, const QString& label);

// n points spaced evenly in log10 between lo and hi (inclusive).
QVector<double> logSpace(double lo, double hi, int n);

}  // namespace qid::ui
