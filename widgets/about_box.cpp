#include "about_box.h"

#include <QMessageBox>
#include <QObject>

namespace qid::ui {

QString aboutText() {
  return QObject::tr(
             "<h3>QiD Lab %1</h3>"
             "<p>Measures, fits and extrapolates quantization-induced degradation (ΔqLoss) of LLMs.</p>"
             "<p>Please cite the study whose laws QiD Lab implements:</p>"
             "<p>Xu Ouyang, Tao Ge, Thomas Hartvigsen, Zhisong Zhang, Haitao Mi, Dong Yu. "
             "<i>Low-Bit Quantization Favors Undertrained LLMs: Scaling Laws for Quantized LLMs with 100T "
             "Training Tokens.</i> ACL 2025. arXiv:2411.17691.</p>"
             "<p>Comparison law: Tanishq Kumar et al. <i>Scaling Laws for Precision.</i> arXiv:2411.04330, 2024.</p>")
      .arg(QStringLiteral(QIDLAB_VERSION));
}

void showAboutBox(QWidget* parent) { QMessageBox::about(parent, QObject::tr("About QiD Lab"), aboutText()); }

}  // namespace qid::ui
