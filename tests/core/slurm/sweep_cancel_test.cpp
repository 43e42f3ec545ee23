// cancelSweep against a scripted Slurm (fake_slurm.h): one scancel for the
// array's submissions (retries included), ended jobs are no error, and a
// failing scancel is reported with its message.
#include "slurm/sweep_cancel.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "fake_slurm.h"

using namespace qid::slurm;
using qid::test::FakeSlurm;

namespace {

qid::store::SlurmArrayRecord arrayWith(std::vector<std::string> jobIds) {
  qid::store::SlurmArrayRecord a;
  a.id = 7;
  a.planName = "tiny";
  a.arraySize = 3;
  for (const auto& id : jobIds) {
    qid::store::SlurmSubmission s;
    s.jobId = id;
    s.kind = a.submissions.empty() ? "submit" : "retry";
    a.submissions.push_back(s);
  }
  return a;
}

}  // namespace

TEST(SlurmCancel, CancelsTheSubmissionAndItsRetriesInOneScancel) {
  FakeSlurm slurm;
  auto res = cancelSweep(arrayWith({"100", "104"}), slurm.runner());
  ASSERT_EQ(slurm.commands.size(), 1u);
  EXPECT_EQ(slurm.commands[0], "scancel '100' '104'");
  EXPECT_EQ(res.jobIds, (std::vector<std::string>{"100", "104"}));
}

TEST(SlurmCancel, AJobThatHasAlreadyEndedIsNoError) {
  FakeSlurm slurm;
  slurm.scancelRc = 1;
  slurm.scancelOutput = "scancel: error: Kill job error on job id 100: Job/step already completing or completed\n";
  auto res = cancelSweep(arrayWith({"100"}), slurm.runner());
  EXPECT_NE(res.output.find("already completing"), std::string::npos);
  slurm.scancelOutput = "scancel: error: Kill job error on job id 100: Invalid job id specified\n";
  EXPECT_NO_THROW(cancelSweep(arrayWith({"100"}), slurm.runner()));
}

TEST(SlurmCancel, AFailingScancelSaysWhy) {
  FakeSlurm slurm;
  slurm.scancelRc = 1;
  slurm.scancelOutput = "scancel: error: Unable to contact slurm controller (connect failure)\n";
  try {
    cancelSweep(arrayWith({"100"}), slurm.runner());
    FAIL() << "no error";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("Unable to contact slurm controller"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("exit 1"), std::string::npos) << e.what();
  }
  // A record without a submission names the array.
  try {
    cancelSweep(arrayWith({}), slurm.runner());
    FAIL() << "no error";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("#7"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurm.commands.size(), 1u);  // the empty record ran nothing
}
