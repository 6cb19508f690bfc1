#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "anime2vec/rng.hpp"
#include "anime2vec/skipgram.hpp"

using anime2vec::Corpus;
using anime2vec::Matrix;
using anime2vec::Rng;
using anime2vec::Trainer;
using anime2vec::TrainOptions;
using anime2vec::WindowMode;

namespace {

// A WebAssembly build without pthreads has no std::thread: the threaded tests are left out.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
constexpr bool kThreads = false;
#else
constexpr bool kThreads = true;
#endif

/// A corpus built by hand from sequences of item indices; the vocabulary is "item0".. with the
/// token counts of the sequences.
Corpus make_corpus(const std::vector<std::vector<std::uint32_t>>& sequences, std::size_t items) {
  Corpus corpus;
  corpus.vocab.counts.assign(items, 0);
  for (std::size_t i = 0; i < items; ++i) {
    corpus.vocab.ids.push_back("item" + std::to_string(i));
    corpus.vocab.index[corpus.vocab.ids.back()] = static_cast<std::uint32_t>(i);
  }
  for (std::size_t u = 0; u < sequences.size(); ++u) {
    for (auto item : sequences[u]) {
      corpus.tokens.push_back(item);
      ++corpus.vocab.counts[item];
    }
    corpus.offsets.push_back(corpus.tokens.size());
    corpus.users.push_back("user" + std::to_string(u));
  }
  return corpus;
}

/// Planted structure: `groups` groups of `group_size` items. Each user picks a group and draws
/// 4-15 distinct items from it with Zipf-like popularity (1/rank); with probability `noise`
/// an item is replaced by one from anywhere.
struct Planted {
  Corpus corpus;
  std::size_t group_size;
};

Planted planted_clusters(std::uint64_t seed, std::size_t users, std::size_t groups = 20,
                         std::size_t group_size = 10, double noise = 0.05) {
  Rng rng(seed, 99);
  const std::size_t items = groups * group_size;
  std::vector<double> cumulative;
  double total = 0;
  for (std::size_t r = 0; r < group_size; ++r) {
    total += 1.0 / static_cast<double>(r + 1);
    cumulative.push_back(total);
  }
  std::vector<std::vector<std::uint32_t>> sequences;
  for (std::size_t u = 0; u < users; ++u) {
    const std::uint32_t group = rng.below(static_cast<std::uint32_t>(groups));
    const std::size_t length = 4 + rng.below(12);
    std::vector<std::uint32_t> sequence;
    std::vector<bool> used(items, false);
    while (sequence.size() < std::min(length, group_size)) {
      std::uint32_t item = 0;
      if (rng.uniform() < noise) {
        item = rng.below(static_cast<std::uint32_t>(items));
      } else {
        const double x = rng.uniform() * total;
        const auto rank = static_cast<std::uint32_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
        item = group * static_cast<std::uint32_t>(group_size) +
               std::min<std::uint32_t>(rank, group_size - 1);
      }
      if (used[item]) continue;
      used[item] = true;
      sequence.push_back(item);
    }
    sequences.push_back(sequence);
  }
  return {make_corpus(sequences, items), group_size};
}

/// Fraction of items whose nearest other item by cosine (brute force) is in the same group.
double same_group_neighbour_fraction(const Matrix& vectors, std::size_t group_size) {
  const auto n = static_cast<std::size_t>(vectors.rows());
  std::size_t hits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double best = -2;
    std::size_t best_j = i;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      double dot = 0;
      double norm_i = 0;
      double norm_j = 0;
      for (Eigen::Index d = 0; d < vectors.cols(); ++d) {
        const double a = vectors(static_cast<Eigen::Index>(i), d);
        const double b = vectors(static_cast<Eigen::Index>(j), d);
        dot += a * b;
        norm_i += a * a;
        norm_j += b * b;
      }
      const double cosine = dot / std::sqrt(norm_i * norm_j);
      if (cosine > best) {
        best = cosine;
        best_j = j;
      }
    }
    if (best_j / group_size == i / group_size) ++hits;
  }
  return static_cast<double>(hits) / static_cast<double>(n);
}

bool all_finite(const Matrix& m) {
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    if (!std::isfinite(m.data()[i])) return false;
  }
  return true;
}

TrainOptions small_options() {
  TrainOptions options;
  options.dimension = 16;
  options.window = 5;
  options.negatives = 5;
  options.epochs = 10;
  options.seed = 3;
  return options;
}

std::vector<float> random_vector(Rng& rng, int dimension, float scale) {
  std::vector<float> v(static_cast<std::size_t>(dimension));
  for (auto& x : v) x = (rng.uniform_float() * 2 - 1) * scale;
  return v;
}

}  // namespace

TEST_CASE("validate rejects each bad field and names it with its value", "[skipgram]") {
  CHECK_NOTHROW(TrainOptions{}.validate());

  struct Case {
    std::function<void(TrainOptions&)> spoil;
    std::string field;
  };
  const double nan = std::nan("");
  const std::vector<Case> cases = {
      {[](TrainOptions& o) { o.dimension = 0; }, "dimension"},
      {[](TrainOptions& o) { o.dimension = 1025; }, "dimension"},
      {[](TrainOptions& o) { o.window = 0; }, "window"},
      {[](TrainOptions& o) { o.window = 1001; }, "window"},
      {[](TrainOptions& o) { o.negatives = 0; }, "negatives"},
      {[](TrainOptions& o) { o.negatives = 101; }, "negatives"},
      {[](TrainOptions& o) { o.epochs = 0; }, "epochs"},
      {[](TrainOptions& o) { o.epochs = 10001; }, "epochs"},
      {[](TrainOptions& o) { o.threads = 0; }, "threads"},
      {[](TrainOptions& o) { o.threads = 257; }, "threads"},
      {[nan](TrainOptions& o) { o.ns_exponent = nan; }, "ns_exponent"},
      {[](TrainOptions& o) { o.ns_exponent = INFINITY; }, "ns_exponent"},
      {[](TrainOptions& o) { o.subsample = -1e-3; }, "subsample"},
      {[nan](TrainOptions& o) { o.subsample = nan; }, "subsample"},
      {[](TrainOptions& o) { o.learning_rate = 0; }, "learning_rate"},
      {[](TrainOptions& o) { o.learning_rate = -0.1f; }, "learning_rate"},
      {[](TrainOptions& o) { o.min_learning_rate = 0; }, "min_learning_rate"},
      {[](TrainOptions& o) { o.min_learning_rate = 0.5f; }, "min_learning_rate"},
  };
  for (const auto& c : cases) {
    TrainOptions options;
    c.spoil(options);
    INFO("field " << c.field);
    CHECK_THROWS_AS(options.validate(), std::invalid_argument);
    CHECK_THROWS_WITH(options.validate(), Catch::Contains(c.field + " must"));
  }

  TrainOptions options;
  options.dimension = 0;
  CHECK_THROWS_WITH(options.validate(), "dimension must be between 1 and 1024, got 0");

  // Unusual but legal values pass.
  options = TrainOptions{};
  options.ns_exponent = -0.5;
  options.subsample = 0;
  options.min_learning_rate = options.learning_rate;
  CHECK_NOTHROW(options.validate());
}

TEST_CASE("window modes parse from their names and back", "[skipgram]") {
  for (auto mode : {WindowMode::shrink, WindowMode::fixed, WindowMode::sequence}) {
    CHECK(anime2vec::parse_window_mode(anime2vec::window_mode_name(mode)) == mode);
  }
  CHECK_THROWS_WITH(anime2vec::parse_window_mode("wide"), Catch::Contains("window_mode"));
}

TEST_CASE("the trainer rejects an empty corpus and out-of-range tokens", "[skipgram]") {
  CHECK_THROWS_AS(Trainer(make_corpus({}, 3), TrainOptions{}), std::invalid_argument);
  Corpus bad = make_corpus({{0, 1}}, 2);
  bad.tokens[1] = 5;
  CHECK_THROWS_WITH(Trainer(bad, TrainOptions{}), Catch::Contains("beyond the vocabulary"));
  TrainOptions options;
  options.window = 0;
  CHECK_THROWS_WITH(Trainer(make_corpus({{0, 1}}, 2), options), Catch::Contains("window"));
}

TEST_CASE("portable exp and log agree with the standard library to a few ulp", "[skipgram]") {
  Rng rng(21);
  for (int i = 0; i < 20000; ++i) {
    const double x = (rng.uniform() * 2 - 1) * 700;
    const double expected = std::exp(x);
    REQUIRE(anime2vec::portable_exp(x) == Approx(expected).epsilon(1e-14));
    const double y = std::ldexp(0.5 + rng.uniform(), static_cast<int>(rng.below(200)) - 100);
    REQUIRE(anime2vec::portable_log(y) == Approx(std::log(y)).epsilon(1e-14).margin(1e-15));
  }
  CHECK(anime2vec::portable_exp(0) == 1.0);
  CHECK(anime2vec::portable_log(1) == 0.0);
  CHECK(anime2vec::portable_exp(-1000) == 0.0);
  CHECK(std::isinf(anime2vec::portable_exp(1000)));
}

TEST_CASE("analytic pair gradients match central finite differences", "[skipgram]") {
  Rng rng(8);
  for (int dimension : {1, 7, 8, 19}) {
    const int count = 4;  // context and three negatives
    std::vector<float> input = random_vector(rng, dimension, 0.8f);
    std::vector<std::vector<float>> outputs;
    for (int j = 0; j < count; ++j) outputs.push_back(random_vector(rng, dimension, 0.8f));

    auto loss = [&]() {
      std::vector<const float*> pointers;
      for (const auto& o : outputs) pointers.push_back(o.data());
      return anime2vec::pair_loss_and_gradients(input.data(), pointers, dimension, nullptr,
                                                nullptr);
    };
    std::vector<const float*> pointers;
    for (const auto& o : outputs) pointers.push_back(o.data());
    std::vector<float> grad_input;
    std::vector<std::vector<float>> grad_outputs;
    const double value = anime2vec::pair_loss_and_gradients(input.data(), pointers, dimension,
                                                            &grad_input, &grad_outputs);
    REQUIRE(value > 0);
    REQUIRE(grad_input.size() == static_cast<std::size_t>(dimension));
    REQUIRE(grad_outputs.size() == static_cast<std::size_t>(count));

    // d/dx by (L(x+h) - L(x-h)) / (x+h - (x-h)), with the step measured after rounding to float.
    auto central = [&](float& x) {
      const float saved = x;
      x = saved + 0.01f;
      const double up = loss();
      const float x_up = x;
      x = saved - 0.01f;
      const double down = loss();
      const float x_down = x;
      x = saved;
      return (up - down) / (static_cast<double>(x_up) - x_down);
    };
    for (int d = 0; d < dimension; ++d) {
      INFO("dimension " << dimension << ", coordinate " << d);
      CHECK(grad_input[d] == Approx(central(input[d])).margin(2e-4).epsilon(1e-3));
      for (int j = 0; j < count; ++j) {
        CHECK(grad_outputs[j][d] == Approx(central(outputs[j][d])).margin(2e-4).epsilon(1e-3));
      }
    }
  }
}

TEST_CASE("one trainer update with a small learning rate lowers the pair loss", "[skipgram]") {
  Rng rng(9);
  const int dimension = 24;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<float> input = random_vector(rng, dimension, 0.6f);
    std::vector<std::vector<float>> outputs;
    for (int j = 0; j < 6; ++j) outputs.push_back(random_vector(rng, dimension, 0.6f));
    std::vector<const float*> readers;
    std::vector<float*> writers;
    for (auto& o : outputs) {
      readers.push_back(o.data());
      writers.push_back(o.data());
    }
    std::vector<float> grad_input;
    const double before =
        anime2vec::pair_loss_and_gradients(input.data(), readers, dimension, &grad_input, nullptr);
    const std::vector<float> old_input = input;

    const float learning_rate = 0.01f;
    const double reported = anime2vec::update_pair(input.data(), writers, dimension, learning_rate);
    const double after =
        anime2vec::pair_loss_and_gradients(input.data(), readers, dimension, nullptr, nullptr);
    INFO("trial " << trial);
    CHECK(after < before);
    // The reported loss uses the sigmoid table: close to the exact one.
    CHECK(reported == Approx(before).epsilon(0.01));

    // The trainer's step is minus the learning rate times the gradient, up to the table's
    // resolution and the outputs moving before the input.
    for (int d = 0; d < dimension; ++d) {
      const double moved = static_cast<double>(input[d]) - old_input[d];
      CHECK(moved == Approx(-learning_rate * grad_input[d]).margin(2e-4));
    }
  }
}

TEST_CASE("negative sampling frequencies follow count to the power of the exponent", "[skipgram]") {
  Rng counts_rng(4);
  std::vector<std::uint64_t> counts;
  for (int i = 0; i < 40; ++i) counts.push_back(1 + 2000 / (i + 1) + counts_rng.below(5));
  counts.push_back(0);  // an item that never occurs is never drawn

  for (double exponent : {0.75, 0.0, -0.5, 1.0}) {
    const anime2vec::NegativeSampler sampler(counts, exponent);
    double weight_sum = 0;
    std::vector<double> expected(counts.size(), 0.0);
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] > 0) expected[i] = std::pow(static_cast<double>(counts[i]), exponent);
      weight_sum += expected[i];
    }
    for (auto& p : expected) p /= weight_sum;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      REQUIRE(sampler.probability(i) == Approx(expected[i]).epsilon(1e-12));
    }

    Rng rng(17, static_cast<std::uint64_t>(exponent * 100 + 1000));
    const int samples = 400000;
    std::vector<double> histogram(counts.size(), 0.0);
    for (int s = 0; s < samples; ++s) {
      const std::uint32_t item = sampler.sample(rng);
      REQUIRE(item < counts.size());
      histogram[item] += 1;
    }
    INFO("exponent " << exponent);
    CHECK(histogram.back() == 0);
    double chi = 0;
    for (std::size_t i = 0; i + 1 < counts.size(); ++i) {
      const double e = expected[i] * samples;
      chi += (histogram[i] - e) * (histogram[i] - e) / e;
    }
    const double degrees = static_cast<double>(counts.size()) - 2;
    CHECK(chi < degrees + 6 * std::sqrt(2 * degrees) + 10);
  }
  CHECK_THROWS_AS(anime2vec::NegativeSampler({0, 0}, 0.75), std::invalid_argument);
}

TEST_CASE("one thread with the same seed gives bit-identical vectors however steps are split",
          "[skipgram]") {
  const Planted planted = planted_clusters(5, 300);
  for (auto mode : {WindowMode::shrink, WindowMode::fixed, WindowMode::sequence}) {
    TrainOptions options = small_options();
    options.epochs = 3;
    options.window_mode = mode;
    INFO("window mode " << anime2vec::window_mode_name(mode));

    Trainer whole(planted.corpus, options);
    const auto done = whole.run();
    CHECK(done.finished);
    CHECK(done.tokens_done == done.tokens_total);
    CHECK(done.epoch == options.epochs);

    Trainer again(planted.corpus, options);
    again.run();
    CHECK(again.input_vectors() == whole.input_vectors());
    CHECK(again.output_vectors() == whole.output_vectors());

    for (std::uint64_t budget : {1ULL, 137ULL, 1000ULL}) {
      Trainer split(planted.corpus, options);
      int steps = 0;
      while (!split.finished()) {
        const auto progress = split.step(budget);
        REQUIRE(progress.tokens_done <= progress.tokens_total);
        ++steps;
      }
      INFO("budget " << budget);
      CHECK(steps > 1);
      CHECK(split.input_vectors() == whole.input_vectors());
      CHECK(split.output_vectors() == whole.output_vectors());
    }
  }
}

TEST_CASE("different seeds give different vectors", "[skipgram]") {
  const Planted planted = planted_clusters(5, 200);
  TrainOptions options = small_options();
  options.epochs = 1;
  Trainer a(planted.corpus, options);
  options.seed = 4;
  Trainer b(planted.corpus, options);
  CHECK(a.input_vectors() != b.input_vectors());
  a.run();
  b.run();
  CHECK(a.input_vectors() != b.input_vectors());
}

TEST_CASE("initial input vectors are uniform within half over the dimension, outputs zero",
          "[skipgram]") {
  const Planted planted = planted_clusters(5, 100);
  TrainOptions options = small_options();
  options.dimension = 20;
  Trainer trainer(planted.corpus, options);
  const Matrix& input = trainer.input_vectors();
  REQUIRE(input.rows() == static_cast<Eigen::Index>(planted.corpus.vocab.size()));
  REQUIRE(input.cols() == 20);
  CHECK(input.cwiseAbs().maxCoeff() <= 0.5f / 20);
  CHECK(input.cwiseAbs().maxCoeff() > 0.4f / 20);
  CHECK(trainer.output_vectors().isZero(0));

  const auto embeddings = trainer.embeddings();
  CHECK(embeddings.ids == planted.corpus.vocab.ids);
  CHECK(embeddings.vectors == input);
}

TEST_CASE("the loss decreases over epochs and the learning rate decays to its floor",
          "[skipgram]") {
  const Planted planted = planted_clusters(6, 1000);
  TrainOptions options = small_options();
  options.epochs = 6;
  Trainer trainer(planted.corpus, options);
  const std::uint64_t epoch_tokens = planted.corpus.token_count();
  std::vector<double> losses;
  float last_rate = options.learning_rate;
  while (!trainer.finished()) {
    const auto progress = trainer.step(epoch_tokens);
    losses.push_back(progress.loss);
    CHECK(progress.pairs > 0);
    CHECK(progress.learning_rate < last_rate);
    last_rate = progress.learning_rate;
  }
  REQUIRE(losses.size() == 6);
  CHECK(losses.back() < 0.8 * losses.front());
  CHECK(losses[1] < losses[0]);
  CHECK(last_rate == options.min_learning_rate);
  CHECK(all_finite(trainer.input_vectors()));
}

TEST_CASE("planted clusters become nearest neighbours", "[skipgram]") {
  const Planted planted = planted_clusters(7, 1500, 20, 10, 0.1);
  for (auto mode : {WindowMode::shrink, WindowMode::sequence}) {
    TrainOptions options = small_options();
    options.window_mode = mode;
    options.epochs = 15;
    Trainer trainer(planted.corpus, options);
    trainer.run();
    const double fraction =
        same_group_neighbour_fraction(trainer.input_vectors(), planted.group_size);
    INFO("window mode " << anime2vec::window_mode_name(mode) << ": " << fraction);
    CHECK(fraction >= 0.9);
  }
}

TEST_CASE("two threads train without crashing and reach a loss close to one thread's",
          "[skipgram]") {
  if (!kThreads) return;
  const Planted planted = planted_clusters(8, 2000);
  TrainOptions options = small_options();
  options.epochs = 8;
  auto final_loss = [&](int threads) {
    options.threads = threads;
    Trainer trainer(planted.corpus, options);
    anime2vec::TrainProgress progress;
    while (!trainer.finished()) progress = trainer.step(planted.corpus.token_count());
    CHECK(progress.tokens_done == progress.tokens_total);
    CHECK(all_finite(trainer.input_vectors()));
    CHECK(same_group_neighbour_fraction(trainer.input_vectors(), planted.group_size) >= 0.9);
    return progress.loss;
  };
  const double one = final_loss(1);
  const double two = final_loss(2);
  CHECK(two == Approx(one).epsilon(0.1));

  // More threads than users leaves some shares empty.
  const Corpus tiny = make_corpus({{0, 1, 2}, {2, 1, 0}}, 3);
  options.threads = 4;
  Trainer trainer(tiny, options);
  CHECK(trainer.run().finished);
}

TEST_CASE("a cancelled trainer trains no further", "[skipgram]") {
  const Planted planted = planted_clusters(9, 200);
  Trainer trainer(planted.corpus, small_options());
  const auto first = trainer.step(500);
  CHECK(first.tokens_done >= 500);
  trainer.cancel();
  const Matrix before = trainer.input_vectors();
  const auto later = trainer.run();
  CHECK(later.cancelled);
  CHECK_FALSE(later.finished);
  CHECK(later.tokens_done == first.tokens_done);
  CHECK(later.pairs == 0);
  CHECK(trainer.input_vectors() == before);
}

TEST_CASE("cancel stops a run early and keeps the vectors finite", "[skipgram]") {
  if (!kThreads) return;
  const Planted planted = planted_clusters(9, 2000);
  TrainOptions options = small_options();
  options.epochs = 10000;  // far more work than the test will ever wait for
  for (int threads : {1, 2}) {
    options.threads = threads;
    Trainer trainer(planted.corpus, options);
    trainer.step(1000);
    std::thread runner([&]() { trainer.run(); });
    trainer.cancel();
    runner.join();

    const auto progress = trainer.progress();
    INFO("threads " << threads);
    CHECK(progress.cancelled);
    CHECK_FALSE(progress.finished);
    CHECK(trainer.finished());
    CHECK(progress.tokens_done < progress.tokens_total);
    CHECK(all_finite(trainer.input_vectors()));
    CHECK(all_finite(trainer.output_vectors()));

    const auto later = trainer.step(100000);
    CHECK(later.tokens_done == progress.tokens_done);
    CHECK(later.pairs == 0);
  }
}

TEST_CASE("a forward window trains each item only towards the items after it", "[skipgram]") {
  // Every user watches 0, 1, 2 in that order: with forward contexts the last item is never a
  // centre with a context, so its input vector keeps its initial value; both-sided contexts
  // move it.
  const std::vector<std::vector<std::uint32_t>> sequences(40, {0, 1, 2});
  const Corpus corpus = make_corpus(sequences, 3);
  for (const WindowMode mode : {WindowMode::fixed, WindowMode::shrink, WindowMode::sequence}) {
    INFO("window mode " << anime2vec::window_mode_name(mode));
    TrainOptions options = small_options();
    options.window_mode = mode;
    options.window = 1;
    options.subsample = 0;
    options.forward = true;
    Trainer forward(corpus, options);
    const Matrix initial = forward.input_vectors();
    forward.run();
    CHECK(forward.input_vectors().row(2) == initial.row(2));
    CHECK(forward.input_vectors().row(0) != initial.row(0));
    CHECK(forward.input_vectors().row(1) != initial.row(1));

    options.forward = false;
    Trainer both(corpus, options);
    both.run();
    CHECK(both.input_vectors().row(2) != initial.row(2));
  }
}

TEST_CASE("auto window mode follows the corpus order", "[skipgram]") {
  Corpus corpus = make_corpus({{0, 1, 2}, {1, 2, 0}}, 3);
  TrainOptions options = small_options();
  options.window_mode = WindowMode::automatic;
  corpus.ordered = false;
  CHECK(Trainer(corpus, options).options().window_mode == WindowMode::sequence);
  corpus.ordered = true;
  CHECK(Trainer(corpus, options).options().window_mode == WindowMode::shrink);
  CHECK(anime2vec::parse_window_mode("auto") == WindowMode::automatic);
}
