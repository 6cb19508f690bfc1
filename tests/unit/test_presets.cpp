#include <catch2/catch.hpp>

#include "anime2vec/presets.hpp"

using namespace anime2vec;

TEST_CASE("the recommendation preset is the default options and comes first") {
  REQUIRE(preset_names().size() == 2);
  CHECK(preset_names().front() == "recommendation");
  const TrainOptions preset = preset_options("recommendation");
  const TrainOptions defaults;
  CHECK(preset.dimension == defaults.dimension);
  CHECK(preset.window == defaults.window);
  CHECK(preset.window_mode == defaults.window_mode);
  CHECK(preset.negatives == defaults.negatives);
  CHECK(preset.ns_exponent == defaults.ns_exponent);
  CHECK(preset.subsample == defaults.subsample);
  CHECK(preset.epochs == defaults.epochs);
  CHECK(preset.learning_rate == defaults.learning_rate);
}

TEST_CASE("the word2vec preset holds word2vec.c's classic settings") {
  const TrainOptions o = preset_options("word2vec");
  CHECK(o.dimension == 100);
  CHECK(o.window == 5);
  CHECK(o.window_mode == WindowMode::shrink);
  CHECK(o.negatives == 5);
  CHECK(o.ns_exponent == 0.75);
  CHECK(o.subsample == 1e-3);
  CHECK(o.epochs == 5);
  CHECK(o.learning_rate == 0.025f);
  CHECK(o.min_learning_rate == 0.0001f);
  CHECK_NOTHROW(o.validate());
}

TEST_CASE("an unknown preset is an error that lists the known ones") {
  CHECK_THROWS_WITH(preset_options("fast"),
                    "preset must be one of recommendation, word2vec, got 'fast'");
}
