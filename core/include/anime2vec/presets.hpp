#pragma once
// Named training settings, each with the scoring it is meant for.
//
// Two uses pull the settings apart. Neighbours and maps want items watched by the same people
// to sit together, whatever the order of a user's list: cosine of input vectors trained on the
// whole list. A next-item recommender wants what people watch near this item in their order:
// a fixed window scored input·output (the model's own prediction of a context) ranks that far
// better, but its input vectors then also encode list position, which on a file without
// timestamps (the Kaggle anime file lists each user's items by id) means neighbouring ids.
//
// What "next" means differs with the file, so a preset may hold two settings. With timestamps
// the next item is the next one watched and the recent past predicts it. Without them it is
// the next in file order, which for the Kaggle anime file is the next id: on MyAnimeList ids
// follow the order titles were added, so a sequel comes after its original, and a short
// window that looks forward learns what follows a title.

#include <string>
#include <vector>

#include "anime2vec/skipgram.hpp"

namespace anime2vec {

/// What a preset sets for one kind of input.
struct PresetSettings {
  TrainOptions options;
  bool io_scoring = false;  ///< rank by input·output vectors rather than cosine of inputs
  double recency = 0;       ///< the next-item query's recency (evaluate.hpp); 0: last item
};

struct Preset {
  std::string name;
  std::string summary;     ///< one line for --help and the page
  PresetSettings timed;    ///< for users' lists in timestamp order
  PresetSettings untimed;  ///< for lists in file order (no timestamp column)

  /// timed or untimed, as the data's lists follow timestamps (Corpus::ordered) or not.
  const PresetSettings& settings(bool ordered) const { return ordered ? timed : untimed; }
};

/// similarity (TrainOptions{}: neighbours, maps; the default of train and the page),
/// recommendation (chosen on shared/EVAL.md's validation split for next-item ranking; the
/// default of evaluate and tune), word2vec (word2vec.c's and gensim's classic settings).
const std::vector<Preset>& presets();

/// The preset names in the order of presets().
std::vector<std::string> preset_names();

/// The preset of that name; any other name is std::invalid_argument listing the names.
const Preset& find_preset(const std::string& name);

}  // namespace anime2vec
