#include "anime2vec/presets.hpp"

#include <stdexcept>

namespace anime2vec {

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names{"recommendation", "word2vec"};
  return names;
}

TrainOptions preset_options(const std::string& name) {
  if (name == "recommendation") return TrainOptions{};
  if (name == "word2vec") {
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
  std::string known;
  for (const std::string& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("preset must be one of " + known + ", got '" + name + "'");
}

}  // namespace anime2vec
