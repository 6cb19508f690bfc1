#include "options.hpp"

#include <cstdio>

#include "anime2vec/error.hpp"
#include "anime2vec/presets.hpp"
#include "io.hpp"

namespace anime2vec::cli {

RatingsOptions InputArgs::reading_options() const {
  RatingsOptions options = reading;
  if (!std::isnan(min_rating)) options.min_rating = min_rating;
  return options;
}

TrainOptions TrainingArgs::resolve() const {
  TrainOptions resolved = find_preset(preset).options;
  for (const auto& [flag, apply] : flags) {
    if (flag->count() > 0) apply(resolved);
  }
  resolved.validate();
  return resolved;
}

void add_input_options(CLI::App* app, InputArgs& a, bool with_corpus) {
  app->add_option("--ratings", a.ratings, "Ratings file (CSV or TSV with a header)")
      ->required();
  app->add_option("--items", a.items, "Catalogue of titles (anime.csv or movies.csv), optional");
  app->add_option("--min-rating", a.min_rating,
                  "Drop rows rated below this (also drops -1 'watched' rows); default: keep all");
  app->add_flag("--skip-bad-rows", a.reading.skip_bad_rows,
                "Skip malformed rows and report how many, instead of stopping at the first");
  app->add_option("--user-column", a.reading.columns.user, "Header name of the user column");
  app->add_option("--item-column", a.reading.columns.item, "Header name of the item column");
  app->add_option("--rating-column", a.reading.columns.rating, "Header name of the rating column");
  app->add_option("--time-column", a.reading.columns.timestamp,
                  "Header name of the timestamp column (orders each user's items)");
  if (!with_corpus) return;
  app->add_option("--min-user-items", a.corpus.min_user_interactions,
                  "Drop users with fewer items than this");
  app->add_option("--min-item-count", a.corpus.min_item_count,
                  "Drop items seen by fewer users than this");
}

std::string scoring_or_preset(const std::string& scoring, const TrainingArgs& a) {
  if (!scoring.empty()) return scoring;
  return find_preset(a.preset).io_scoring ? "io" : "cosine";
}

std::string scoring_flags(bool io_scoring, double recency) {
  char text[64];
  std::snprintf(text, sizeof text, " --scoring %s --recency %g", io_scoring ? "io" : "cosine",
                recency);
  return text;
}

void add_training_options(CLI::App* app, TrainingArgs& a, const std::string& preset) {
  a.preset = preset;
  TrainOptions& t = a.options;
  t = find_preset(a.preset).options;
  a.window_mode = window_mode_name(t.window_mode);
  std::string help = "Starting settings, which the flags below override:";
  for (const Preset& p : presets()) help += " " + p.name + " (" + p.summary + ");";
  help.back() = '.';
  help += " `anime2vec presets` lists each one's flags.";
  app->add_option("--preset", a.preset, help)->check(CLI::IsMember(preset_names()));
  // Each flag's field is copied into the preset only when the flag is given.
  auto flag = [&a](CLI::Option* option, std::function<void(TrainOptions&)> apply) {
    a.flags.emplace_back(option, std::move(apply));
  };
  flag(app->add_option("--dim", t.dimension, "Vector length"),
       [&t](TrainOptions& r) { r.dimension = t.dimension; });
  flag(app->add_option("--window", t.window, "Context reach on each side"),
       [&t](TrainOptions& r) { r.window = t.window; });
  flag(app->add_option("--window-mode", a.window_mode,
                       "auto (shrink with timestamps, else sequence), shrink (word2vec's random "
                       "shrink), fixed, or sequence (the whole user list)")
           ->check(CLI::IsMember({"auto", "shrink", "fixed", "sequence"})),
       [&a](TrainOptions& r) { r.window_mode = parse_window_mode(a.window_mode); });
  flag(app->add_option("--forward", t.forward,
                       "Contexts only after each item (true/false): with --scoring io the "
                       "model predicts what comes next"),
       [&t](TrainOptions& r) { r.forward = t.forward; });
  flag(app->add_option("--negatives", t.negatives, "Negative samples per pair"),
       [&t](TrainOptions& r) { r.negatives = t.negatives; });
  flag(app->add_option("--ns-exponent", t.ns_exponent,
                       "Negatives drawn by count^exponent (any real; negative favours rare "
                       "items)"),
       [&t](TrainOptions& r) { r.ns_exponent = t.ns_exponent; });
  flag(app->add_option("--subsample", t.subsample,
                       "Frequent-item subsampling threshold (0 = off)"),
       [&t](TrainOptions& r) { r.subsample = t.subsample; });
  flag(app->add_option("--epochs", t.epochs, "Passes over the data"),
       [&t](TrainOptions& r) { r.epochs = t.epochs; });
  flag(app->add_option("--lr", t.learning_rate, "Starting learning rate"),
       [&t](TrainOptions& r) { r.learning_rate = t.learning_rate; });
  flag(app->add_option("--min-lr", t.min_learning_rate, "Final learning rate"),
       [&t](TrainOptions& r) { r.min_learning_rate = t.min_learning_rate; });
  flag(app->add_option("--threads", t.threads,
                       "Worker threads; 1 gives the same result for the same seed"),
       [&t](TrainOptions& r) { r.threads = t.threads; });
  flag(app->add_option("--seed", t.seed, "Random seed"),
       [&t](TrainOptions& r) { r.seed = t.seed; });
}

Ratings read_ratings_file(const InputArgs& a, bool quiet) {
  Ratings ratings = load_ratings(a.ratings, a.reading_options());
  if (!quiet) {
    std::fprintf(stderr, "read %zu rows (%zu rated -1, %zu below --min-rating)\n",
                 ratings.rows_read, ratings.rows_watched, ratings.rows_below_min_rating);
    if (ratings.rows_skipped > 0) {
      std::fprintf(stderr, "skipped %zu malformed rows, first:\n", ratings.rows_skipped);
      for (const std::string& message : ratings.skipped_examples)
        std::fprintf(stderr, "  %s\n", message.c_str());
    }
  }
  return ratings;
}

Corpus make_corpus(const InputArgs& a, const Ratings& ratings, bool quiet) {
  Corpus corpus = build_corpus(ratings, a.corpus);
  if (!quiet) {
    std::fprintf(stderr,
                 "corpus: %zu users, %zu items, %zu tokens; dropped %zu repeated pairs, "
                 "%zu users, %zu items\n",
                 corpus.sequence_count(), corpus.vocab.size(), corpus.token_count(),
                 corpus.duplicates_dropped, corpus.users_dropped, corpus.items_dropped);
  }
  if (corpus.token_count() == 0)
    throw InputError(a.ratings + ": no interactions left to train on after filtering");
  return corpus;
}

}  // namespace anime2vec::cli
