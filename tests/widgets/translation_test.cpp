// The zh_CN translation is compiled into the resources (qt_add_translations)
// and translates the interface.
#include <gtest/gtest.h>

#include <QApplication>
#include <QFile>
#include <QTranslator>

#include "language.h"
#include "sweep_job.h"

namespace qid::ui {
namespace {

TEST(Translation, ZhCnIsCompiledIn) {
  EXPECT_TRUE(QFile::exists(QStringLiteral(":/i18n/qidlab_zh_CN.qm")));
  QTranslator t;
  ASSERT_TRUE(t.load(QStringLiteral(":/i18n/qidlab_zh_CN.qm")));
  EXPECT_FALSE(t.isEmpty());
}

TEST(Translation, ZhCnTranslatesTheInterface) {
  ASSERT_TRUE(installTranslators(*qApp, QStringLiteral("zh_CN")));
  EXPECT_EQ(QCoreApplication::translate("qid::ui::MainWindow", "Law inspector"), QStringLiteral("定律检查器"));
  EXPECT_EQ(QCoreApplication::translate("qid::ui::Charts", "Training tokens D"), QStringLiteral("训练词元数 D"));
  EXPECT_EQ(SweepJob::stateText(SweepJob::State::Paused), QStringLiteral("已暂停"));
  EXPECT_EQ(QCoreApplication::translate("qid::ui::Charts", "Weight fluctuation (Figure 12)"), QStringLiteral("权重波动（图 12）"));
  EXPECT_EQ(QCoreApplication::translate("qid::ui::MainWindow", "Run the micro-suite &demo…"), QStringLiteral("运行微型套件演示(&D)…"));
  EXPECT_EQ(QCoreApplication::translate("qid::ui::SlurmJobRow", "Retry"), QStringLiteral("重试"));
  removeTranslators();
  EXPECT_EQ(QCoreApplication::translate("qid::ui::MainWindow", "Law inspector"), QStringLiteral("Law inspector"));
}

TEST(Translation, UnknownLanguageFallsBackToEnglish) {
  EXPECT_FALSE(installTranslators(*qApp, QStringLiteral("xx_XX")));
  EXPECT_EQ(QCoreApplication::translate("qid::ui::MainWindow", "Law inspector"), QStringLiteral("Law inspector"));
  removeTranslators();
}

}  // namespace
}  // namespace qid::ui
