#include "evaluate.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "anime2vec/evaluate.hpp"
#include "anime2vec/presets.hpp"
#include "anime2vec/skipgram.hpp"
#include "anime2vec/tune.hpp"
#include "io.hpp"
#include "options.hpp"

namespace anime2vec::cli {
namespace {

struct EvaluateArgs {
  InputArgs input;
  TrainingArgs training;
  std::string query = "last";
  std::string scoring;  // empty: the preset's
  double recency = 0;
  const CLI::Option* recency_flag = nullptr;  // not given: the preset's recency
  std::vector<std::uint64_t> seeds{1, 2, 3};
  bool validation = false;
  bool json = false;
  std::string vectors;       // score these vectors instead of training
  std::string context;       // with vectors: their output vectors, for input·output scoring
  std::string export_train;  // write the training sequences here
};

struct SkipgramRun {
  EvalMetrics metrics;
  double seconds = 0;
};

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

// Sample standard deviation (n - 1); 0 for a single value.
double sd(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  double m = mean(v), sum = 0;
  for (double x : v) sum += (x - m) * (x - m);
  return std::sqrt(sum / static_cast<double>(v.size() - 1));
}

SkipgramRun train_and_score(const EvalSplit& split, const Corpus& corpus,
                            const TrainOptions& options, EvalQuery query, bool io_scoring,
                            double recency) {
  auto start = std::chrono::steady_clock::now();
  Trainer trainer(corpus, options);
  trainer.run();
  SkipgramRun run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.metrics = evaluate_embeddings(split, trainer.input_vectors(), query,
                                    io_scoring ? &trainer.output_vectors() : nullptr, recency);
  return run;
}

// Vectors from a model file, in the split's item order; an item the file lacks gets zeros.
Matrix vectors_for_split(const std::string& path, const EvalSplit& split) {
  Embeddings model = load_model(path);
  Matrix out = Matrix::Zero(static_cast<Eigen::Index>(split.item_ids.size()),
                            static_cast<Eigen::Index>(model.dimension()));
  for (std::size_t i = 0; i < split.item_ids.size(); ++i) {
    long long row = model.find(split.item_ids[i]);
    if (row >= 0) out.row(static_cast<Eigen::Index>(i)) = model.vectors.row(row);
  }
  return out;
}

void print_metrics_json(const char* name, const EvalMetrics& m, bool comma) {
  std::printf("    \"%s\": {\"hr@10\": %.6f, \"ndcg@10\": %.6f, \"mrr\": %.6f, "
              "\"coverage@10\": %.6f}%s\n",
              name, m.hr10, m.ndcg10, m.mrr, m.coverage10, comma ? "," : "");
}

void run_evaluate(const EvaluateArgs& a) {
  TrainOptions options = a.training.resolve();
  const bool io_scoring = scoring_or_preset(a.scoring, a.training) == "io";
  EvalQuery query = parse_eval_query(a.query);
  const bool recency_given = a.recency_flag->count() > 0;
  if (recency_given) check_recency(a.recency);
  if (a.seeds.empty()) throw std::invalid_argument("--seeds needs at least one seed");

  Ratings ratings = read_ratings_file(a.input, a.json);
  EvalSplit split = leave_last_out(ratings);
  // Only the next-item query has a recency: the profile query weighs the whole history alike.
  const double recency = query == EvalQuery::profile ? 0.0
                         : recency_given              ? a.recency
                                                      : find_preset(a.training.preset).recency;
  if (a.validation) split = validation_split(split);
  if (split.evaluated_users() == 0)
    throw std::invalid_argument(a.input.ratings +
                                ": no user has 5 or more items after the protocol's filters");
  Corpus corpus = split.corpus();
  if (!a.export_train.empty()) save_text(a.export_train, sequences_text(corpus));

  // The baselines: popularity and item-kNN with EVAL.md's query, and item-kNN again with the
  // skip-gram model's recency when it has one, so that both are compared on the same query.
  std::vector<std::pair<std::string, EvalMetrics>> rows{
      {"popularity", evaluate_popularity(split, query)},
      {"item-knn", evaluate_item_knn(split, query)}};
  const bool recent = query == EvalQuery::next_item && recency > 0;
  if (recent) rows.emplace_back("item-knn-recency", evaluate_item_knn(split, query, recency));

  std::string skipgram_name = "skipgram";
  std::vector<SkipgramRun> runs;
  if (!a.vectors.empty()) {
    skipgram_name = "vectors";
    Matrix input = vectors_for_split(a.vectors, split);
    Matrix output;
    if (!a.context.empty()) {
      output = vectors_for_split(a.context, split);
      if (output.cols() != input.cols())
        throw std::invalid_argument(a.context + ": dimension " + std::to_string(output.cols()) +
                                    " differs from " + a.vectors + "'s " +
                                    std::to_string(input.cols()));
    }
    runs.push_back({evaluate_embeddings(split, input, query,
                                        a.context.empty() ? nullptr : &output, recency),
                    0});
  } else {
    for (std::uint64_t seed : a.seeds) {
      options.seed = seed;
      runs.push_back(train_and_score(split, corpus, options, query, io_scoring, recency));
      if (!a.json)
        std::fprintf(stderr, "seed %llu: ndcg@10 %.4f in %.2f s\n",
                     static_cast<unsigned long long>(seed), runs.back().metrics.ndcg10,
                     runs.back().seconds);
    }
  }
  std::vector<double> hr, ndcg, mrr, coverage, seconds;
  for (const SkipgramRun& r : runs) {
    hr.push_back(r.metrics.hr10);
    ndcg.push_back(r.metrics.ndcg10);
    mrr.push_back(r.metrics.mrr);
    coverage.push_back(r.metrics.coverage10);
    seconds.push_back(r.seconds);
  }
  std::sort(seconds.begin(), seconds.end());
  double median_seconds = seconds[seconds.size() / 2];
  double throughput = static_cast<double>(corpus.token_count()) * options.epochs /
                      std::max(median_seconds, 1e-9);
  const char* scoring =
      (a.vectors.empty() && io_scoring) || !a.context.empty() ? "io" : "cosine";

  if (a.json) {
    std::printf("{\n  \"users\": %zu,\n  \"items\": %zu,\n  \"query\": \"%s\",\n"
                "  \"recency\": %g,\n  \"scoring\": \"%s\",\n  \"ordered\": %s,\n"
                "  \"models\": {\n",
                split.evaluated_users(), split.item_ids.size(), a.query.c_str(), recency,
                scoring, split.ordered ? "true" : "false");
    for (const auto& [name, m] : rows) print_metrics_json(name.c_str(), m, true);
    if (!a.vectors.empty()) {
      print_metrics_json("vectors", runs.front().metrics, false);
    } else {
      std::printf("    \"skipgram\": {\"hr@10\": %.6f, \"hr@10_sd\": %.6f, \"ndcg@10\": %.6f, "
                  "\"ndcg@10_sd\": %.6f, \"mrr\": %.6f, \"mrr_sd\": %.6f, "
                  "\"coverage@10\": %.6f, \"train_seconds\": %.4f, "
                  "\"tokens_per_second\": %.0f}\n",
                  mean(hr), sd(hr), mean(ndcg), sd(ndcg), mean(mrr), sd(mrr), mean(coverage),
                  median_seconds, throughput);
    }
    std::printf("  }\n}\n");
    return;
  }
  std::printf("%zu users evaluated, %zu items, query %s, recency %g, preset %s (%s), "
              "scoring %s\n",
              split.evaluated_users(), split.item_ids.size(), a.query.c_str(), recency,
              a.training.preset.c_str(), split.ordered ? "timestamps" : "file order", scoring);
  std::printf("%-16s %8s %8s %8s %11s\n", "model", "HR@10", "NDCG@10", "MRR", "coverage@10");
  for (const auto& [name, m] : rows)
    std::printf("%-16s %8.4f %8.4f %8.4f %11.4f\n", name.c_str(), m.hr10, m.ndcg10, m.mrr,
                m.coverage10);
  std::printf("%-16s %8.4f %8.4f %8.4f %11.4f", skipgram_name.c_str(), mean(hr), mean(ndcg),
              mean(mrr), mean(coverage));
  if (a.vectors.empty())
    std::printf("  (mean of %zu seeds; sd HR %.4f, NDCG %.4f; %.2f s, %.0f tokens/s)",
                runs.size(), sd(hr), sd(ndcg), median_seconds, throughput);
  std::printf("\n");
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Leave-last-out next-item evaluation (shared/EVAL.md) against baselines");
  add_input_options(cmd, args->input, false);
  add_training_options(cmd, args->training, "recommendation");
  cmd->add_option("--query", args->query, "last (next-item query) or profile")
      ->check(CLI::IsMember({"last", "profile"}));
  cmd->add_option("--scoring", args->scoring,
                  "cosine (input vectors) or io (query input vector · item output vectors); "
                  "default: the preset's")
      ->check(CLI::IsMember({"cosine", "io"}));
  args->recency_flag = cmd->add_option("--recency", args->recency,
                  "Next-item query over the last items, the t-th from the end weighing "
                  "recency^t (skip-gram and item-kNN alike), in [0, 1); 0 = the last item "
                  "alone; default: the preset's")
      ->default_str("");
  cmd->add_option("--seeds", args->seeds, "Training seeds; mean and sd are reported")
      ->delimiter(',');
  cmd->add_flag("--validation", args->validation,
                "Score on the validation split (each user's last training item), not the test "
                "items");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->add_option("--vectors", args->vectors,
                  "Score the vectors of this word2vec text file (e.g. from gensim) instead of "
                  "training");
  cmd->add_option("--context", args->context,
                  "With --vectors: the model's output vectors (word2vec text), to rank by "
                  "input·output")
      ->needs(cmd->get_option("--vectors"));
  cmd->add_option("--export-train", args->export_train,
                  "Write the split's training sequences, one user per line, ids space-separated");
  cmd->callback([args] { run_evaluate(*args); });
}

namespace {

struct TuneArgs {
  InputArgs input;
  TrainingArgs training;
  double budget_minutes = 10;
  int passes = 2;
  std::string scoring;  // empty: the preset's
  std::vector<double> recencies{0, 0.25, 0.5, 0.75};
};

// The flags of a trial, as `evaluate` takes them.
std::string trial_flags(const TuneTrial& t) {
  return describe_flags(t.options) + scoring_flags(t.io_scoring, t.recency);
}

void run_tune(const TuneArgs& a) {
  TrainOptions start = a.training.resolve();
  for (double r : a.recencies) check_recency(r);
  Ratings ratings = read_ratings_file(a.input, false);
  EvalSplit split = leave_last_out(ratings);
  EvalSplit validation = validation_split(split);
  if (validation.evaluated_users() == 0)
    throw std::invalid_argument(a.input.ratings + ": no user is left to validate on");
  std::fprintf(stderr, "validation split: %zu users, %zu items\n", validation.evaluated_users(),
               validation.item_ids.size());

  TuneOptions options;
  options.budget_seconds = a.budget_minutes * 60;
  options.max_passes = a.passes;
  options.start_io_scoring = scoring_or_preset(a.scoring, a.training) == "io";
  options.recencies = a.recencies;
  std::size_t count = 0;
  std::vector<TuneTrial> trials =
      tune(validation, start, options, [&](const TuneTrial& t, bool best) {
        std::fprintf(stderr, "%3zu  ndcg@10 %.4f  hr@10 %.4f  %6.2f s  %s%s\n", ++count,
                     t.metrics.ndcg10, t.metrics.hr10, t.seconds, trial_flags(t).c_str(),
                     best ? "  (best so far)" : "");
      });

  // EVAL.md §8: only the chosen setting is trained on the full training sequences and
  // reported on the test items.
  const TuneTrial& best = trials.front();
  Corpus corpus = split.corpus();
  Trainer trainer(corpus, best.options);
  trainer.run();
  EvalMetrics test = evaluate_embeddings(split, trainer.input_vectors(), EvalQuery::next_item,
                                         best.io_scoring ? &trainer.output_vectors() : nullptr,
                                         best.recency);
  std::printf("best of %zu trials on validation: NDCG@10 %.4f, HR@10 %.4f\n", trials.size(),
              best.metrics.ndcg10, best.metrics.hr10);
  std::printf("on the test items: NDCG@10 %.4f, HR@10 %.4f, MRR %.4f\n", test.ndcg10,
              test.hr10, test.mrr);
  std::printf("settings: %s\n", trial_flags(best).c_str());
}

}  // namespace

void add_tune_command(CLI::App& app) {
  auto args = std::make_shared<TuneArgs>();
  CLI::App* cmd = app.add_subcommand(
      "tune", "Search training settings on the validation split (never the test items)");
  add_input_options(cmd, args->input, false);
  add_training_options(cmd, args->training, "recommendation");
  cmd->add_option("--budget-minutes", args->budget_minutes,
                  "Start no new trial after this many minutes");
  cmd->add_option("--passes", args->passes, "Passes over the settings at most")
      ->check(CLI::Range(1, 20));
  cmd->add_option("--scoring", args->scoring,
                  "Scoring of the starting point: cosine or io; default: the preset's")
      ->check(CLI::IsMember({"cosine", "io"}));
  cmd->add_option("--recencies", args->recencies,
                  "Query recencies each trained model is scored with (no retraining); a trial "
                  "keeps the best. 0 alone is EVAL.md's last-item query")
      ->delimiter(',');
  cmd->callback([args] { run_tune(*args); });
}

}  // namespace anime2vec::cli
