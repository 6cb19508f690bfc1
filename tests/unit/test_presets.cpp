#include <catch2/catch.hpp>

#include "anime2vec/evaluate.hpp"
#include "anime2vec/presets.hpp"
#include "anime2vec/tune.hpp"

using namespace anime2vec;

TEST_CASE("the similarity preset is the default options, scored by cosine of the last item") {
  REQUIRE(preset_names() == std::vector<std::string>{"similarity", "recommendation", "word2vec"});
  const Preset& preset = find_preset("similarity");
  CHECK_FALSE(preset.io_scoring);
  CHECK(preset.recency == 0);
  CHECK(describe_flags(preset.options) == describe_flags(TrainOptions{}));
}

TEST_CASE("the recommendation preset looks forward and ranks by input·output vectors") {
  const Preset& preset = find_preset("recommendation");
  CHECK(preset.io_scoring);
  CHECK(preset.options.forward);
  CHECK(preset.options.window_mode != WindowMode::sequence);
  CHECK(preset.recency > 0);
  CHECK_NOTHROW(check_recency(preset.recency));
  CHECK_NOTHROW(preset.options.validate());
}

TEST_CASE("the word2vec preset holds word2vec.c's classic settings") {
  const Preset& preset = find_preset("word2vec");
  const TrainOptions& o = preset.options;
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
  CHECK_FALSE(preset.io_scoring);
  CHECK(preset.recency == 0);
  CHECK_NOTHROW(o.validate());
}

TEST_CASE("an unknown preset is an error that lists the known ones") {
  CHECK_THROWS_WITH(find_preset("fast"),
                    "preset must be one of similarity, recommendation, word2vec, got 'fast'");
}
