#include "curve_controls.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

#include "project_session.h"
#include "size_text.h"

namespace qid::ui {

CurveControls::CurveControls(ProjectSession* session, QWidget* parent)
    : QWidget(parent), session_(session), sizes_(new QLineEdit(this)), bits_(new QLineEdit(this)),
      horizon_(new QLineEdit(this)) {
  sizes_->setToolTip(tr("Hypothetical model sizes drawn from the law, e.g. 7B, 70B, 405B"));
  bits_->setToolTip(tr("Bit widths, e.g. 2, 3, 4"));
  horizon_->setToolTip(tr("Extrapolation horizon in tokens (or drag the handle in the chart)"));
  sizes_->setMinimumWidth(150);
  bits_->setMaximumWidth(80);
  horizon_->setMaximumWidth(90);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 0, 4, 0);
  layout->addWidget(new QLabel(tr("Sizes:"), this));
  layout->addWidget(sizes_);
  layout->addWidget(new QLabel(tr("Bits:"), this));
  layout->addWidget(bits_);
  layout->addWidget(new QLabel(tr("Horizon D:"), this));
  layout->addWidget(horizon_);

  connect(sizes_, &QLineEdit::editingFinished, this, [this] {
    if (auto v = parseSizeList(sizes_->text())) {
      session_->setSizes(*v);
    } else {
      emit message(tr("Cannot read the sizes '%1'; write them like 7B, 70B, 405B").arg(sizes_->text()));
      refreshFields();
    }
  });
  connect(bits_, &QLineEdit::editingFinished, this, [this] {
    QVector<int> bits;
    for (const QString& part : bits_->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
      bool ok = false;
      const int b = part.trimmed().toInt(&ok);
      if (!ok || b < 1 || b > 16) {
        emit message(tr("Cannot read the bit widths '%1'; write them like 2, 3, 4").arg(bits_->text()));
        refreshFields();
        return;
      }
      bits.push_back(b);
    }
    session_->setBits(bits);
  });
  connect(horizon_, &QLineEdit::editingFinished, this, [this] {
    bool ok = false;
    const double d = horizon_->text().toDouble(&ok);
    if (ok && d > 0) {
      session_->moveHandle(d);
    } else {
      emit message(tr("Cannot read the horizon '%1'; write it like 1e14").arg(horizon_->text()));
    }
    refreshFields();
  });
  connect(session_, &ProjectSession::curvesChanged, this, &CurveControls::refreshFields);
  connect(session_, &ProjectSession::handleMoved, this, &CurveControls::refreshFields);
  refreshFields();
}

void CurveControls::refreshFields() {
  QStringList s, b;
  for (double n : session_->sizes()) s << sizeText(n);
  for (int x : session_->bits()) b << QString::number(x);
  sizes_->setText(s.join(QLatin1String(", ")));
  bits_->setText(b.join(QLatin1String(", ")));
  horizon_->setText(QString::number(session_->handleTokens(), 'e', 2));
}

}  // namespace qid::ui
