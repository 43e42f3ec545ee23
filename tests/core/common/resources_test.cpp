#include <gtest/gtest.h>

#include "common/resources.h"

TEST(Resources, EmbedsTheBundledPresets) {
  auto presets = qid::resources::list("presets/");
  ASSERT_FALSE(presets.empty());
  for (const auto& p : presets) {
    auto data = qid::resources::find(p);
    ASSERT_TRUE(data.has_value()) << p;
    EXPECT_FALSE(data->empty()) << p;
  }
}

TEST(Resources, UnknownPathIsAbsent) {
  EXPECT_FALSE(qid::resources::find("presets/no-such-thing.json").has_value());
}
