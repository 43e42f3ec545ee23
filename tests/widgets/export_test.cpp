// Exports go through one paint routine to PNG, SVG and PDF with the style's
// physical size; the plotted data also exports as CSV and a matplotlib script.
#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QRegularExpression>

#include <QApplication>
#include <QPainter>

#include "chart_builders.h"
#include "chart_canvas.h"
#include "extrapolation_handle.h"
#include "common/error.h"
#include "figure_export.h"
#include "plot_data_export.h"
#include "project_loader.h"
#include "project_session.h"
#include "test_support.h"

namespace qid::ui {
namespace {

class Export : public ::testing::Test {
 protected:
  void SetUp() override {
    loadPaperProject(session);
    spec = tokensChart(session);
  }
  QString path(const char* name) const { return QString::fromStdString((dir / name).string()); }
  static QByteArray read(const QString& p) {
    QFile f(p);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
  }
  ProjectSession session;
  PlotSpec spec;
  qid::test::TempDir dir;
};

TEST_F(Export, PngHasTheStylesSizeAtTheRequestedDpi) {
  const ExportStyle single = exportStyle(QStringLiteral("single"));
  exportFigure(spec, single, path("fig.png"), 300);
  QImage img(path("fig.png"));
  ASSERT_FALSE(img.isNull());
  EXPECT_EQ(img.width(), qRound(3.5 * 300));
  EXPECT_EQ(img.height(), qRound(single.heightIn * 300));
  EXPECT_NEAR(img.dotsPerMeterX() * 0.0254, 300, 1);
  // Something was drawn: a good share of the pixels are not white.
  int inked = 0;
  for (int y = 0; y < img.height(); y += 4)
    for (int x = 0; x < img.width(); x += 4) inked += img.pixel(x, y) != qRgb(255, 255, 255);
  EXPECT_GT(inked, img.width() * img.height() / 16 / 20);

  exportFigure(spec, exportStyle(QStringLiteral("double")), path("wide.png"), 150);
  EXPECT_EQ(QImage(path("wide.png")).width(), qRound(7.0 * 150));
}

TEST_F(Export, SvgIsValidAndHasThePhysicalWidth) {
  exportFigure(spec, exportStyle(QStringLiteral("single")), path("fig.svg"));
  const QByteArray svg = read(path("fig.svg"));
  ASSERT_TRUE(svg.startsWith("<?xml"));
  EXPECT_TRUE(svg.contains("<svg"));
  EXPECT_TRUE(svg.trimmed().endsWith("</svg>"));
  const auto m = QRegularExpression(QStringLiteral("width=\"([0-9.]+)mm\"")).match(QString::fromUtf8(svg));
  ASSERT_TRUE(m.hasMatch());
  EXPECT_NEAR(m.captured(1).toDouble(), 3.5 * 25.4, 0.2);
  EXPECT_TRUE(svg.contains("Training tokens D"));  // text stays text
}

TEST_F(Export, PdfIsValidWithThePageSizeOfTheStyle) {
  const ExportStyle dbl = exportStyle(QStringLiteral("double"));
  exportFigure(spec, dbl, path("fig.pdf"), 300);
  const QByteArray pdf = read(path("fig.pdf"));
  ASSERT_TRUE(pdf.startsWith("%PDF-"));
  EXPECT_TRUE(pdf.trimmed().endsWith("%%EOF"));
  const auto m = QRegularExpression(QStringLiteral("/MediaBox \\[\\s*0 0 ([0-9.]+) ([0-9.]+)")).match(QString::fromLatin1(pdf));
  ASSERT_TRUE(m.hasMatch());
  EXPECT_NEAR(m.captured(1).toDouble(), 7.0 * 72, 1);
  EXPECT_NEAR(m.captured(2).toDouble(), dbl.heightIn * 72, 1);
}

TEST_F(Export, HandleAndSelectionAreHiddenWhileExporting) {
  ChartCanvas canvas;
  canvas.resize(700, 500);
  canvas.setSpec(spec);
  canvas.show();
  QApplication::processEvents();
  auto render = [&](ChartCanvas& c) {
    QImage img(700, 500, QImage::Format_ARGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    c.exportPaint(&p, QRectF(0, 0, 700, 500));
    return img;
  };
  const QImage clean = render(canvas);
  QSet<qint64> ids;
  for (const PlotSeries& s : spec.series) ids += QSet<qint64>(s.ids.begin(), s.ids.end());
  canvas.setHighlighted(ids);
  ASSERT_TRUE(canvas.handle()->isVisible());
  EXPECT_EQ(render(canvas), clean);  // neither the handle nor the selection reach the file
  EXPECT_TRUE(canvas.handle()->isVisible());  // and the screen gets them back
}

TEST_F(Export, StylePresetsAreColumnWidthsWithReadableFonts) {
  EXPECT_DOUBLE_EQ(exportStyle(QStringLiteral("single")).widthIn, 3.5);
  EXPECT_DOUBLE_EQ(exportStyle(QStringLiteral("double")).widthIn, 7.0);
  for (const QString& n : exportStyleNames()) EXPECT_GE(exportStyle(n).fontPt, 7) << n.toStdString();
}

TEST_F(Export, RejectsUnknownFormatsAndDpi) {
  EXPECT_THROW(exportFigure(spec, exportStyle(QStringLiteral("single")), path("fig.bmp")), qid::Error);
  EXPECT_THROW(exportFigure(spec, exportStyle(QStringLiteral("single")), path("fig.png"), 5), qid::Error);
}

TEST_F(Export, CsvAndScriptCarryThePlottedData) {
  const QString csv = plotCsv(spec);
  EXPECT_TRUE(csv.startsWith(QStringLiteral("series,kind,x,y\n")));
  EXPECT_TRUE(csv.contains(QStringLiteral("\"7B, 2-bit\",line,")));
  EXPECT_TRUE(csv.contains(QStringLiteral("handle,vline,1e+14")));
  int lines = csv.count(QLatin1Char('\n'));
  int points = 1;  // the handle line
  for (const PlotSeries& s : spec.series) points += s.points.size();
  EXPECT_EQ(lines, points + 1);
  const QString py = matplotlibScript(spec, exportStyle(QStringLiteral("single")), QStringLiteral("fig.pdf"));
  EXPECT_TRUE(py.contains(QStringLiteral("ax.set_xscale('log')")));
  EXPECT_TRUE(py.contains(QStringLiteral("fill_between")));
  EXPECT_TRUE(py.contains(QStringLiteral("fig.savefig('fig.pdf')")));
}

}  // namespace
}  // namespace qid::ui
