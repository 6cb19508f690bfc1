#pragma once
// Named training settings. TrainOptions' own defaults are the "recommendation" preset; the
// "word2vec" preset is the classic setting of word2vec.c and gensim, for comparison.

#include <string>
#include <vector>

#include "anime2vec/skipgram.hpp"

namespace anime2vec {

/// The preset names, the default first.
const std::vector<std::string>& preset_names();

/// The options of a preset: "recommendation" is TrainOptions{}, chosen on the validation split
/// of shared/EVAL.md (bench/RESULTS.md has the figures); "word2vec" is dimension 100, a
/// shrinking window of 5, 5 negatives, exponent 0.75, subsampling 1e-3, 5 epochs, learning rate
/// 0.025 to 0.0001. Any other name is std::invalid_argument listing the names.
TrainOptions preset_options(const std::string& name);

}  // namespace anime2vec
