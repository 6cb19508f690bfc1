#include "anime2vec/tsne.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include "anime2vec/pca.hpp"
#include "anime2vec/rng.hpp"
#include "anime2vec/skipgram.hpp"

namespace anime2vec {

// ---------------------------------------------------------------------------------------------
// Options

namespace {

std::string number_text(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

// The initial layout's spread: small enough that early exaggeration, not the start, shapes the
// clusters (scikit-learn and openTSNE use the same).
constexpr double kInitialSd = 1e-4;

// Binary search of each item's bandwidth: scikit-learn's step limit and entropy tolerance.
constexpr int kBandwidthSteps = 100;
constexpr double kEntropyTolerance = 1e-5;

// Gains as van der Maaten's implementation: up by 0.2 when the gradient changes sign, down by a
// factor 0.8 when it keeps it, never below 0.01.
constexpr double kGainUp = 0.2;
constexpr double kGainDown = 0.8;
constexpr double kMinGain = 0.01;
constexpr double kInitialMomentum = 0.5;
constexpr double kFinalMomentum = 0.8;

// Quadtree cells split at most this deep; below it a leaf holds several nearly equal points.
constexpr int kMaxDepth = 40;

// A point's (x, y) in one 128-bit register (SSE2 natively, SIMD128 in WebAssembly) through the
// compilers' vector extensions. Each lane does the scalar code's IEEE operation, so the forces
// keep their bits; only the horizontal sums (dx² + dy²) are written out lane by lane, in the
// scalar order. The core compiles with -ffp-contract=off, so no product is fused into a sum.
typedef double Pair __attribute__((vector_size(16)));

Pair load_pair(const double* p) {
  Pair v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

TsneMetric parse_tsne_metric(const std::string& name) {
  if (name == "cosine") return TsneMetric::cosine;
  if (name == "euclidean") return TsneMetric::euclidean;
  throw std::invalid_argument("metric must be one of cosine, euclidean, got '" + name + "'");
}

const char* tsne_metric_name(TsneMetric metric) {
  return metric == TsneMetric::cosine ? "cosine" : "euclidean";
}

TsneInit parse_tsne_init(const std::string& name) {
  if (name == "pca") return TsneInit::pca;
  if (name == "random") return TsneInit::random;
  throw std::invalid_argument("init must be one of pca, random, got '" + name + "'");
}

const char* tsne_init_name(TsneInit init) { return init == TsneInit::pca ? "pca" : "random"; }

void TsneOptions::validate() const {
  if (!(perplexity > 1) || !std::isfinite(perplexity)) {
    throw std::invalid_argument("perplexity must be a finite number above 1, got " +
                                number_text(perplexity));
  }
  if (!(learning_rate >= 0) || !std::isfinite(learning_rate)) {
    throw std::invalid_argument(
        "learning_rate must be a finite number > 0, or 0 for automatic, got " +
        number_text(learning_rate));
  }
  if (!(early_exaggeration >= 1) || !std::isfinite(early_exaggeration)) {
    throw std::invalid_argument("early_exaggeration must be a finite number >= 1, got " +
                                number_text(early_exaggeration));
  }
  if (iterations < 1 || iterations > 1000000) {
    throw std::invalid_argument("iterations must be 1 to 1000000, got " +
                                std::to_string(iterations));
  }
  if (exaggeration_iterations < 0 || exaggeration_iterations > iterations) {
    throw std::invalid_argument("exaggeration_iterations must be 0 to iterations (" +
                                std::to_string(iterations) + "), got " +
                                std::to_string(exaggeration_iterations));
  }
  if (!(theta >= 0 && theta <= 1)) {
    throw std::invalid_argument("theta must be 0 (exact) to 1, got " + number_text(theta));
  }
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  if (threads != 1) {
    throw std::invalid_argument("threads must be 1 in this WebAssembly build, got " +
                                std::to_string(threads));
  }
#else
  if (threads < 1 || threads > 256) {
    throw std::invalid_argument("threads must be 1 to 256, got " + std::to_string(threads));
  }
#endif
  if (init != TsneInit::pca && init != TsneInit::random) {
    throw std::invalid_argument("init must be pca or random, got " +
                                std::to_string(static_cast<int>(init)));
  }
  if (metric != TsneMetric::cosine && metric != TsneMetric::euclidean) {
    throw std::invalid_argument("metric must be cosine or euclidean, got " +
                                std::to_string(static_cast<int>(metric)));
  }
}

void TsneOptions::validate_for(std::size_t items) const {
  validate();
  // Each item's distribution spreads over floor(3 perplexity + 1) neighbours; a perplexity at
  // or beyond that count cannot be reached.
  const double limit = (static_cast<double>(items) - 1) / 3;
  if (!(perplexity < limit)) {
    throw std::invalid_argument("perplexity must be below (items - 1) / 3 = " +
                                number_text(limit) + " for " + std::to_string(items) +
                                " items, got " + number_text(perplexity));
  }
}

double TsneOptions::resolved_learning_rate(std::size_t items) const {
  if (learning_rate > 0) return learning_rate;
  return std::max(static_cast<double>(items) / early_exaggeration / 4, 50.0);
}

// ---------------------------------------------------------------------------------------------
// Input affinities

namespace {

// Squared distance with eight float accumulators combined in a fixed order: the result is defined
// by the source alone, so it is the same natively and in WebAssembly. The accumulators are the
// lanes of two 4-float vectors (the compilers' vector extensions): left to the auto-vectoriser,
// clang 14 packed the scalar version for WebAssembly lane by lane, at a fraction of the speed.
typedef float Quad __attribute__((vector_size(16)));

Quad load_quad(const float* p) {
  Quad v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

float squared_distance(const float* a, const float* b, std::size_t n) {
  Quad low = {0, 0, 0, 0}, high = {0, 0, 0, 0};  // accumulators 0-3 and 4-7
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const Quad d_low = load_quad(a + j) - load_quad(b + j);
    const Quad d_high = load_quad(a + j + 4) - load_quad(b + j + 4);
    low += d_low * d_low;
    high += d_high * d_high;
  }
  for (; j < n; ++j) {
    const float d = a[j] - b[j];
    low[0] += d * d;
  }
  return ((low[0] + low[1]) + (low[2] + low[3])) + ((high[0] + high[1]) + (high[2] + high[3]));
}

// The rows t-SNE measures: unit-length copies for cosine (a zero row stays zero), else as given.
Matrix measured_rows(const Matrix& vectors, TsneMetric metric) {
  Matrix rows = vectors;
  if (metric == TsneMetric::cosine) {
    const std::size_t d = static_cast<std::size_t>(rows.cols());
    for (Eigen::Index i = 0; i < rows.rows(); ++i) {
      float* row = rows.row(i).data();
      double sum = 0;
      for (std::size_t j = 0; j < d; ++j) sum += static_cast<double>(row[j]) * row[j];
      const double norm = std::sqrt(sum);
      if (norm > 0) {
        for (std::size_t j = 0; j < d; ++j) row[j] = static_cast<float>(row[j] / norm);
      }
    }
  }
  return rows;
}

struct Candidate {
  float distance;
  std::uint32_t index;
};

bool closer(const Candidate& a, const Candidate& b) {
  if (a.distance != b.distance) return a.distance < b.distance;
  return a.index < b.index;
}

// Sets p[0..k) to the Gaussian weights exp(-beta (d - d_min)) / sum whose entropy is
// log(perplexity) (d sorted ascending, so d[0] is the minimum; the shift keeps the largest weight
// at 1 whatever the scale of the distances), and returns the perplexity reached.
double calibrate_row(const double* d, std::size_t k, double perplexity, double* p) {
  const double target = portable_log(perplexity);
  double mean_shift = 0;
  for (std::size_t m = 0; m < k; ++m) mean_shift += d[m] - d[0];
  mean_shift /= static_cast<double>(k);

  // Start where the weights fall to 1/e at the mean distance. Newton's method on the entropy
  // H(beta) = log S + beta E[s], whose derivative is -beta Var[s], takes a handful of steps;
  // a step that would leave the bracket found so far doubles, halves or bisects instead, as
  // scikit-learn's search does throughout.
  double beta = mean_shift > 0 ? 1 / mean_shift : 1;
  double beta_low = 0, beta_high = std::numeric_limits<double>::infinity();
  double entropy = 0;
  for (int step = 0; step < kBandwidthSteps; ++step) {
    double sum = 0, first = 0, second = 0;
    for (std::size_t m = 0; m < k; ++m) {
      const double shifted = d[m] - d[0];
      p[m] = portable_exp(-beta * shifted);
      sum += p[m];
      first += shifted * p[m];
      second += shifted * shifted * p[m];
    }
    const double mean = first / sum;
    const double variance = second / sum - mean * mean;
    entropy = portable_log(sum) + beta * mean;
    const double miss = entropy - target;
    if (std::abs(miss) <= kEntropyTolerance) break;
    if (miss > 0) {
      beta_low = beta;
    } else {
      beta_high = beta;
    }
    const double newton = variance > 0 ? beta + miss / (beta * variance) : -1;
    if (newton > beta_low && newton < beta_high) {
      beta = newton;
    } else if (miss > 0) {
      beta = std::isinf(beta_high) ? beta * 2 : (beta + beta_high) / 2;
    } else {
      beta = beta_low == 0 ? beta / 2 : (beta + beta_low) / 2;
    }
  }
  double sum = 0;
  for (std::size_t m = 0; m < k; ++m) sum += p[m];
  for (std::size_t m = 0; m < k; ++m) p[m] /= sum;
  return portable_exp(entropy);
}

}  // namespace

TsneAffinities tsne_affinities(const Matrix& vectors, const TsneOptions& options) {
  const std::size_t n = static_cast<std::size_t>(vectors.rows());
  options.validate_for(n);
  if (!vectors.allFinite()) {
    throw std::invalid_argument("t-SNE input holds a value that is not a finite number");
  }
  const Matrix rows = measured_rows(vectors, options.metric);
  const std::size_t dim = static_cast<std::size_t>(rows.cols());
  const std::size_t k =
      std::min(n - 1, static_cast<std::size_t>(std::floor(3 * options.perplexity + 1)));

  // Conditional affinities p(j | i) over each item's k nearest neighbours.
  TsneAffinities result;
  result.perplexities.resize(n);
  std::vector<std::uint32_t> neighbour(n * k);
  std::vector<double> conditional(n * k);
  std::vector<Candidate> heap(n * k);  // row i's k nearest so far, a max-heap under closer()
  std::vector<std::size_t> heap_size(n, 0);
  std::vector<float> worst(n, std::numeric_limits<float>::infinity());
  auto offer = [&](std::size_t row, Candidate c) {
    // worst[row] is the heap's largest distance once it is full: most pairs stop at this test.
    if (c.distance > worst[row]) return;
    Candidate* h = &heap[row * k];
    std::size_t& size = heap_size[row];
    if (size < k) {
      h[size++] = c;
      std::push_heap(h, h + size, closer);
    } else if (closer(c, h[0])) {
      std::pop_heap(h, h + k, closer);
      h[k - 1] = c;
      std::push_heap(h, h + k, closer);
    } else {
      return;
    }
    if (size == k) worst[row] = h[0].distance;
  };
  // Each pair once, offered to both rows: the distance is symmetric bit for bit. Which k items
  // end in a heap does not depend on the order of offers, since (distance, index) is a total
  // order, so the neighbours and their order are the same with any standard library.
  for (std::size_t i = 0; i < n; ++i) {
    const float* a = rows.row(static_cast<Eigen::Index>(i)).data();
    for (std::size_t j = i + 1; j < n; ++j) {
      const float d = squared_distance(a, rows.row(static_cast<Eigen::Index>(j)).data(), dim);
      // The lambda's own first test, repeated here: most pairs then skip the call.
      if (!(d > worst[i])) offer(i, {d, static_cast<std::uint32_t>(j)});
      if (!(d > worst[j])) offer(j, {d, static_cast<std::uint32_t>(i)});
    }
  }

  std::vector<double> distance(k);
  for (std::size_t i = 0; i < n; ++i) {
    Candidate* h = &heap[i * k];
    std::sort(h, h + k, closer);
    for (std::size_t m = 0; m < k; ++m) {
      neighbour[i * k + m] = h[m].index;
      distance[m] = h[m].distance;
    }
    result.perplexities[i] =
        calibrate_row(distance.data(), k, options.perplexity, &conditional[i * k]);
  }

  // Symmetrise: row i gets p(j | i) from its own list and p(i | j) from every j that lists i.
  std::vector<std::size_t> count(n, k);
  for (std::uint32_t j : neighbour) ++count[j];
  std::vector<std::size_t> start(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) start[i + 1] = start[i] + count[i];
  std::vector<std::pair<std::uint32_t, double>> entries(start[n]);
  std::vector<std::size_t> fill(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t m = 0; m < k; ++m) {
      const std::uint32_t j = neighbour[i * k + m];
      const double value = conditional[i * k + m];
      entries[fill[i]++] = {j, value};
      entries[fill[j]++] = {static_cast<std::uint32_t>(i), value};
    }
  }

  // A pair listed both ways appears twice in each of its rows: the two halves are added, and
  // a + b == b + a exactly, so P(i, j) and P(j, i) get the same bits.
  result.row_start.assign(n + 1, 0);
  result.columns.reserve(entries.size());
  result.values.reserve(entries.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto begin = entries.begin() + static_cast<std::ptrdiff_t>(start[i]);
    const auto end = entries.begin() + static_cast<std::ptrdiff_t>(start[i + 1]);
    std::sort(begin, end, [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto it = begin; it != end; ++it) {
      if (result.columns.size() > result.row_start[i] && result.columns.back() == it->first) {
        result.values.back() += it->second;
      } else {
        result.columns.push_back(it->first);
        result.values.push_back(it->second);
      }
    }
    result.row_start[i + 1] = result.columns.size();
  }
  double total = 0;
  for (double v : result.values) total += v;
  for (double& v : result.values) v /= total;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Quadtree

/// A point-region quadtree over the layout in flat arrays. Each node covers a square cell and
/// stores the centre of mass and count of its points, which are order_[begin, begin + count);
/// an inner node's non-empty children are consecutive nodes from `link`; a leaf of one point
/// keeps that point's index in `link`.
class QuadTree {
 public:
  struct Node {
    double x, y;    // centre of mass (adjacent: read as one Pair)
    double width2;  // squared extent of the points (the longer side of their bounding box)
    std::uint32_t begin, count;
    std::uint32_t link, children;
  };

  void build(const std::vector<double>& y, std::size_t n) {
    order_.resize(n);
    scratch_.resize(n);
    for (std::size_t i = 0; i < n; ++i) order_[i] = static_cast<std::uint32_t>(i);
    double min_x = y[0], max_x = y[0], min_y = y[1], max_y = y[1];
    for (std::size_t i = 1; i < n; ++i) {
      min_x = std::min(min_x, y[2 * i]);
      max_x = std::max(max_x, y[2 * i]);
      min_y = std::min(min_y, y[2 * i + 1]);
      max_y = std::max(max_y, y[2 * i + 1]);
    }
    const double side = std::max(max_x - min_x, max_y - min_y);
    nodes_.clear();
    nodes_.push_back({});
    split(y, 0, 0, static_cast<std::uint32_t>(n), min_x, min_y, side > 0 ? side : 1, 0);
  }

  /// Adds to (fx, fy) the repulsion Σ_j q_ij² (y_i - y_j) on point i with q_ij = 1 / (1 + d²),
  /// and returns Σ_j q_ij (the point's share of Q's normaliser). A cell is summarised by its
  /// centre of mass when the extent of its points (the longer side of their bounding box, at
  /// most the cell's side) is below theta × the distance to that centre: the error of the
  /// summary grows with the spread of the points, not with the cell around them, so this
  /// visits fewer cells than the cell-side test for about the same accuracy. Safe to call from
  /// several threads.
  double repel(const std::vector<double>& y, std::uint32_t i, double theta, double& fx,
               double& fy) const {
    const Pair yi = load_pair(&y[2 * i]);
    const double theta2 = theta * theta;
    double z = 0;
    Pair s = {0, 0};
    // Depth-first: each level leaves at most three siblings waiting.
    std::uint32_t stack[3 * kMaxDepth + 8];
    std::uint32_t top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const Node& node = nodes_[stack[--top]];
      const Pair d = yi - load_pair(&node.x);
      const Pair d_sq = d * d;
      const double d2 = d_sq[0] + d_sq[1];
      if (node.children == 0) {
        if (node.count == 1) {
          if (node.link == i) continue;
          const double q = 1 / (1 + d2);
          z += q;
          s += (q * q) * d;
          continue;
        }
        // A leaf of several (nearly) equal points: one by one, skipping i.
        for (std::uint32_t m = node.begin; m < node.begin + node.count; ++m) {
          const std::uint32_t j = order_[m];
          if (j == i) continue;
          const Pair e = yi - load_pair(&y[2 * j]);
          const Pair e_sq = e * e;
          const double q = 1 / ((1 + e_sq[0]) + e_sq[1]);
          z += q;
          s += (q * q) * e;
        }
      } else if (node.width2 < theta2 * d2) {
        const double mass = node.count;
        const double q = 1 / (1 + d2);
        const double mq = mass * q;
        z += mq;
        s += (mq * q) * d;
      } else {
        for (std::uint32_t c = node.children; c > 0; --c) stack[top++] = node.link + c - 1;
      }
    }
    fx += s[0];
    fy += s[1];
    return z;
  }

  /// The points in the tree's order (cell by cell), which keeps neighbouring queries in cache.
  const std::vector<std::uint32_t>& order() const { return order_; }

 private:
  void split(const std::vector<double>& y, std::uint32_t node, std::uint32_t begin,
             std::uint32_t end, double x0, double y0, double side, int depth) {
    double sx = 0, sy = 0;
    double min_x = y[2 * order_[begin]], max_x = min_x;
    double min_y = y[2 * order_[begin] + 1], max_y = min_y;
    for (std::uint32_t m = begin; m < end; ++m) {
      const double px = y[2 * order_[m]], py = y[2 * order_[m] + 1];
      sx += px;
      sy += py;
      min_x = std::min(min_x, px);
      max_x = std::max(max_x, px);
      min_y = std::min(min_y, py);
      max_y = std::max(max_y, py);
    }
    const std::uint32_t count = end - begin;
    const double extent = std::max(max_x - min_x, max_y - min_y);
    nodes_[node] = {sx / count, sy / count, extent * extent, begin, count, order_[begin], 0};
    if (count == 1 || depth >= kMaxDepth || (min_x == max_x && min_y == max_y)) return;

    // Stable counting sort of the range into the four quadrants.
    const double half = side / 2;
    const double mid_x = x0 + half, mid_y = y0 + half;
    std::uint32_t sizes[4] = {0, 0, 0, 0};
    auto quadrant = [&](std::uint32_t j) {
      return (y[2 * j] >= mid_x ? 1 : 0) + (y[2 * j + 1] >= mid_y ? 2 : 0);
    };
    for (std::uint32_t m = begin; m < end; ++m) ++sizes[quadrant(order_[m])];
    std::uint32_t offsets[4];
    offsets[0] = begin;
    for (int q = 1; q < 4; ++q) offsets[q] = offsets[q - 1] + sizes[q - 1];
    std::uint32_t cursor[4] = {offsets[0], offsets[1], offsets[2], offsets[3]};
    for (std::uint32_t m = begin; m < end; ++m) {
      scratch_[cursor[quadrant(order_[m])]++] = order_[m];
    }
    std::copy(scratch_.begin() + begin, scratch_.begin() + end, order_.begin() + begin);

    std::uint32_t children = 0;
    for (int q = 0; q < 4; ++q) children += sizes[q] > 0 ? 1 : 0;
    const auto first = static_cast<std::uint32_t>(nodes_.size());
    nodes_[node].link = first;
    nodes_[node].children = children;
    nodes_.resize(nodes_.size() + children);
    std::uint32_t child = first;
    for (int q = 0; q < 4; ++q) {
      if (sizes[q] == 0) continue;
      split(y, child++, offsets[q], offsets[q] + sizes[q], (q & 1) ? mid_x : x0,
            (q & 2) ? mid_y : y0, half, depth + 1);
    }
  }

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> order_;
  std::vector<std::uint32_t> scratch_;
};

// ---------------------------------------------------------------------------------------------
// t-SNE

namespace {

// Runs work(begin, end) over [0, n) split into `threads` contiguous shares, the first on the
// calling thread. A thread that cannot start leaves its share to the calling thread.
template <typename Work>
void parallel_for(int threads, std::size_t n, const Work& work) {
  if (threads <= 1 || n < 2 * static_cast<std::size_t>(threads)) {
    work(std::size_t{0}, n);
    return;
  }
  const std::size_t share = (n + static_cast<std::size_t>(threads) - 1) /
                            static_cast<std::size_t>(threads);
  std::vector<std::thread> pool;
  std::vector<std::pair<std::size_t, std::size_t>> left;
  for (int t = 1; t < threads; ++t) {
    const std::size_t begin = std::min(n, share * static_cast<std::size_t>(t));
    const std::size_t end = std::min(n, begin + share);
    try {
      pool.emplace_back([&work, begin, end] { work(begin, end); });
    } catch (const std::system_error&) {
      left.emplace_back(begin, end);
    }
  }
  work(std::size_t{0}, std::min(n, share));
  for (const auto& range : left) work(range.first, range.second);
  for (std::thread& thread : pool) thread.join();
}

}  // namespace

/// What kl_gradient reuses from one iteration to the next.
struct TsneWorkspace {
  QuadTree tree;
  std::vector<double> attraction;
  std::vector<double> z_share;
};

namespace {

// The attraction Σ_j P_ij q_ij (y_i - y_j) on one point, over row i of P in order. Neighbours
// go two at a time, so that their two divisions share one vector division.
class AttractionSum {
 public:
  AttractionSum(const TsneAffinities& p, const std::vector<double>& y, std::uint32_t i)
      : i_(i), e_(p.row_start[i]), end_(p.row_start[i + 1]), yi_(load_pair(&y[2 * i])) {}

  bool pairs_left() const { return e_ + 2 <= end_; }

  void add_pair(const TsneAffinities& p, const std::vector<double>& y) {
    const Pair d0 = yi_ - load_pair(&y[2 * static_cast<std::size_t>(p.columns[e_])]);
    const Pair d1 = yi_ - load_pair(&y[2 * static_cast<std::size_t>(p.columns[e_ + 1])]);
    const Pair s0 = d0 * d0, s1 = d1 * d1;
    const Pair denominator = {(1 + s0[0]) + s0[1], (1 + s1[0]) + s1[1]};
    const Pair w = load_pair(&p.values[e_]) / denominator;
    sum_ += w[0] * d0;
    sum_ += w[1] * d1;
    e_ += 2;
  }

  /// Adds the rest of the row and writes the sum to out[2i], out[2i + 1].
  void finish(const TsneAffinities& p, const std::vector<double>& y, std::vector<double>& out) {
    while (pairs_left()) add_pair(p, y);
    if (e_ < end_) {
      const Pair d = yi_ - load_pair(&y[2 * static_cast<std::size_t>(p.columns[e_])]);
      const Pair s = d * d;
      sum_ += (p.values[e_] / ((1 + s[0]) + s[1])) * d;
    }
    out[2 * i_] = sum_[0];
    out[2 * i_ + 1] = sum_[1];
  }

 private:
  std::uint32_t i_;
  std::size_t e_, end_;
  Pair yi_;
  Pair sum_ = {0, 0};
};

// The gradient of KL(P || Q), with P multiplied by `exaggeration`, into out (interleaved):
// 4 Σ_j (exaggeration P_ij - q_ij / Z) q_ij (y_i - y_j), q_ij = 1 / (1 + d_ij²). The attractive
// part is exact over P's non-zeros; the repulsive part comes from the quadtree. Each point's
// sums are its own and Z adds the points' shares in tree order, so the result has the same bits
// for any thread count.
void kl_gradient(const TsneAffinities& p, const std::vector<double>& y, double theta,
                 double exaggeration, int threads, TsneWorkspace& work,
                 std::vector<double>& out) {
  const std::size_t n = p.size();
  QuadTree& tree = work.tree;
  tree.build(y, n);
  out.assign(2 * n, 0.0);
  std::vector<double>& attraction = work.attraction;
  std::vector<double>& z_share = work.z_share;
  attraction.resize(2 * n);
  z_share.resize(n);
  const std::vector<std::uint32_t>& order = tree.order();

  parallel_for(threads, n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; ++r) {
      const std::uint32_t i = order[r];
      z_share[r] = tree.repel(y, i, theta, out[2 * i], out[2 * i + 1]);
    }

    // Two rows side by side: each row's sum is one chain of dependent additions, and a second,
    // independent chain fills the wait (the order within each row is unchanged).
    std::size_t r = begin;
    for (; r + 2 <= end; r += 2) {
      AttractionSum first(p, y, order[r]), second(p, y, order[r + 1]);
      while (first.pairs_left() && second.pairs_left()) {
        first.add_pair(p, y);
        second.add_pair(p, y);
      }
      first.finish(p, y, attraction);
      second.finish(p, y, attraction);
    }
    if (r < end) AttractionSum(p, y, order[r]).finish(p, y, attraction);
  });

  double z = 0;
  for (double share : z_share) z += share;
  for (std::size_t c = 0; c < 2 * n; ++c) {
    out[c] = 4 * (exaggeration * attraction[c] - out[c] / z);
  }
}

std::vector<double> random_layout(std::size_t n, std::uint64_t seed) {
  // Marsaglia's polar method: only +, *, / , sqrt (exact in IEEE arithmetic) and portable_log,
  // so the draws are the same natively and in WebAssembly.
  Rng rng(seed, 0x7453e);
  std::vector<double> y(2 * n);
  for (std::size_t i = 0; i < 2 * n; i += 2) {
    double u = 0, v = 0, s = 0;
    do {
      u = rng.uniform() * 2 - 1;
      v = rng.uniform() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double factor = std::sqrt(-2 * portable_log(s) / s);
    y[i] = kInitialSd * u * factor;
    y[i + 1] = kInitialSd * v * factor;
  }
  return y;
}

// The first two principal components scaled so the first has sd 1e-4 (scikit-learn's
// initialisation), of the measured rows (unit-length for cosine). A set of identical rows falls
// back to the random start.
//
// Known limit: pca() runs through Eigen's products and eigensolver. The WebAssembly build keeps
// Eigen's SSE2 code paths (-msse2), so both builds should take the same operations, but that
// has not been checked bit for bit; if they differ, a layout-independent initialisation (power
// iteration in plain loops) would lift it. The random start has no such caveat.
std::vector<double> pca_layout(const Matrix& rows, std::uint64_t seed) {
  const std::size_t n = static_cast<std::size_t>(rows.rows());
  const PcaResult result = pca(rows, 2);
  double sum = 0, sum2 = 0;
  for (std::size_t i = 0; i < n; ++i) sum += result.coordinates(static_cast<Eigen::Index>(i), 0);
  const double mean = sum / static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double d = result.coordinates(static_cast<Eigen::Index>(i), 0) - mean;
    sum2 += d * d;
  }
  const double sd = std::sqrt(sum2 / static_cast<double>(n));
  if (!(sd > 0)) return random_layout(n, seed);
  std::vector<double> y(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (Eigen::Index c = 0; c < 2; ++c) {
      y[2 * i + static_cast<std::size_t>(c)] =
          result.coordinates(static_cast<Eigen::Index>(i), c) / sd * kInitialSd;
    }
  }
  return y;
}

}  // namespace

Tsne::Tsne(const Matrix& vectors, TsneOptions options)
    : n_(static_cast<std::size_t>(vectors.rows())),
      options_(options),
      work_(std::make_unique<TsneWorkspace>()) {
  options_.validate_for(n_);
  if (options_.init == TsneInit::pca && vectors.cols() < 2) {
    throw std::invalid_argument("init pca needs vectors of at least 2 dimensions, got " +
                                std::to_string(vectors.cols()) + "; use init random");
  }
  p_ = tsne_affinities(vectors, options_);
  learning_rate_ = options_.resolved_learning_rate(n_);
  y_ = options_.init == TsneInit::pca
           ? pca_layout(measured_rows(vectors, options_.metric), options_.seed)
           : random_layout(n_, options_.seed);
  update_.assign(2 * n_, 0.0);
  gains_.assign(2 * n_, 1.0);
  progress_.iterations = options_.iterations;
  progress_.exaggerating = options_.exaggeration_iterations > 0;
}

Tsne::~Tsne() = default;

void Tsne::iterate() {
  const int t = progress_.iteration;
  const bool exaggerating = t < options_.exaggeration_iterations;
  if (t == options_.exaggeration_iterations && t > 0) {
    // A fresh descent for the second phase, as scikit-learn runs it.
    std::fill(update_.begin(), update_.end(), 0.0);
    std::fill(gains_.begin(), gains_.end(), 1.0);
  }
  kl_gradient(p_, y_, options_.theta, exaggerating ? options_.early_exaggeration : 1,
              options_.threads, *work_, grad_);
  const double momentum = exaggerating ? kInitialMomentum : kFinalMomentum;
  for (std::size_t c = 0; c < 2 * n_; ++c) {
    const bool sign_change = update_[c] * grad_[c] < 0;
    gains_[c] = std::max(sign_change ? gains_[c] + kGainUp : gains_[c] * kGainDown, kMinGain);
    update_[c] = momentum * update_[c] - learning_rate_ * gains_[c] * grad_[c];
    y_[c] += update_[c];
  }
  ++progress_.iteration;
  progress_.exaggerating = progress_.iteration < options_.exaggeration_iterations;
}

const TsneProgress& Tsne::step(int iterations) {
  if (iterations < 0) {
    throw std::invalid_argument("t-SNE step iterations must be >= 0, got " +
                                std::to_string(iterations));
  }
  for (int s = 0; s < iterations && !finished(); ++s) {
    iterate();
    if (progress_.iteration >= progress_.iterations) progress_.finished = true;
  }
  return progress_;
}

const TsneProgress& Tsne::run() { return step(progress_.iterations - progress_.iteration); }

void Tsne::cancel() { progress_.cancelled = true; }

Matrix Tsne::layout_matrix() const {
  Matrix m(static_cast<Eigen::Index>(n_), 2);
  for (std::size_t i = 0; i < n_; ++i) {
    m(static_cast<Eigen::Index>(i), 0) = static_cast<float>(y_[2 * i]);
    m(static_cast<Eigen::Index>(i), 1) = static_cast<float>(y_[2 * i + 1]);
  }
  return m;
}

double Tsne::kl_divergence() const {
  double z = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    for (std::size_t j = 0; j < n_; ++j) {
      if (j == i) continue;
      const double dx = y_[2 * i] - y_[2 * j], dy = y_[2 * i + 1] - y_[2 * j + 1];
      z += 1 / (1 + dx * dx + dy * dy);
    }
  }
  double kl = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    for (std::size_t e = p_.row_start[i]; e < p_.row_start[i + 1]; ++e) {
      const std::size_t j = p_.columns[e];
      const double dx = y_[2 * i] - y_[2 * j], dy = y_[2 * i + 1] - y_[2 * j + 1];
      const double q = 1 / (1 + dx * dx + dy * dy) / z;
      kl += p_.values[e] * portable_log(p_.values[e] / q);
    }
  }
  return kl;
}

std::vector<double> Tsne::gradient(double theta, double exaggeration) const {
  TsneWorkspace work;
  std::vector<double> out;
  kl_gradient(p_, y_, theta, exaggeration, options_.threads, work, out);
  return out;
}

std::vector<double> tsne(const Matrix& vectors, const TsneOptions& options) {
  Tsne run(vectors, options);
  run.run();
  return run.layout();
}

}  // namespace anime2vec
