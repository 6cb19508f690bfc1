// The anime2vec command: sample, train, similar, recommend, presets, evaluate, tune, project.
// A thin layer over the core: it opens files, parses flags, draws progress and prints; every
// computation is in core/.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "anime2vec/catalogue.hpp"
#include "anime2vec/corpus.hpp"
#include "anime2vec/embeddings.hpp"
#include "anime2vec/error.hpp"
#include "anime2vec/lookup.hpp"
#include "anime2vec/neighbours.hpp"
#include "anime2vec/presets.hpp"
#include "anime2vec/profile.hpp"
#include "anime2vec/ratings.hpp"
#include "anime2vec/sample.hpp"
#include "anime2vec/skipgram.hpp"
#include "anime2vec/tune.hpp"
#include "evaluate.hpp"
#include "io.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "project.hpp"

namespace anime2vec::cli {
namespace {

// Tokens per trainer step: small enough for a smooth progress bar, large enough that the
// per-step overhead (thread start with several threads) stays negligible.
constexpr std::uint64_t kStepTokens = 200000;

struct SampleArgs {
  SampleOptions options;
  std::string out = "example";
};

struct TrainArgs {
  InputArgs input;
  TrainingArgs training;
  std::string out;
  std::string out_context;
  std::string export_sequences;
  bool quiet = false;
};

struct QueryArgs {
  std::string model;
  std::string items;
  std::size_t k = 10;
  std::vector<std::string> queries;
  std::string context;  // recommend only: output vectors for input·output ranking
};

void run_sample(const SampleArgs& a) {
  Sample sample = generate_sample(a.options);
  std::filesystem::create_directories(a.out);
  std::string ratings = (std::filesystem::path(a.out) / "ratings.csv").string();
  std::string anime = (std::filesystem::path(a.out) / "anime.csv").string();
  save_text(ratings, sample.ratings_csv);
  save_text(anime, sample.anime_csv);
  std::fprintf(stderr, "wrote %s and %s (%zu users, %zu franchises)\n", ratings.c_str(),
               anime.c_str(), a.options.users, sample.franchises.size());
}

void run_train(const TrainArgs& a) {
  TrainOptions options = a.training.resolve();
  // Read the catalogue first only to fail early on a bad file: training does not need titles.
  if (!a.input.items.empty()) {
    Catalogue catalogue = load_catalogue(a.input.items);
    if (!a.quiet) std::fprintf(stderr, "catalogue: %zu titles\n", catalogue.entries.size());
  }
  Ratings ratings = read_ratings_file(a.input, a.quiet);
  Corpus corpus = make_corpus(a.input, ratings, a.quiet);

  if (!a.export_sequences.empty()) save_text(a.export_sequences, sequences_text(corpus));

  Trainer trainer(corpus, options);
  ProgressBar bar(stderr);
  while (!trainer.finished()) {
    const TrainProgress& p = trainer.step(kStepTokens);
    if (!a.quiet) bar.update(p);
  }
  bar.finish();
  double seconds = bar.elapsed();
  const TrainProgress& p = trainer.progress();

  std::string text = word2vec_text(trainer.embeddings());
  if (a.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    save_text(a.out, text);
  }
  if (!a.out_context.empty()) {
    Embeddings context{corpus.vocab.ids, trainer.output_vectors()};
    save_text(a.out_context, word2vec_text(context));
  }
  std::fprintf(stderr,
               "trained: %zu users, %zu items, %zu tokens, %d epochs, %.2f s, %.0f tokens/s, "
               "final loss %.4f\n",
               corpus.sequence_count(), corpus.vocab.size(), corpus.token_count(), p.epochs,
               seconds, seconds > 0 ? static_cast<double>(p.tokens_done) / seconds : 0.0, p.loss);
}

void print_neighbours(const std::vector<Neighbour>& list, const Embeddings& model,
                      const Catalogue& catalogue) {
  std::size_t rank = 1;
  for (const Neighbour& n : list) {
    const std::string& id = model.ids[n.index];
    std::printf("%zu\t%s\t%s\t%.4f\n", rank++, id.c_str(), catalogue.title_or_id(id).c_str(),
                static_cast<double>(n.score));
  }
}

struct LoadedModel {
  Embeddings model;
  Catalogue catalogue;
};

LoadedModel load_for_queries(const QueryArgs& a) {
  LoadedModel loaded{load_model(a.model), {}};
  if (!a.items.empty()) loaded.catalogue = load_catalogue(a.items);
  return loaded;
}

void run_similar(const QueryArgs& a) {
  LoadedModel m = load_for_queries(a);
  const Catalogue* catalogue = a.items.empty() ? nullptr : &m.catalogue;
  NeighbourIndex index(m.model.vectors);
  for (const std::string& query : a.queries) {
    std::uint32_t item = resolve_item(query, m.model, catalogue);
    const std::string& id = m.model.ids[item];
    std::fprintf(stderr, "items most similar to %s (id %s):\n",
                 m.catalogue.title_or_id(id).c_str(), id.c_str());
    print_neighbours(index.for_item(item, a.k), m.model, m.catalogue);
  }
}

// A recommend query "Trigun=9" or "6=9": the item and the visitor's score. Only a suffix that
// reads wholly as a number after the last '=' is a score, so a title holding '=' elsewhere still
// resolves as it is.
struct ScoredQuery {
  std::string item;
  std::optional<double> score;
};

ScoredQuery split_score(const std::string& query) {
  const std::size_t at = query.rfind('=');
  if (at == std::string::npos || at == 0 || at + 1 == query.size()) return {query, {}};
  const std::string suffix = query.substr(at + 1);
  char* end = nullptr;
  const double value = std::strtod(suffix.c_str(), &end);
  const bool whole = end == suffix.c_str() + suffix.size();
  if (!whole || suffix.find_first_of(" \t") != std::string::npos) return {query, {}};
  return {query.substr(0, at), value};
}

// The output vectors written by `train --out-context`, in the model's row order.
Matrix context_for_model(const std::string& path, const Embeddings& model) {
  Embeddings context = load_model(path);
  if (context.dimension() != model.dimension()) {
    throw InputError(path + ": dimension " + std::to_string(context.dimension()) +
                     " differs from the model's " + std::to_string(model.dimension()));
  }
  Matrix out(static_cast<Eigen::Index>(model.size()),
             static_cast<Eigen::Index>(model.dimension()));
  for (std::size_t i = 0; i < model.size(); ++i) {
    const long long row = context.find(model.ids[i]);
    if (row < 0) {
      throw InputError(path + ": no output vector for item " + model.ids[i] +
                       " of the model (write both files with one `train --out ... "
                       "--out-context ...`)");
    }
    out.row(static_cast<Eigen::Index>(i)) = context.vectors.row(row);
  }
  return out;
}

void run_recommend(const QueryArgs& a) {
  LoadedModel m = load_for_queries(a);
  const Catalogue* catalogue = a.items.empty() ? nullptr : &m.catalogue;
  std::vector<ProfileEntry> profile;
  std::vector<std::string> named;
  for (const std::string& query : a.queries) {
    const ScoredQuery q = split_score(query);
    const std::uint32_t item = resolve_item(q.item, m.model, catalogue);
    for (std::size_t t = 0; t < profile.size(); ++t) {
      if (profile[t].item == item) {
        throw std::invalid_argument("'" + query + "' and '" + named[t] + "' name the same item " +
                                    m.model.ids[item]);
      }
    }
    try {
      profile_weight(q.score);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("'" + query + "': " + e.what());
    }
    profile.push_back({item, q.score});
    named.push_back(query);
  }
  std::fprintf(stderr, "recommendations for a viewer of %zu titles (%s):\n", profile.size(),
               a.context.empty() ? "cosine" : "input·output");
  Matrix output;
  if (!a.context.empty()) output = context_for_model(a.context, m.model);
  NeighbourIndex index(m.model.vectors);
  std::vector<Neighbour> list;
  for (const ProfileRecommendation& r :
       recommend_for_profile(index, profile, a.k, a.context.empty() ? nullptr : &output)) {
    list.push_back({r.index, r.score});
  }
  print_neighbours(list, m.model, m.catalogue);
}

void add_query_options(CLI::App* app, QueryArgs& a, const char* what) {
  app->add_option("--model", a.model, "Model file (word2vec text format)")->required();
  app->add_option("--items", a.items, "Catalogue of titles, to match and print titles");
  app->add_option("-k", a.k, "How many results")->check(CLI::Range(1, 100000));
  app->add_option("queries", a.queries, what)->required();
}

int run(int argc, char** argv) {
  CLI::App app{"anime2vec: item embeddings from rating histories (skip-gram, item2vec)"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();

  SampleArgs sample;
  CLI::App* sample_cmd = app.add_subcommand(
      "sample", "Write a generated example (Kaggle anime format) with planted franchises");
  sample_cmd->add_option("--users", sample.options.users, "Number of users");
  sample_cmd->add_option("--franchises", sample.options.franchises, "Number of franchises");
  sample_cmd->add_option("--standalone", sample.options.standalone,
                         "Number of stand-alone titles");
  sample_cmd->add_option("--seed", sample.options.seed, "Random seed");
  sample_cmd->add_option("--out", sample.out, "Folder for ratings.csv and anime.csv");

  TrainArgs train;
  CLI::App* train_cmd =
      app.add_subcommand("train", "Train item vectors and write them in word2vec text format");
  add_input_options(train_cmd, train.input);
  add_training_options(train_cmd, train.training);
  train_cmd->add_option("--out", train.out, "Model file to write (default: standard output)");
  train_cmd->add_option("--out-context", train.out_context,
                        "Also write the output (context) vectors, same format, for "
                        "`recommend --context`");
  train_cmd->add_flag("--quiet,-q", train.quiet, "No progress bar or reading summary");
  train_cmd->add_option("--export-sequences", train.export_sequences,
                        "Also write the users' sequences, one per line, ids space-separated "
                        "(to train other tools on the same data)");

  QueryArgs similar;
  CLI::App* similar_cmd =
      app.add_subcommand("similar", "List the items nearest to each given item (cosine)");
  add_query_options(similar_cmd, similar, "Item ids or titles (exact, or a unique substring)");

  QueryArgs recommend;
  CLI::App* recommend_cmd = app.add_subcommand(
      "recommend", "Recommend items for someone who watched the given items (profile query)");
  add_query_options(recommend_cmd, recommend,
                    "Watched item ids or titles, each optionally with the viewer's score 1-10 "
                    "after '=' (\"Trigun=9\", 6=2): the profile is the mean of the items' "
                    "unit vectors weighted by (score - 5.5) / 4.5, so 10 counts +1, 1 counts -1 "
                    "(pulls away) and no score counts +1");
  recommend_cmd->add_option("--context", recommend.context,
                            "Output vectors from `train --out-context`: rank by the profile "
                            "against them (input·output, what the recommendation preset is "
                            "tuned for) instead of by cosine");

  CLI::App* presets_cmd = app.add_subcommand(
      "presets", "List the named training settings (--preset) and the flags each stands for");

  add_evaluate_command(app);
  add_tune_command(app);
  add_project_command(app);

  CLI11_PARSE(app, argc, argv);

  if (*sample_cmd) run_sample(sample);
  if (*train_cmd) run_train(train);
  if (*similar_cmd) run_similar(similar);
  if (*recommend_cmd) run_recommend(recommend);
  if (*presets_cmd) {
    for (const Preset& p : presets()) {
      std::printf("%s\t%s%s\t%s\n", p.name.c_str(), describe_flags(p.options).c_str(),
                  scoring_flags(p.io_scoring, p.recency).c_str(), p.summary.c_str());
    }
  }
  return 0;
}

}  // namespace
}  // namespace anime2vec::cli

int main(int argc, char** argv) {
  try {
    return anime2vec::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "anime2vec: %s\n", e.what());
    return 1;
  }
}
