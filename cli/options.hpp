#pragma once
// Command-line options shared by the subcommands that read ratings and train.

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "anime2vec/corpus.hpp"
#include "anime2vec/ratings.hpp"
#include "anime2vec/skipgram.hpp"

namespace anime2vec::cli {

/// Where the ratings come from and how they are read and filtered.
struct InputArgs {
  std::string ratings;
  std::string items;
  RatingsOptions reading;
  double min_rating = NAN;
  CorpusOptions corpus;

  /// The reading options with --min-rating applied.
  RatingsOptions reading_options() const;
};

/// Training options as flags: a preset, and any flag given explicitly overriding its field.
/// window_mode is kept as text until resolve().
struct TrainingArgs {
  std::string preset = "similarity";
  TrainOptions options;  ///< the flags' values; their defaults are the default preset's
  std::string window_mode = "auto";

  /// The flags registered by add_training_options, each with how it sets its field.
  std::vector<std::pair<const CLI::Option*, std::function<void(TrainOptions&)>>> flags;

  /// The preset with the explicitly given flags applied, every field validated.
  TrainOptions resolve() const;
};

/// --ratings, --items, --min-rating, --skip-bad-rows, column names; with_corpus adds the
/// corpus filters (--min-user-items, --min-item-count).
void add_input_options(CLI::App* app, InputArgs& args, bool with_corpus = true);

/// --preset (default `preset`), --dim, --window, --window-mode, --forward, --negatives,
/// --ns-exponent, --subsample, --epochs, --lr, --min-lr, --threads, --seed.
void add_training_options(CLI::App* app, TrainingArgs& args,
                          const std::string& preset = "similarity");

/// "io" or "cosine": the given --scoring, or else the preset's.
std::string scoring_or_preset(const std::string& scoring, const TrainingArgs& args);

/// " --scoring io|cosine --recency R": the flags of `evaluate` that say how a model is ranked.
std::string scoring_flags(bool io_scoring, double recency);

/// Reads the ratings and prints what was read and skipped to stderr unless quiet.
Ratings read_ratings_file(const InputArgs& args, bool quiet);

/// Builds the training corpus and prints its summary to stderr unless quiet. Throws when no
/// interactions are left.
Corpus make_corpus(const InputArgs& args, const Ratings& ratings, bool quiet);

}  // namespace anime2vec::cli
