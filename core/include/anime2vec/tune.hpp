#pragma once
// Choosing training settings on the validation split (EVAL.md §8): a coordinate search that
// moves one setting at a time from a starting point and keeps what raises validation NDCG@10.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "anime2vec/evaluate.hpp"
#include "anime2vec/skipgram.hpp"

namespace anime2vec {

/// A trained-and-scored setting.
struct TuneTrial {
  TrainOptions options;
  bool io_scoring = false;  ///< scored with input·output vectors instead of cosine
  double recency = 0;       ///< the next-item query's recency (see evaluate.hpp) that scored best
  EvalMetrics metrics;      ///< on the validation split, next-item query with that recency
  double seconds = 0;       ///< training time
};

struct TuneOptions {
  /// Stop starting new trials after this many seconds. Default 600.
  double budget_seconds = 600;

  /// Full passes over the settings at most; a pass that improves nothing also ends the search.
  int max_passes = 2;

  /// Try input·output scoring as one more setting. Default true.
  bool try_io_scoring = true;

  /// Score the starting point (and so the search, until io scoring is toggled) with
  /// input·output vectors. Default false (cosine of input vectors).
  bool start_io_scoring = false;

  /// Query recencies each trained model is scored with; a trial keeps the best. Scoring again
  /// costs no training. Empty means {0}, EVAL.md's last-item query.
  std::vector<double> recencies{0, 0.25, 0.5, 0.75};
};

/// Searches window mode, window, negative-sampling exponent, subsampling, epochs, dimension,
/// learning rate and negatives, one at a time, from `start`, on `validation` (one thread, the
/// start's seed). on_trial is called after every trial (for progress output). Returns every
/// trial; the best (highest NDCG@10, ties to the earlier) is first.
std::vector<TuneTrial> tune(const EvalSplit& validation, TrainOptions start,
                            const TuneOptions& options,
                            const std::function<void(const TuneTrial&, bool best)>& on_trial = {});

/// Flags for the anime2vec command that reproduce a trial's settings.
std::string describe_flags(const TrainOptions& options);

}  // namespace anime2vec
