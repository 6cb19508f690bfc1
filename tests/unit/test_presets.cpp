#include <catch2/catch.hpp>

#include "anime2vec/presets.hpp"
#include "anime2vec/tune.hpp"

using namespace anime2vec;

TEST_CASE("the similarity preset is the default options, scored by cosine, for any list") {
  REQUIRE(preset_names() == std::vector<std::string>{"similarity", "recommendation", "word2vec"});
  const Preset& preset = find_preset("similarity");
  const TrainOptions defaults;
  for (bool ordered : {true, false}) {
    const PresetSettings& s = preset.settings(ordered);
    CHECK_FALSE(s.io_scoring);
    CHECK(s.recency == 0);
    CHECK(describe_flags(s.options) == describe_flags(defaults));
    CHECK(s.options.window_mode == WindowMode::automatic);
  }
}

TEST_CASE("the recommendation preset ranks by input·output vectors, its window by the order") {
  const Preset& preset = find_preset("recommendation");
  // With timestamps: a wide window on both sides and a query over the recent past.
  const PresetSettings& timed = preset.settings(true);
  CHECK(&timed == &preset.timed);
  CHECK(timed.io_scoring);
  CHECK(timed.options.window_mode == WindowMode::fixed);
  CHECK_FALSE(timed.options.forward);
  CHECK(timed.recency > 0);
  CHECK_NOTHROW(timed.options.validate());
  // In file order: a short window looking forward, the query mostly the last item.
  const PresetSettings& untimed = preset.settings(false);
  CHECK(&untimed == &preset.untimed);
  CHECK(untimed.io_scoring);
  CHECK(untimed.options.forward);
  CHECK(untimed.options.window < timed.options.window);
  CHECK(untimed.recency < timed.recency);
  CHECK_NOTHROW(untimed.options.validate());
  CHECK_NOTHROW(check_recency(timed.recency));
  CHECK_NOTHROW(check_recency(untimed.recency));
}

TEST_CASE("the word2vec preset holds word2vec.c's classic settings") {
  const Preset& preset = find_preset("word2vec");
  CHECK(describe_flags(preset.timed.options) == describe_flags(preset.untimed.options));
  const TrainOptions& o = preset.timed.options;
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
  CHECK_FALSE(preset.timed.io_scoring);
  CHECK(preset.timed.recency == 0);
  CHECK_NOTHROW(o.validate());
}

TEST_CASE("an unknown preset is an error that lists the known ones") {
  CHECK_THROWS_WITH(find_preset("fast"),
                    "preset must be one of similarity, recommendation, word2vec, got 'fast'");
}
