#pragma once
// Named training settings, each with the scoring it is meant for.
//
// Two uses pull the settings apart. Neighbours and maps want items watched by the same people
// to sit together, whatever the order of a user's list: cosine of input vectors trained on the
// whole list. A next-item recommender wants what people watch after an item: a window that
// looks forward only, scored input·output (the model's own prediction of a context), with the
// query drawn from the last few items rather than the last alone. Its input vectors then also
// encode list position, which on a file without timestamps (the Kaggle anime file lists each
// user's items by id) means neighbouring ids; that is why it is not the default of the map.

#include <string>
#include <vector>

#include "anime2vec/skipgram.hpp"

namespace anime2vec {

struct Preset {
  std::string name;
  std::string summary;  ///< one line for --help and the page
  TrainOptions options;
  bool io_scoring = false;  ///< rank by input·output vectors rather than cosine of inputs
  double recency = 0;       ///< the next-item query's recency (evaluate.hpp); 0: last item
};

/// similarity (TrainOptions{}: neighbours, maps; the default of train and the page),
/// recommendation (chosen on shared/EVAL.md's validation splits for next-item ranking; the
/// default of evaluate and tune), word2vec (word2vec.c's and gensim's classic settings).
const std::vector<Preset>& presets();

/// The preset names in the order of presets().
std::vector<std::string> preset_names();

/// The preset of that name; any other name is std::invalid_argument listing the names.
const Preset& find_preset(const std::string& name);

}  // namespace anime2vec
