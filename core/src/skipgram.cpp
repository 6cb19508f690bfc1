#include "anime2vec/skipgram.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

namespace anime2vec {

// ---------------------------------------------------------------------------------------------
// Portable elementary functions

namespace {

// ln 2 split so that k * kLn2High is exact for |k| < 2^11 (its low bits are zero).
constexpr double kLn2High = 6.93147180369123816490e-01;
constexpr double kLn2Low = 1.90821492927058770002e-10;
constexpr double kInverseLn2 = 1.44269504088896338700e+00;

}  // namespace

double portable_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;

  // x = k ln2 + r with |r| <= ln2 / 2, then a Taylor polynomial of degree 13 in r (its
  // remainder is below 1e-17 there) and an exact scaling by 2^k.
  const double k = std::floor(x * kInverseLn2 + 0.5);
  const double r = (x - k * kLn2High) - k * kLn2Low;
  double series = 1.0;
  for (int n = 13; n >= 1; --n) series = 1.0 + series * r / n;
  return std::ldexp(series, static_cast<int>(k));
}

double portable_log(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;

  // x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172,
  // whose odd series reaches 1e-18 by s^23.
  int e = 0;
  double m = std::frexp(x, &e);
  if (m < 0.70710678118654752440) {
    m *= 2;
    e -= 1;
  }
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double series = 1.0 / 23;
  for (int n = 21; n >= 1; n -= 2) series = series * s2 + 1.0 / n;
  return e * kLn2High + (e * kLn2Low + 2 * s * series);
}

// ---------------------------------------------------------------------------------------------
// Options

WindowMode parse_window_mode(const std::string& name) {
  if (name == "shrink") return WindowMode::shrink;
  if (name == "fixed") return WindowMode::fixed;
  if (name == "sequence") return WindowMode::sequence;
  if (name == "auto") return WindowMode::automatic;
  throw std::invalid_argument("window_mode must be one of shrink, fixed, sequence, auto, got '" +
                              name + "'");
}

const char* window_mode_name(WindowMode mode) {
  switch (mode) {
    case WindowMode::shrink:
      return "shrink";
    case WindowMode::fixed:
      return "fixed";
    case WindowMode::sequence:
      return "sequence";
    case WindowMode::automatic:
      return "auto";
  }
  return "unknown";
}

namespace {

void require_int(const char* field, int value, int low, int high) {
  if (value < low || value > high) {
    throw std::invalid_argument(std::string(field) + " must be between " + std::to_string(low) +
                                " and " + std::to_string(high) + ", got " + std::to_string(value));
  }
}

std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

}  // namespace

void TrainOptions::validate() const {
  require_int("dimension", dimension, 1, 1024);
  require_int("window", window, 1, 1000);
  require_int("negatives", negatives, 1, 100);
  require_int("epochs", epochs, 1, 10000);
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  require_int("threads", threads, 1, 1);  // this WebAssembly build has no threads
#else
  require_int("threads", threads, 1, 256);
#endif
  if (window_mode != WindowMode::shrink && window_mode != WindowMode::fixed &&
      window_mode != WindowMode::sequence && window_mode != WindowMode::automatic) {
    throw std::invalid_argument("window_mode must be one of shrink, fixed, sequence, auto, got " +
                                std::to_string(static_cast<int>(window_mode)));
  }
  if (!std::isfinite(ns_exponent)) {
    throw std::invalid_argument("ns_exponent must be a finite number, got " +
                                number_text(ns_exponent));
  }
  if (!(subsample >= 0) || !std::isfinite(subsample)) {
    throw std::invalid_argument("subsample must be a finite number >= 0 (0 disables it), got " +
                                number_text(subsample));
  }
  if (!(learning_rate > 0) || !std::isfinite(learning_rate)) {
    throw std::invalid_argument("learning_rate must be a finite number > 0, got " +
                                number_text(learning_rate));
  }
  if (!(min_learning_rate > 0) || !(min_learning_rate <= learning_rate)) {
    throw std::invalid_argument("min_learning_rate must be > 0 and at most learning_rate (" +
                                number_text(learning_rate) + "), got " +
                                number_text(min_learning_rate));
  }
}

// ---------------------------------------------------------------------------------------------
// Negative sampling

NegativeSampler::NegativeSampler(const std::vector<std::uint64_t>& counts, double exponent) {
  if (!std::isfinite(exponent)) {
    throw std::invalid_argument("ns_exponent must be a finite number, got " +
                                number_text(exponent));
  }
  const std::size_t n = counts.size();
  if (n == 0 || n > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument("negative sampling needs 1 to 2^32-1 items, got " +
                                std::to_string(n));
  }

  // Weights in log space relative to the largest, so that any finite exponent neither
  // overflows nor loses every item to underflow.
  std::vector<double> log_weight(n, -std::numeric_limits<double>::infinity());
  double largest = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    if (counts[i] == 0) continue;
    log_weight[i] = exponent * portable_log(static_cast<double>(counts[i]));
    largest = std::max(largest, log_weight[i]);
  }
  if (!std::isfinite(largest)) {
    throw std::invalid_argument("negative sampling needs at least one item with a positive count");
  }
  probability_.assign(n, 0.0);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (counts[i] == 0) continue;
    probability_[i] = portable_exp(log_weight[i] - largest);
    total += probability_[i];
  }
  for (auto& p : probability_) p /= total;

  // Vose's alias method: scaled probabilities n p_i; columns below 1 are topped up by one
  // above 1, which keeps its excess.
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small;
  std::vector<std::uint32_t> large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = probability_[i] * static_cast<double>(n);
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  threshold_.assign(n, std::uint64_t{1} << 32);
  alias_.resize(n);
  for (std::size_t i = 0; i < n; ++i) alias_[i] = static_cast<std::uint32_t>(i);
  while (!small.empty() && !large.empty()) {
    const std::uint32_t less = small.back();
    small.pop_back();
    const std::uint32_t more = large.back();
    threshold_[less] = static_cast<std::uint64_t>(scaled[less] * 0x1.0p32);
    alias_[less] = more;
    scaled[more] = (scaled[more] + scaled[less]) - 1.0;
    if (scaled[more] < 1.0) {
      large.pop_back();
      small.push_back(more);
    }
  }
  // Whatever remains is 1 up to rounding: such columns always keep their own item, except a
  // zero-count item left over by rounding, which defers to the most probable one.
  const auto most = static_cast<std::uint32_t>(
      std::max_element(probability_.begin(), probability_.end()) - probability_.begin());
  for (auto i : small) {
    if (probability_[i] == 0) {
      threshold_[i] = 0;
      alias_[i] = most;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The pair kernel

namespace {

constexpr int kSigmoidTableSize = 2048;
constexpr float kMaxLogit = 8.0f;
constexpr float kTableScale = kSigmoidTableSize / (2 * kMaxLogit);

struct SigmoidTables {
  std::array<float, kSigmoidTableSize> sigmoid;
  std::array<float, kSigmoidTableSize> log_sigmoid;

  // Entries sit at the centre of each cell, so that looking up by truncation is unbiased.
  SigmoidTables() {
    for (int i = 0; i < kSigmoidTableSize; ++i) {
      const double x = -kMaxLogit + (i + 0.5) / kTableScale;
      const double e = portable_exp(-x);
      sigmoid[i] = static_cast<float>(1.0 / (1.0 + e));
      log_sigmoid[i] = static_cast<float>(-portable_log(1.0 + e));
    }
  }
};

const SigmoidTables& sigmoid_tables() {
  static const SigmoidTables tables;
  return tables;
}

/// word2vec's clipped table: beyond ±kMaxLogit the sigmoid is taken as 0 or 1. Returns
/// label - σ(f) and adds the pair loss (approximate: it is reporting only) to `loss`.
struct TableSigmoid {
  const SigmoidTables& tables = sigmoid_tables();

  float operator()(float f, bool label, double& loss) const {
    if (f >= kMaxLogit) {
      if (!label) loss += f;
      return label ? 0.0f : -1.0f;
    }
    if (f <= -kMaxLogit) {
      if (label) loss -= f;
      return label ? 1.0f : 0.0f;
    }
    const int index = static_cast<int>((f + kMaxLogit) * kTableScale);
    if (label) {
      loss -= tables.log_sigmoid[index];
      return 1.0f - tables.sigmoid[index];
    }
    loss -= tables.log_sigmoid[kSigmoidTableSize - 1 - index];
    return -tables.sigmoid[index];
  }
};

/// The exact sigmoid in double, for tests.
struct ExactSigmoid {
  float operator()(float f, bool label, double& loss) const {
    const double x = label ? f : -static_cast<double>(f);
    // -log σ(x) = log(1 + e^-x), written to stay finite for large |x|.
    loss += x > 0 ? std::log1p(std::exp(-x)) : -x + std::log1p(std::exp(x));
    const double sigma = 1.0 / (1.0 + std::exp(-static_cast<double>(f)));
    return static_cast<float>((label ? 1.0 : 0.0) - sigma);
  }
};

// Sixteen accumulators in a fixed order: the compiler may map them onto SIMD lanes, which keeps
// every rounding the same, whereas one accumulator could only be vectorised by reassociating.
// Sixteen rather than eight shortens the chain of dependent additions, which bounds the speed.
inline float dot(const float* a, const float* b, int n) {
  float acc[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    for (int k = 0; k < 16; ++k) acc[k] += a[i + k] * b[i + k];
  }
  for (int k = 0; i < n; ++i, ++k) acc[k] += a[i] * b[i];
  for (int k = 0; k < 8; ++k) acc[k] += acc[k + 8];
  for (int k = 0; k < 4; ++k) acc[k] += acc[k + 4];
  return (acc[0] + acc[2]) + (acc[1] + acc[3]);
}

/// Asks for a row's cache lines ahead of use; rows of negatives are scattered over the matrix.
inline void prefetch_row(const float* row, int dimension) {
#if defined(__GNUC__) || defined(__clang__)
  for (int d = 0; d < dimension; d += 16) __builtin_prefetch(row + d, 1);
#else
  (void)row;
  (void)dimension;
#endif
}

inline void axpy(float a, const float* x, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}

/// One positive pair and its negatives: for each output j (the context first, label 1, then the
/// negatives, label 0), g = scale (label - σ(input·output_j)) is added times output_j to
/// `input_step` (zeroed here) and then passed to sink(j, g) before the next output is read, as
/// word2vec does. The trainer's sink moves output_j by g·input; the gradient sink records
/// -g·input. Returns the pair's loss.
template <class Sigmoid, class Sink>
double pair_kernel(const float* input, const float* const* outputs, int count, int dimension,
                   float scale, const Sigmoid& sigmoid, float* input_step, Sink&& sink) {
  std::fill(input_step, input_step + dimension, 0.0f);
  double loss = 0;
  for (int j = 0; j < count; ++j) {
    const float f = dot(input, outputs[j], dimension);
    const float g = sigmoid(f, j == 0, loss) * scale;
    axpy(g, outputs[j], input_step, dimension);
    sink(j, g);
  }
  return loss;
}

/// The trainer's update of one pair: outputs move during the kernel, the input after it.
template <class Sigmoid>
double sgd_pair(float* input, float* const* outputs, int count, int dimension, float learning_rate,
                const Sigmoid& sigmoid, float* input_step) {
  const double loss =
      pair_kernel(input, outputs, count, dimension, learning_rate, sigmoid, input_step,
                  [&](int j, float g) { axpy(g, input, outputs[j], dimension); });
  axpy(1.0f, input_step, input, dimension);
  return loss;
}

}  // namespace

double pair_loss_and_gradients(const float* input, const std::vector<const float*>& outputs,
                               int dimension, std::vector<float>* grad_input,
                               std::vector<std::vector<float>>* grad_outputs) {
  const int count = static_cast<int>(outputs.size());
  std::vector<float> step(static_cast<std::size_t>(dimension));
  std::vector<std::vector<float>> output_grads(outputs.size());
  const double loss = pair_kernel(input, outputs.data(), count, dimension, 1.0f, ExactSigmoid{},
                                  step.data(), [&](int j, float g) {
                                    auto& grad = output_grads[static_cast<std::size_t>(j)];
                                    grad.resize(static_cast<std::size_t>(dimension));
                                    for (int d = 0; d < dimension; ++d) grad[d] = -g * input[d];
                                  });
  if (grad_input) {
    grad_input->resize(static_cast<std::size_t>(dimension));
    for (int d = 0; d < dimension; ++d) (*grad_input)[d] = -step[d];
  }
  if (grad_outputs) *grad_outputs = std::move(output_grads);
  return loss;
}

double update_pair(float* input, const std::vector<float*>& outputs, int dimension,
                   float learning_rate) {
  std::vector<float> step(static_cast<std::size_t>(dimension));
  return sgd_pair(input, outputs.data(), static_cast<int>(outputs.size()), dimension, learning_rate,
                  TableSigmoid{}, step.data());
}

// ---------------------------------------------------------------------------------------------
// The trainer

namespace {

/// What one thread adds up during a round.
struct ShareResult {
  std::uint64_t tokens = 0;
  std::uint64_t pairs = 0;
  double loss = 0;
};

/// One thread's reusable buffers: nothing is allocated per pair.
struct Scratch {
  std::vector<std::uint32_t> kept;           ///< the sequence after subsampling
  std::vector<std::uint32_t> kept_position;  ///< their positions in the full sequence
  std::vector<float*> outputs;               ///< output rows of a pair: context, negatives
  std::vector<float> input_step;
};

}  // namespace

struct Trainer::State {
  std::vector<double> keep_probability;  ///< per item; >= 1 means always kept without a draw
  NegativeSampler negatives;
  std::vector<std::size_t> share_begin;  ///< threads + 1 sequence indices
  std::vector<std::size_t> cursor;       ///< next sequence of each share
  std::vector<Rng> rngs;
  std::vector<Scratch> scratch;
  std::uint64_t tokens_done = 0;
  int epoch = 0;

  std::uint64_t share_tokens_left(const Corpus& corpus, std::size_t t) const {
    return corpus.offsets[share_begin[t + 1]] - corpus.offsets[cursor[t]];
  }
};

Trainer::Trainer(const Corpus& corpus, TrainOptions options)
    : corpus_(corpus), options_(options), state_(std::make_unique<State>()) {
  options_.validate();
  if (options_.window_mode == WindowMode::automatic) {
    options_.window_mode = corpus.ordered ? WindowMode::shrink : WindowMode::sequence;
  }
  const std::size_t vocab = corpus.vocab.size();
  if (corpus.token_count() == 0 || vocab == 0) {
    throw std::invalid_argument("corpus has no tokens to train on (" +
                                std::to_string(corpus.sequence_count()) + " users, " +
                                std::to_string(vocab) + " items)");
  }
  if (corpus.offsets.empty() || corpus.offsets.front() != 0 ||
      corpus.offsets.back() != corpus.token_count()) {
    throw std::invalid_argument("corpus offsets must run from 0 to the token count");
  }

  std::vector<std::uint64_t> counts(vocab, 0);
  for (std::size_t i = 0; i < corpus.tokens.size(); ++i) {
    const std::uint32_t token = corpus.tokens[i];
    if (token >= vocab) {
      throw std::invalid_argument("corpus token " + std::to_string(i) + " is item index " +
                                  std::to_string(token) + ", beyond the vocabulary of " +
                                  std::to_string(vocab));
    }
    ++counts[token];
  }
  State& state = *state_;
  state.negatives = NegativeSampler(counts, options_.ns_exponent);

  // word2vec's rule: keep with probability sqrt(t/f) + t/f, f the item's token frequency.
  const double total = static_cast<double>(corpus.token_count());
  state.keep_probability.assign(vocab, 1.0);
  if (options_.subsample > 0) {
    for (std::size_t i = 0; i < vocab; ++i) {
      if (counts[i] == 0) continue;
      const double ratio = options_.subsample / (static_cast<double>(counts[i]) / total);
      state.keep_probability[i] = std::sqrt(ratio) + ratio;
    }
  }

  const auto threads = static_cast<std::size_t>(options_.threads);
  const std::size_t users = corpus.sequence_count();
  state.share_begin.resize(threads + 1);
  for (std::size_t t = 0; t <= threads; ++t) {
    const std::size_t target =
        corpus.token_count() / threads * t + corpus.token_count() % threads * t / threads;
    state.share_begin[t] = static_cast<std::size_t>(
        std::lower_bound(corpus.offsets.begin(), corpus.offsets.begin() + users, target) -
        corpus.offsets.begin());
  }
  state.share_begin[threads] = users;
  state.cursor.assign(state.share_begin.begin(), state.share_begin.end() - 1);

  std::size_t longest = 0;
  for (std::size_t u = 0; u < users; ++u) longest = std::max(longest, corpus.sequence_length(u));
  const auto dimension = static_cast<std::size_t>(options_.dimension);
  for (std::size_t t = 0; t < threads; ++t) {
    state.rngs.emplace_back(options_.seed, t + 1);
    Scratch scratch;
    scratch.kept.reserve(longest);
    scratch.kept_position.reserve(longest);
    scratch.outputs.reserve(static_cast<std::size_t>(options_.negatives) + 1);
    scratch.input_step.resize(dimension);
    state.scratch.push_back(std::move(scratch));
  }

  // Stream 0 initialises; the threads use streams 1..threads.
  Rng init(options_.seed, 0);
  input_.resize(static_cast<Eigen::Index>(vocab), options_.dimension);
  const float half_width = 0.5f / static_cast<float>(options_.dimension);
  for (Eigen::Index i = 0; i < input_.size(); ++i) {
    input_.data()[i] = (init.uniform_float() * 2.0f - 1.0f) * half_width;
  }
  output_ = Matrix::Zero(static_cast<Eigen::Index>(vocab), options_.dimension);

  progress_.epochs = options_.epochs;
  progress_.tokens_total = static_cast<std::uint64_t>(corpus.token_count()) *
                           static_cast<std::uint64_t>(options_.epochs);
  progress_.learning_rate = options_.learning_rate;
}

Trainer::~Trainer() = default;

namespace {

/// Everything a thread reads while training its share in one round.
struct ShareJob {
  const Corpus* corpus;
  const TrainOptions* options;
  const std::vector<double>* keep_probability;
  const NegativeSampler* negatives;
  float* input;
  float* output;
  std::uint64_t tokens_before;  ///< over all threads, at the start of the round
  std::uint64_t tokens_total;
  const std::atomic<bool>* cancel;
};

float learning_rate_at(const TrainOptions& options, std::uint64_t done, std::uint64_t total) {
  const double start = options.learning_rate;
  const double end = options.min_learning_rate;
  const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  return static_cast<float>(std::max(end, start - (start - end) * fraction));
}

/// Trains sequences from `cursor` until `budget` tokens are done (finishing the last sequence),
/// the share ends or training is cancelled. The learning rate follows this thread's own count
/// scaled by `threads`: with one thread that is exactly the tokens done so far.
ShareResult train_share(const ShareJob& job, std::size_t& cursor, std::size_t end,
                        std::uint64_t budget, std::uint64_t threads, Rng& rng, Scratch& scratch) {
  const Corpus& corpus = *job.corpus;
  const TrainOptions& options = *job.options;
  const int dimension = options.dimension;
  const int window = options.window;
  const std::vector<double>& keep = *job.keep_probability;
  const TableSigmoid sigmoid;
  ShareResult result;

  while (cursor < end && result.tokens < budget) {
    if (job.cancel->load(std::memory_order_relaxed)) break;
    const std::uint32_t* sequence = corpus.sequence_begin(cursor);
    const std::size_t length = corpus.sequence_length(cursor);

    scratch.kept.clear();
    scratch.kept_position.clear();
    for (std::size_t i = 0; i < length; ++i) {
      const std::uint32_t item = sequence[i];
      if (keep[item] >= 1.0 || rng.uniform() < keep[item]) {
        scratch.kept.push_back(item);
        scratch.kept_position.push_back(static_cast<std::uint32_t>(i));
      }
    }

    const auto kept = static_cast<std::uint32_t>(scratch.kept.size());
    const std::uint64_t sequence_start = job.tokens_before + result.tokens * threads;
    for (std::uint32_t i = 0; i < kept; ++i) {
      if (i % 1024 == 1023 && job.cancel->load(std::memory_order_relaxed)) {
        // A very long sequence: stop inside it; the step reports the tokens it reached.
        result.tokens += scratch.kept_position[i];
        return result;
      }
      const float learning_rate = learning_rate_at(
          options, sequence_start + scratch.kept_position[i] * threads, job.tokens_total);
      const std::uint32_t centre = scratch.kept[i];
      float* centre_input = job.input + static_cast<std::size_t>(centre) * dimension;

      auto train_context = [&](std::uint32_t context) {
        scratch.outputs.clear();
        scratch.outputs.push_back(job.output + static_cast<std::size_t>(context) * dimension);
        for (int k = 0; k < options.negatives; ++k) {
          const std::uint32_t negative = job.negatives->sample(rng);
          if (negative == context) continue;
          scratch.outputs.push_back(job.output + static_cast<std::size_t>(negative) * dimension);
          prefetch_row(scratch.outputs.back(), dimension);
        }
        result.loss +=
            sgd_pair(centre_input, scratch.outputs.data(), static_cast<int>(scratch.outputs.size()),
                     dimension, learning_rate, sigmoid, scratch.input_step.data());
        ++result.pairs;
      };

      // Positions a context may come from: (i, kept) forward, else [0, kept) without i.
      const std::uint32_t choices = options.forward ? kept - 1 - i : kept - 1;
      if (options.window_mode == WindowMode::sequence &&
          choices > 2 * static_cast<std::uint32_t>(window)) {
        // Sampling keeps the cost per centre bounded on long sequences.
        for (int c = 0; c < 2 * window; ++c) {
          std::uint32_t j = rng.below(choices);
          j += options.forward ? i + 1 : (j >= i ? 1 : 0);
          train_context(scratch.kept[j]);
        }
        continue;
      }
      std::uint32_t reach = kept;  // sequence mode on a short sequence: every other item
      if (options.window_mode == WindowMode::shrink) {
        reach = static_cast<std::uint32_t>(window) - rng.below(static_cast<std::uint32_t>(window));
      } else if (options.window_mode == WindowMode::fixed) {
        reach = static_cast<std::uint32_t>(window);
      }
      const std::uint32_t first = options.forward ? i + 1 : (i > reach ? i - reach : 0);
      const std::uint32_t last = std::min(kept - 1, i + reach);
      for (std::uint32_t j = first; j <= last; ++j) {
        if (j != i) train_context(scratch.kept[j]);
      }
    }

    result.tokens += length;
    ++cursor;
  }
  return result;
}

}  // namespace

TrainProgress Trainer::step(std::uint64_t token_budget) {
  State& state = *state_;
  const std::size_t threads = state.cursor.size();
  ShareResult total;

  auto epoch_tokens_left = [&]() {
    std::uint64_t left = 0;
    for (std::size_t t = 0; t < threads; ++t) left += state.share_tokens_left(corpus_, t);
    return left;
  };
  auto advance_epoch_if_done = [&]() {
    if (state.epoch < options_.epochs && epoch_tokens_left() == 0) {
      ++state.epoch;
      if (state.epoch < options_.epochs) {
        state.cursor.assign(state.share_begin.begin(), state.share_begin.end() - 1);
      }
    }
  };

  std::uint64_t remaining = token_budget;
  while (remaining > 0 && state.epoch < options_.epochs &&
         !cancel_.load(std::memory_order_relaxed)) {
    advance_epoch_if_done();
    if (state.epoch >= options_.epochs) break;

    // Each share gets a part of the budget proportional to what it has left in this epoch, so
    // that the shares reach the end of the epoch together.
    const std::uint64_t left = epoch_tokens_left();
    std::vector<std::uint64_t> budgets(threads, 0);
    for (std::size_t t = 0; t < threads; ++t) {
      const std::uint64_t share_left = state.share_tokens_left(corpus_, t);
      if (share_left == 0) continue;
      if (remaining >= left) {
        budgets[t] = share_left;
      } else {
        const double part = static_cast<double>(remaining) * static_cast<double>(share_left) /
                            static_cast<double>(left);
        budgets[t] =
            std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::ceil(part)), 1, share_left);
      }
    }

    const ShareJob job{
        &corpus_,       &options_,         &state.keep_probability, &state.negatives, input_.data(),
        output_.data(), state.tokens_done, progress_.tokens_total,  &cancel_};
    std::vector<ShareResult> results(threads);
    // Each thread works on its own copies of its cursor, Rng and buffers: kept side by side in
    // the state's vectors they would share cache lines, and every draw would bounce them.
    auto run_share = [&](std::size_t t) {
      std::size_t cursor = state.cursor[t];
      Rng rng = state.rngs[t];
      Scratch scratch = std::move(state.scratch[t]);
      results[t] =
          train_share(job, cursor, state.share_begin[t + 1], budgets[t], threads, rng, scratch);
      state.cursor[t] = cursor;
      state.rngs[t] = rng;
      state.scratch[t] = std::move(scratch);
    };
    // The calling thread trains share 0. A share whose thread cannot start (the system is out
    // of threads) is trained here afterwards: slower, but the step still completes.
    std::vector<std::thread> workers;
    std::vector<std::size_t> left_over;
    for (std::size_t t = 1; t < threads; ++t) {
      if (budgets[t] == 0) continue;
      try {
        workers.emplace_back(run_share, t);
      } catch (const std::system_error&) {
        left_over.push_back(t);
      }
    }
    if (budgets[0] > 0) run_share(0);
    for (auto& worker : workers) worker.join();
    for (auto t : left_over) run_share(t);

    std::uint64_t round_tokens = 0;
    for (const auto& result : results) {
      round_tokens += result.tokens;
      total.pairs += result.pairs;
      total.loss += result.loss;
    }
    state.tokens_done += round_tokens;
    total.tokens += round_tokens;
    remaining -= std::min(remaining, round_tokens);
  }
  if (!cancel_.load(std::memory_order_relaxed)) advance_epoch_if_done();

  progress_.epoch = state.epoch;
  progress_.tokens_done = state.tokens_done;
  progress_.learning_rate = learning_rate_at(options_, state.tokens_done, progress_.tokens_total);
  progress_.pairs = total.pairs;
  progress_.loss = total.pairs ? total.loss / static_cast<double>(total.pairs) : 0.0;
  progress_.finished = state.epoch >= options_.epochs;
  progress_.cancelled = cancel_.load(std::memory_order_relaxed);
  return progress_;
}

TrainProgress Trainer::run() { return step(std::numeric_limits<std::uint64_t>::max()); }

void Trainer::cancel() { cancel_.store(true, std::memory_order_relaxed); }

Embeddings Trainer::embeddings() const {
  Embeddings result;
  result.ids = corpus_.vocab.ids;
  result.vectors = input_;
  return result;
}

}  // namespace anime2vec
