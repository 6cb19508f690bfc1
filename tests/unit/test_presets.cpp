#include <catch2/catch.hpp>

#include "anime2vec/presets.hpp"

using namespace anime2vec;

TEST_CASE("the similarity preset is the default options, scored by cosine") {
  REQUIRE(preset_names() == std::vector<std::string>{"similarity", "recommendation", "word2vec"});
  const Preset& preset = find_preset("similarity");
  const TrainOptions defaults;
  CHECK_FALSE(preset.io_scoring);
  CHECK(preset.options.dimension == defaults.dimension);
  CHECK(preset.options.window == defaults.window);
  CHECK(preset.options.window_mode == defaults.window_mode);
  CHECK(preset.options.forward == defaults.forward);
  CHECK(preset.options.negatives == defaults.negatives);
  CHECK(preset.options.ns_exponent == defaults.ns_exponent);
  CHECK(preset.options.subsample == defaults.subsample);
  CHECK(preset.options.epochs == defaults.epochs);
  CHECK(preset.options.learning_rate == defaults.learning_rate);
}

TEST_CASE("the recommendation preset uses a fixed window and ranks by input·output vectors") {
  const Preset& preset = find_preset("recommendation");
  CHECK(preset.io_scoring);
  CHECK(preset.options.window_mode == WindowMode::fixed);
  CHECK_NOTHROW(preset.options.validate());
}

TEST_CASE("the word2vec preset holds word2vec.c's classic settings") {
  const TrainOptions o = preset_options("word2vec");
  CHECK(o.dimension == 100);
  CHECK(o.window == 5);
  CHECK(o.window_mode == WindowMode::shrink);
  CHECK_FALSE(o.forward);
  CHECK(o.negatives == 5);
  CHECK(o.ns_exponent == 0.75);
  CHECK(o.subsample == 1e-3);
  CHECK(o.epochs == 5);
  CHECK(o.learning_rate == 0.025f);
  CHECK(o.min_learning_rate == 0.0001f);
  CHECK_FALSE(find_preset("word2vec").io_scoring);
  CHECK_NOTHROW(o.validate());
}

TEST_CASE("an unknown preset is an error that lists the known ones") {
  CHECK_THROWS_WITH(preset_options("fast"),
                    "preset must be one of similarity, recommendation, word2vec, got 'fast'");
}
