#include "anime2vec/presets.hpp"

#include <stdexcept>

namespace anime2vec {

namespace {

TrainOptions word2vec_options() {
  TrainOptions o;
  o.dimension = 100;
  o.window = 5;
  o.window_mode = WindowMode::shrink;
  o.negatives = 5;
  o.ns_exponent = 0.75;
  o.subsample = 1e-3;
  o.epochs = 5;
  o.learning_rate = 0.025f;
  o.min_learning_rate = 0.0001f;
  return o;
}

// Chosen on the validation splits of the two samples in shared/data, movielens (timestamps)
// and the Kaggle anime file (none); the figures and the commands are in bench/RESULTS.md.
PresetSettings recommendation_timed() {
  PresetSettings s;
  s.options.window_mode = WindowMode::fixed;
  s.options.window = 12;
  s.options.ns_exponent = 0.25;
  s.options.subsample = 0;
  s.options.epochs = 20;
  s.io_scoring = true;
  s.recency = 0.75;
  return s;
}

PresetSettings recommendation_untimed() {
  PresetSettings s;
  s.options.window_mode = WindowMode::fixed;
  s.options.window = 5;
  s.options.forward = true;
  s.options.ns_exponent = 0;
  s.options.subsample = 0;
  s.options.epochs = 20;
  s.io_scoring = true;
  s.recency = 0.25;
  return s;
}

PresetSettings same(const TrainOptions& options) { return PresetSettings{options, false, 0}; }

}  // namespace

const std::vector<Preset>& presets() {
  static const std::vector<Preset> all{
      {"similarity", "neighbours and maps: items watched by the same people sit together",
       same(TrainOptions{}), same(TrainOptions{})},
      {"recommendation",
       "next-item recommendation, ranked by input·output vectors: with timestamps a wide "
       "window and a query over the recent past; without, a short window looking forward",
       recommendation_timed(), recommendation_untimed()},
      {"word2vec", "the classic word2vec.c and gensim settings, for comparison",
       same(word2vec_options()), same(word2vec_options())},
  };
  return all;
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const Preset& p : presets()) names.push_back(p.name);
  return names;
}

const Preset& find_preset(const std::string& name) {
  std::string known;
  for (const Preset& p : presets()) {
    if (p.name == name) return p;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  throw std::invalid_argument("preset must be one of " + known + ", got '" + name + "'");
}

}  // namespace anime2vec
