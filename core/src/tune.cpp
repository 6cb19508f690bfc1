#include "anime2vec/tune.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace anime2vec {

namespace {

// One setting of the search: its candidate values and how to apply one.
struct Axis {
  std::vector<double> values;
  std::function<void(TrainOptions&, double)> apply;
};

std::vector<Axis> search_axes() {
  return {
      {{0, 1, 2}, [](TrainOptions& o, double v) { o.window_mode = static_cast<WindowMode>(v); }},
      {{1, 2, 3, 5, 8, 12, 20}, [](TrainOptions& o, double v) { o.window = static_cast<int>(v); }},
      {{0, 1}, [](TrainOptions& o, double v) { o.forward = v != 0; }},
      {{-1.0, -0.5, 0.0, 0.25, 0.5, 0.75, 1.0},
       [](TrainOptions& o, double v) { o.ns_exponent = v; }},
      {{0.0, 1e-5, 1e-4, 1e-3, 1e-2}, [](TrainOptions& o, double v) { o.subsample = v; }},
      {{5, 10, 20, 40}, [](TrainOptions& o, double v) { o.epochs = static_cast<int>(v); }},
      {{32, 64, 128}, [](TrainOptions& o, double v) { o.dimension = static_cast<int>(v); }},
      {{0.0125, 0.025, 0.05, 0.1},
       [](TrainOptions& o, double v) { o.learning_rate = static_cast<float>(v); }},
      {{3, 5, 10, 20}, [](TrainOptions& o, double v) { o.negatives = static_cast<int>(v); }},
  };
}

bool same(const TrainOptions& a, const TrainOptions& b) {
  return a.dimension == b.dimension && a.window == b.window && a.window_mode == b.window_mode &&
         a.forward == b.forward &&
         a.negatives == b.negatives && a.ns_exponent == b.ns_exponent &&
         a.subsample == b.subsample && a.epochs == b.epochs &&
         a.learning_rate == b.learning_rate && a.min_learning_rate == b.min_learning_rate;
}

}  // namespace

std::vector<TuneTrial> tune(const EvalSplit& validation, TrainOptions start,
                            const TuneOptions& options,
                            const std::function<void(const TuneTrial&, bool)>& on_trial) {
  start.threads = 1;
  start.validate();
  if (start.window_mode == WindowMode::automatic) {
    start.window_mode = validation.ordered ? WindowMode::shrink : WindowMode::sequence;
  }
  std::vector<double> recencies = options.recencies;
  if (recencies.empty()) recencies.push_back(0);
  for (double r : recencies) check_recency(r);
  Corpus corpus = validation.corpus();
  auto began = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  };

  std::vector<TuneTrial> trials;
  std::size_t best = 0;
  auto run = [&](const TrainOptions& o, bool io) {
    for (const TuneTrial& t : trials)
      if (same(t.options, o) && t.io_scoring == io) return false;
    TuneTrial trial{o, io, 0, {}, 0};
    auto t0 = std::chrono::steady_clock::now();
    Trainer trainer(corpus, o);
    trainer.run();
    trial.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t k = 0; k < recencies.size(); ++k) {
      EvalMetrics m = evaluate_embeddings(validation, trainer.input_vectors(),
                                          EvalQuery::next_item,
                                          io ? &trainer.output_vectors() : nullptr, recencies[k]);
      if (k == 0 || m.ndcg10 > trial.metrics.ndcg10) {
        trial.metrics = m;
        trial.recency = recencies[k];
      }
    }
    trials.push_back(trial);
    bool improved = trials.size() == 1 || trial.metrics.ndcg10 > trials[best].metrics.ndcg10;
    if (improved) best = trials.size() - 1;
    if (on_trial) on_trial(trial, improved);
    return improved;
  };

  run(start, options.start_io_scoring);
  std::vector<Axis> axes = search_axes();
  for (int pass = 0; pass < options.max_passes; ++pass) {
    bool any = false;
    for (const Axis& axis : axes) {
      TrainOptions base = trials[best].options;
      bool io = trials[best].io_scoring;
      for (double value : axis.values) {
        if (elapsed() > options.budget_seconds) break;
        TrainOptions candidate = base;
        axis.apply(candidate, value);
        any = run(candidate, io) || any;
      }
    }
    if (options.try_io_scoring && elapsed() <= options.budget_seconds)
      any = run(trials[best].options, !trials[best].io_scoring) || any;
    if (!any || elapsed() > options.budget_seconds) break;
  }

  std::swap(trials[0], trials[best]);
  return trials;
}

std::string describe_flags(const TrainOptions& o) {
  char text[400];
  std::snprintf(text, sizeof text,
                "--dim %d --window %d --window-mode %s --forward %s --negatives %d "
                "--ns-exponent %g --subsample %g --epochs %d --lr %g --min-lr %g",
                o.dimension, o.window, window_mode_name(o.window_mode),
                o.forward ? "true" : "false", o.negatives,
                o.ns_exponent, o.subsample, o.epochs, static_cast<double>(o.learning_rate),
                static_cast<double>(o.min_learning_rate));
  return text;
}

}  // namespace anime2vec
