#include "anime2vec/tsne.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "anime2vec/corpus.hpp"
#include "anime2vec/ratings.hpp"
#include "anime2vec/rng.hpp"
#include "anime2vec/sample.hpp"
#include "anime2vec/skipgram.hpp"

using namespace anime2vec;

namespace {

double normal(Rng& rng) {
  double u = 0, v = 0, s = 0;
  do {
    u = rng.uniform() * 2 - 1;
    v = rng.uniform() * 2 - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  return u * std::sqrt(-2 * std::log(s) / s);
}

// `clusters` Gaussian blobs of `per_cluster` points in `dim` dimensions: centres drawn with sd 4,
// points around them with sd 1, so the blobs are well apart. label[i] is point i's blob.
Matrix planted_clusters(std::size_t clusters, std::size_t per_cluster, Eigen::Index dim,
                        std::uint64_t seed, std::vector<std::size_t>& label) {
  Rng rng(seed);
  Matrix centres(static_cast<Eigen::Index>(clusters), dim);
  for (Eigen::Index c = 0; c < centres.rows(); ++c) {
    for (Eigen::Index j = 0; j < dim; ++j) centres(c, j) = static_cast<float>(4 * normal(rng));
  }
  Matrix m(static_cast<Eigen::Index>(clusters * per_cluster), dim);
  label.clear();
  // Interleaved so that a cluster's points are not consecutive rows.
  for (std::size_t i = 0; i < clusters * per_cluster; ++i) {
    const std::size_t c = i % clusters;
    label.push_back(c);
    for (Eigen::Index j = 0; j < dim; ++j) {
      m(static_cast<Eigen::Index>(i), j) =
          centres(static_cast<Eigen::Index>(c), j) + static_cast<float>(normal(rng));
    }
  }
  return m;
}

double map_distance(const std::vector<double>& y, std::size_t a, std::size_t b) {
  return std::hypot(y[2 * a] - y[2 * b], y[2 * a + 1] - y[2 * b + 1]);
}

// Mean map distance between points of the same group over the mean between different groups
// (items without a group, label -1, are left out).
double within_over_between(const std::vector<double>& y, const std::vector<long>& group) {
  double within = 0, between = 0;
  std::size_t nw = 0, nb = 0;
  for (std::size_t a = 0; a < group.size(); ++a) {
    if (group[a] < 0) continue;
    for (std::size_t b = a + 1; b < group.size(); ++b) {
      if (group[b] < 0) continue;
      const double d = map_distance(y, a, b);
      if (group[a] == group[b]) {
        within += d;
        ++nw;
      } else {
        between += d;
        ++nb;
      }
    }
  }
  return (within / static_cast<double>(nw)) / (between / static_cast<double>(nb));
}

// The exact gradient, written out directly from the definition with dense P.
std::vector<double> dense_gradient(const TsneAffinities& p, const std::vector<double>& y) {
  const std::size_t n = p.size();
  std::vector<double> dense(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t e = p.row_start[i]; e < p.row_start[i + 1]; ++e) {
      dense[i * n + p.columns[e]] = p.values[e];
    }
  }
  double z = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j) z += 1 / (1 + std::pow(map_distance(y, i, j), 2));
    }
  }
  std::vector<double> g(2 * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double w = 1 / (1 + std::pow(map_distance(y, i, j), 2));
      for (std::size_t c = 0; c < 2; ++c) {
        g[2 * i + c] += 4 * (dense[i * n + j] - w / z) * w * (y[2 * i + c] - y[2 * j + c]);
      }
    }
  }
  return g;
}

}  // namespace

TEST_CASE("input affinities are symmetric bit for bit, positive and sum to 1", "[tsne]") {
  std::vector<std::size_t> label;
  const Matrix m = planted_clusters(4, 30, 10, 31, label);
  for (TsneMetric metric : {TsneMetric::cosine, TsneMetric::euclidean}) {
    INFO("metric " << tsne_metric_name(metric));
    TsneOptions options;
    options.perplexity = 10;
    options.metric = metric;
    const TsneAffinities p = tsne_affinities(m, options);
    REQUIRE(p.size() == 120);

    double total = 0;
    std::size_t asymmetric = 0, not_positive = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      CHECK(p.row_start[i + 1] - p.row_start[i] >= 31);  // floor(3 × 10 + 1) neighbours
      for (std::size_t e = p.row_start[i]; e < p.row_start[i + 1]; ++e) {
        total += p.values[e];
        if (!(p.values[e] > 0)) ++not_positive;
        const std::size_t j = p.columns[e];
        CHECK(j != i);
        const auto begin = p.columns.begin() + static_cast<std::ptrdiff_t>(p.row_start[j]);
        const auto end = p.columns.begin() + static_cast<std::ptrdiff_t>(p.row_start[j + 1]);
        const auto it = std::lower_bound(begin, end, static_cast<std::uint32_t>(i));
        if (it == end || *it != i ||
            p.values[static_cast<std::size_t>(it - p.columns.begin())] != p.values[e]) {
          ++asymmetric;
        }
        if (e > p.row_start[i]) CHECK(p.columns[e - 1] < p.columns[e]);
      }
    }
    CHECK(total == Approx(1.0).epsilon(1e-12));
    CHECK(asymmetric == 0);
    CHECK(not_positive == 0);

    // Every item's bandwidth gives the asked perplexity.
    for (double reached : p.perplexities) CHECK(reached == Approx(10.0).epsilon(1e-4));
  }
}

TEST_CASE("each item's affinities cover its nearest neighbours by brute force", "[tsne]") {
  std::vector<std::size_t> label;
  const Matrix m = planted_clusters(3, 20, 6, 32, label);
  TsneOptions options;
  options.perplexity = 5;
  options.metric = TsneMetric::euclidean;
  const TsneAffinities p = tsne_affinities(m, options);
  const std::size_t n = 60, k = 16;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::pair<double, std::size_t>> order;
    for (std::size_t j = 0; j < n; ++j) {
      if (j != i) order.emplace_back((m.row(Eigen::Index(i)) - m.row(Eigen::Index(j))).norm(), j);
    }
    std::sort(order.begin(), order.end());
    const auto begin = p.columns.begin() + static_cast<std::ptrdiff_t>(p.row_start[i]);
    const auto end = p.columns.begin() + static_cast<std::ptrdiff_t>(p.row_start[i + 1]);
    for (std::size_t r = 0; r < k; ++r) {
      INFO("item " << i << ", neighbour rank " << r);
      CHECK(std::binary_search(begin, end, static_cast<std::uint32_t>(order[r].second)));
    }
  }
}

TEST_CASE("cosine affinities equal Euclidean ones on unit-length vectors", "[tsne]") {
  std::vector<std::size_t> label;
  Matrix m = planted_clusters(3, 20, 8, 33, label);
  for (Eigen::Index i = 0; i < m.rows(); ++i) m.row(i) *= 3.0f + static_cast<float>(i % 5);
  TsneOptions cosine;
  cosine.perplexity = 6;
  const TsneAffinities a = tsne_affinities(m, cosine);
  Matrix unit = m;
  for (Eigen::Index i = 0; i < unit.rows(); ++i) unit.row(i).normalize();
  TsneOptions euclidean = cosine;
  euclidean.metric = TsneMetric::euclidean;
  const TsneAffinities b = tsne_affinities(unit, euclidean);
  REQUIRE(a.columns.size() == b.columns.size());
  for (std::size_t e = 0; e < a.values.size(); ++e) {
    CHECK(a.columns[e] == b.columns[e]);
    CHECK(a.values[e] == Approx(b.values[e]).epsilon(1e-4));
  }
}

TEST_CASE("the exact Barnes-Hut gradient matches the dense formula and finite differences",
          "[tsne]") {
  std::vector<std::size_t> label;
  const Matrix m = planted_clusters(3, 15, 5, 34, label);
  TsneOptions options;
  options.perplexity = 5;
  options.init = TsneInit::random;
  Tsne run(m, options);
  run.step(60);  // away from the tiny initial layout, so distances are of order 1
  const std::vector<double> exact = run.gradient(0);
  const std::vector<double> dense = dense_gradient(run.affinities(), run.layout());
  REQUIRE(exact.size() == dense.size());
  for (std::size_t c = 0; c < exact.size(); ++c) {
    CHECK(exact[c] == Approx(dense[c]).margin(1e-12).epsilon(1e-9));
  }

  // d KL / d y by central differences of KL written from its definition (Tsne has no layout
  // setter, so the moved layouts are scored here), itself checked against kl_divergence().
  const TsneAffinities& p = run.affinities();
  auto kl_at = [&](const std::vector<double>& y) {
    double z = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      for (std::size_t j = 0; j < p.size(); ++j) {
        if (i != j) z += 1 / (1 + std::pow(map_distance(y, i, j), 2));
      }
    }
    double kl = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      for (std::size_t e = p.row_start[i]; e < p.row_start[i + 1]; ++e) {
        const double q = 1 / (1 + std::pow(map_distance(y, i, p.columns[e]), 2)) / z;
        kl += p.values[e] * std::log(p.values[e] / q);
      }
    }
    return kl;
  };
  CHECK(run.kl_divergence() == Approx(kl_at(run.layout())).epsilon(1e-9));
  for (std::size_t c : {0u, 1u, 17u, 44u, 89u}) {
    std::vector<double> plus = run.layout(), minus = run.layout();
    const double h = 1e-6;
    plus[c] += h;
    minus[c] -= h;
    const double numeric = (kl_at(plus) - kl_at(minus)) / (2 * h);
    INFO("coordinate " << c);
    CHECK(exact[c] == Approx(numeric).margin(1e-7).epsilon(1e-4));
  }
}

TEST_CASE("the Barnes-Hut repulsion approaches the exact one as theta falls", "[tsne]") {
  std::vector<std::size_t> label;
  const Matrix m = planted_clusters(5, 80, 10, 35, label);
  TsneOptions options;
  options.perplexity = 15;
  Tsne run(m, options);
  run.step(300);
  // With exaggeration 0 the gradient is the repulsive part alone, the part Barnes-Hut
  // approximates (the attraction is exact, and the two nearly cancel in a settled map).
  const std::vector<double> exact = run.gradient(0, 0);
  double previous = 0;
  for (double theta : {0.1, 0.3, 0.5, 0.8}) {
    const std::vector<double> approximate = run.gradient(theta, 0);
    double error = 0, norm = 0;
    for (std::size_t c = 0; c < exact.size(); ++c) {
      error += (exact[c] - approximate[c]) * (exact[c] - approximate[c]);
      norm += exact[c] * exact[c];
    }
    const double relative = std::sqrt(error / norm);
    INFO("theta " << theta << ": relative error " << relative);
    CHECK(relative > previous);
    CHECK(relative < theta * theta / 4);
    previous = relative;
  }
}

TEST_CASE("one seed gives the same layout, and 500 then 500 iterations equal 1000 at once",
          "[tsne]") {
  std::vector<std::size_t> label;
  const Matrix m = planted_clusters(4, 50, 12, 36, label);
  for (TsneInit init : {TsneInit::pca, TsneInit::random}) {
    INFO("init " << tsne_init_name(init));
    TsneOptions options;
    options.perplexity = 12;
    options.init = init;
    options.seed = 5;
    Tsne whole(m, options);
    whole.run();
    Tsne halves(m, options);
    halves.step(500);
    CHECK(halves.progress().iteration == 500);
    CHECK_FALSE(halves.finished());
    halves.step(500);
    CHECK(halves.finished());
    CHECK(whole.layout() == halves.layout());

    Tsne frames(m, options);
    while (!frames.finished()) frames.step(10);
    CHECK(frames.layout() == whole.layout());
    CHECK(tsne(m, options) == whole.layout());
  }
  TsneOptions a, b;
  a.init = b.init = TsneInit::random;
  a.perplexity = b.perplexity = 12;
  b.seed = a.seed + 1;
  a.iterations = b.iterations = 50;
  a.exaggeration_iterations = b.exaggeration_iterations = 20;
  CHECK_FALSE(tsne(m, a) == tsne(m, b));
}

TEST_CASE("any thread count gives the same layout bits as one thread", "[tsne]") {
  std::vector<std::size_t> label;
  const Matrix m = planted_clusters(4, 100, 12, 39, label);
  TsneOptions options;
  options.iterations = 300;
  const std::vector<double> one = tsne(m, options);
  for (int threads : {2, 3, 7}) {
    INFO("threads " << threads);
    options.threads = threads;
    CHECK(tsne(m, options) == one);
  }
}

TEST_CASE("progress counts iterations, the exaggeration phase and the end", "[tsne]") {
  std::vector<std::size_t> label;
  const Matrix m = planted_clusters(2, 20, 4, 37, label);
  TsneOptions options;
  options.perplexity = 5;
  options.iterations = 100;
  options.exaggeration_iterations = 40;
  Tsne run(m, options);
  CHECK(run.progress().iteration == 0);
  CHECK(run.progress().exaggerating);
  CHECK(run.step(39).exaggerating);
  CHECK_FALSE(run.step(1).exaggerating);
  CHECK(run.progress().fraction() == Approx(0.4));
  CHECK(run.step(1000).iteration == 100);
  CHECK(run.finished());
  CHECK(run.step(10).iteration == 100);
  CHECK(run.learning_rate() == 50);  // 40 / 12 / 4 is below the floor of 50

  Tsne cancelled(m, options);
  cancelled.step(10);
  cancelled.cancel();
  CHECK(cancelled.step(10).iteration == 10);
  CHECK(cancelled.progress().cancelled);
  CHECK_THROWS_AS(cancelled.step(-1), std::invalid_argument);
}

TEST_CASE("planted Gaussian clusters land apart on the map", "[tsne]") {
  std::vector<std::size_t> label;
  const Matrix m = planted_clusters(6, 100, 20, 38, label);
  TsneOptions options;
  Tsne run(m, options);
  run.step(options.exaggeration_iterations);
  const double kl_after_exaggeration = run.kl_divergence();
  run.run();
  CHECK(run.kl_divergence() < kl_after_exaggeration);
  const std::vector<long> group(label.begin(), label.end());
  const double ratio = within_over_between(run.layout(), group);
  INFO("mean distance within clusters / between clusters: " << ratio);
  CHECK(ratio < 0.2);
}

TEST_CASE("franchise siblings of a generated sample land close together on the map",
          "[tsne]") {
  SampleOptions sample_options;
  sample_options.users = 3000;
  sample_options.seed = 11;
  const Sample sample = generate_sample(sample_options);
  const Corpus corpus = build_corpus(read_ratings(sample.ratings_csv, "ratings.csv"));
  Trainer trainer(corpus, TrainOptions{});
  trainer.run();
  const Embeddings model = trainer.embeddings();

  std::unordered_map<std::string, long> franchise_of;
  for (std::size_t f = 0; f < sample.franchises.size(); ++f) {
    for (const std::string& id : sample.franchises[f]) franchise_of[id] = static_cast<long>(f);
  }
  std::vector<long> group;
  for (const std::string& id : model.ids) {
    const auto it = franchise_of.find(id);
    group.push_back(it == franchise_of.end() ? -1 : it->second);
  }
  const std::vector<double> layout = tsne(model.vectors, TsneOptions{});
  const double ratio = within_over_between(layout, group);
  INFO("mean distance between siblings / between other franchise items: " << ratio);
  CHECK(ratio < 0.25);
}

TEST_CASE("bad t-SNE options are rejected with the field and the value", "[tsne]") {
  auto message_of = [](const TsneOptions& options, std::size_t items) {
    try {
      options.validate_for(items);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  TsneOptions options;
  CHECK_NOTHROW(options.validate_for(100));
  CHECK(message_of(options, 90) ==
        "perplexity must be below (items - 1) / 3 = 29.666666666666668 for 90 items, got 30");
  options.perplexity = 1;
  CHECK(message_of(options, 100) == "perplexity must be a finite number above 1, got 1");
  options = {};
  options.perplexity = std::nan("");
  CHECK_THROWS_AS(options.validate(), std::invalid_argument);

  options = {};
  options.theta = 1.5;
  CHECK(message_of(options, 100) == "theta must be 0 (exact) to 1, got 1.5");
  options = {};
  options.iterations = 0;
  CHECK_THROWS_AS(options.validate(), std::invalid_argument);
  options = {};
  options.exaggeration_iterations = 2000;
  CHECK(message_of(options, 100) ==
        "exaggeration_iterations must be 0 to iterations (1000), got 2000");
  options = {};
  options.learning_rate = -1;
  CHECK_THROWS_AS(options.validate(), std::invalid_argument);
  options = {};
  options.early_exaggeration = 0.5;
  CHECK_THROWS_AS(options.validate(), std::invalid_argument);

  CHECK(parse_tsne_metric("euclidean") == TsneMetric::euclidean);
  CHECK_THROWS_AS(parse_tsne_metric("manhattan"), std::invalid_argument);
  CHECK(parse_tsne_init("random") == TsneInit::random);
  CHECK_THROWS_AS(parse_tsne_init("spectral"), std::invalid_argument);

  // The constructor checks too, and rejects input that is not finite.
  Matrix m = Matrix::Random(20, 3);
  CHECK_THROWS_AS(Tsne(m, TsneOptions{}), std::invalid_argument);  // perplexity 30 for 20 items
  TsneOptions small;
  small.perplexity = 3;
  CHECK_NOTHROW(Tsne(m, small));
  m(4, 1) = std::nanf("");
  CHECK_THROWS_AS(Tsne(m, small), std::invalid_argument);
  CHECK_THROWS_AS(Tsne(Matrix::Random(20, 1), small), std::invalid_argument);  // pca needs 2
  small.init = TsneInit::random;
  CHECK_NOTHROW(Tsne(Matrix::Random(20, 1), small));
}

TEST_CASE("the automatic learning rate follows items / exaggeration / 4 with a floor of 50",
          "[tsne]") {
  TsneOptions options;
  CHECK(options.resolved_learning_rate(7400) == Approx(7400.0 / 48));
  CHECK(options.resolved_learning_rate(1000) == 50);
  options.learning_rate = 200;
  CHECK(options.resolved_learning_rate(7400) == 200);
}
