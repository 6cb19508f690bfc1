#include "evaluate.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "anime2vec/evaluate.hpp"
#include "anime2vec/skipgram.hpp"
#include "options.hpp"

namespace anime2vec::cli {
namespace {

struct EvaluateArgs {
  InputArgs input;
  TrainingArgs training;
  std::string query = "last";
  std::string scoring = "cosine";
  std::vector<std::uint64_t> seeds{1, 2, 3};
  bool validation = false;
  bool json = false;
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
                            const TrainOptions& options, EvalQuery query, bool io_scoring) {
  auto start = std::chrono::steady_clock::now();
  Trainer trainer(corpus, options);
  trainer.run();
  SkipgramRun run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.metrics = evaluate_embeddings(split, trainer.input_vectors(), query,
                                    io_scoring ? &trainer.output_vectors() : nullptr);
  return run;
}

void print_metrics_json(const char* name, const EvalMetrics& m, bool comma) {
  std::printf("    \"%s\": {\"hr@10\": %.6f, \"ndcg@10\": %.6f, \"mrr\": %.6f, "
              "\"coverage@10\": %.6f}%s\n",
              name, m.hr10, m.ndcg10, m.mrr, m.coverage10, comma ? "," : "");
}

void run_evaluate(const EvaluateArgs& a) {
  TrainOptions options = a.training.resolve();
  EvalQuery query = parse_eval_query(a.query);
  if (a.scoring != "cosine" && a.scoring != "io")
    throw std::invalid_argument("scoring must be 'cosine' or 'io', got '" + a.scoring + "'");
  if (a.seeds.empty()) throw std::invalid_argument("--seeds needs at least one seed");

  Ratings ratings = read_ratings_file(a.input, a.json);
  EvalSplit split = leave_last_out(ratings);
  if (a.validation) split = validation_split(split);
  if (split.evaluated_users() == 0)
    throw std::invalid_argument(a.input.ratings +
                                ": no user has 5 or more items after the protocol's filters");
  Corpus corpus = split.corpus();

  EvalMetrics popularity = evaluate_popularity(split, query);
  EvalMetrics knn = evaluate_item_knn(split, query);
  std::vector<SkipgramRun> runs;
  for (std::uint64_t seed : a.seeds) {
    options.seed = seed;
    runs.push_back(train_and_score(split, corpus, options, query, a.scoring == "io"));
    if (!a.json)
      std::fprintf(stderr, "seed %llu: ndcg@10 %.4f in %.2f s\n",
                   static_cast<unsigned long long>(seed), runs.back().metrics.ndcg10,
                   runs.back().seconds);
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

  if (a.json) {
    std::printf("{\n  \"users\": %zu,\n  \"items\": %zu,\n  \"models\": {\n",
                split.evaluated_users(), split.item_ids.size());
    print_metrics_json("popularity", popularity, true);
    print_metrics_json("item-knn", knn, true);
    std::printf("    \"skipgram\": {\"hr@10\": %.6f, \"hr@10_sd\": %.6f, \"ndcg@10\": %.6f, "
                "\"ndcg@10_sd\": %.6f, \"mrr\": %.6f, \"mrr_sd\": %.6f, \"coverage@10\": %.6f, "
                "\"train_seconds\": %.4f, \"tokens_per_second\": %.0f}\n  }\n}\n",
                mean(hr), sd(hr), mean(ndcg), sd(ndcg), mean(mrr), sd(mrr), mean(coverage),
                median_seconds, throughput);
    return;
  }
  std::printf("%zu users evaluated, %zu items, query %s\n", split.evaluated_users(),
              split.item_ids.size(), a.query.c_str());
  std::printf("%-12s %8s %8s %8s %11s\n", "model", "HR@10", "NDCG@10", "MRR", "coverage@10");
  auto row = [](const char* name, const EvalMetrics& m) {
    std::printf("%-12s %8.4f %8.4f %8.4f %11.4f\n", name, m.hr10, m.ndcg10, m.mrr,
                m.coverage10);
  };
  row("popularity", popularity);
  row("item-knn", knn);
  std::printf("%-12s %8.4f %8.4f %8.4f %11.4f  (mean of %zu seeds; sd HR %.4f, NDCG %.4f; "
              "%.2f s, %.0f tokens/s)\n",
              "skipgram", mean(hr), mean(ndcg), mean(mrr), mean(coverage), runs.size(), sd(hr),
              sd(ndcg), median_seconds, throughput);
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Leave-last-out next-item evaluation (shared/EVAL.md) against baselines");
  add_input_options(cmd, args->input, false);
  add_training_options(cmd, args->training);
  cmd->add_option("--query", args->query, "last (next-item query) or profile")
      ->check(CLI::IsMember({"last", "profile"}));
  cmd->add_option("--scoring", args->scoring,
                  "cosine (input vectors) or io (query input vector · item output vectors)")
      ->check(CLI::IsMember({"cosine", "io"}));
  cmd->add_option("--seeds", args->seeds, "Training seeds; mean and sd are reported")
      ->delimiter(',');
  cmd->add_flag("--validation", args->validation,
                "Score on the validation split (each user's last training item), not the test "
                "items");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->callback([args] { run_evaluate(*args); });
}

void add_tune_command(CLI::App&) {}

}  // namespace anime2vec::cli
