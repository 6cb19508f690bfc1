#pragma once
// Skip-gram with negative sampling over users' item sequences (item2vec), as a resumable
// object: step(budget) trains a bounded number of tokens and returns progress, so the CLI can
// draw a progress bar and the page's worker can post frames and cancel between steps.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "anime2vec/corpus.hpp"
#include "anime2vec/embeddings.hpp"
#include "anime2vec/rng.hpp"

namespace anime2vec {

/// How the context of a centre item is chosen within its user's sequence.
enum class WindowMode {
  shrink,    ///< word2vec: a window drawn uniformly from 1..window on each side
  fixed,     ///< exactly `window` items on each side
  sequence,  ///< item2vec: the whole sequence; 2*window context items drawn at random from it
  /// `shrink` when the corpus is in timestamp order, else `sequence`: without timestamps the
  /// file order is often no watching order at all (the Kaggle anime file lists each user's
  /// items by id), and a sliding window would then learn id proximity.
  automatic,
};

/// "shrink", "fixed", "sequence", "auto"; anything else is std::invalid_argument.
WindowMode parse_window_mode(const std::string& name);
const char* window_mode_name(WindowMode mode);

struct TrainOptions {
  /// Vector length. Default 64. Larger holds more structure but trains slower and needs more
  /// data; 32-128 suits tens of thousands of items.
  int dimension = 64;

  /// Context reach on each side of the centre item. Default 5. With `sequence` it sets how many
  /// context items are drawn per centre (2*window).
  int window = 5;

  /// Default automatic: word2vec's shrinking window on timestamp-ordered histories, the whole
  /// list (item2vec) otherwise. The Trainer resolves it; options() then shows the mode used.
  WindowMode window_mode = WindowMode::automatic;

  /// Contexts only after the centre (forward) instead of on both sides. Default false. With
  /// input·output scoring the model then predicts what follows an item, which is what a
  /// next-item query asks; cosine neighbours become "items followed by the same things".
  bool forward = false;

  /// Negative samples per positive pair. Default 5; more sharpens rare items, costs time.
  int negatives = 5;

  /// Negatives are drawn with probability proportional to count^ns_exponent. Default 0.75
  /// (word2vec). 1 samples by popularity, 0 uniformly, negative values favour rare items, which
  /// pushes recommendations towards popular ones. Any finite real number.
  double ns_exponent = 0.75;

  /// Frequent-item subsampling threshold t: an item of frequency f is kept with probability
  /// min(1, sqrt(t/f) + t/f). Default 1e-3; 0 turns subsampling off.
  double subsample = 1e-3;

  /// Passes over the corpus. Default 5.
  int epochs = 5;

  /// Learning rate decays linearly from learning_rate to min_learning_rate over all epochs.
  /// Defaults 0.025 and 0.0001 (word2vec's).
  float learning_rate = 0.025f;
  float min_learning_rate = 0.0001f;

  /// Worker threads (native only). Default 1, which makes the result a pure function of the seed.
  /// More threads update shared vectors without locks (Hogwild): faster, not bit-reproducible.
  int threads = 1;

  /// Seeds initial vectors, windows, subsampling and negatives. Default 1.
  std::uint64_t seed = 1;

  /// Throws std::invalid_argument naming the field, its value and what is allowed.
  void validate() const;
};

/// Where training stands after a step.
struct TrainProgress {
  int epoch = 0;  ///< current epoch, 0-based (== epochs when finished)
  int epochs = 0;
  std::uint64_t tokens_done = 0;   ///< centre positions processed over all epochs so far
  std::uint64_t tokens_total = 0;  ///< corpus tokens × epochs
  float learning_rate = 0;         ///< learning rate at the end of the step
  double loss = 0;                 ///< mean loss per (centre, context) pair over the last step
  std::uint64_t pairs = 0;         ///< pairs trained in the last step
  bool finished = false;
  bool cancelled = false;

  double fraction() const {
    return tokens_total ? static_cast<double>(tokens_done) / tokens_total : 1.0;
  }
};

/// Draws items with probability proportional to count^exponent through Vose's alias table: two
/// draws from the Rng per sample, memory proportional to the vocabulary. Items with count 0 are
/// never drawn (whatever the exponent). Weights are computed with portable_exp/portable_log, so
/// the table is identical natively and in WebAssembly.
class NegativeSampler {
 public:
  NegativeSampler() = default;

  /// Throws std::invalid_argument when no count is positive or the exponent is not finite.
  NegativeSampler(const std::vector<std::uint64_t>& counts, double exponent);

  std::uint32_t sample(Rng& rng) const {
    const std::uint32_t column = rng.below(static_cast<std::uint32_t>(alias_.size()));
    return rng.next_u32() < threshold_[column] ? column : alias_[column];
  }

  /// The probability of drawing item i (normalised weights).
  double probability(std::size_t i) const { return probability_[i]; }
  std::size_t size() const { return probability_.size(); }

 private:
  std::vector<std::uint64_t> threshold_;  ///< keep the column when a 32-bit draw is below
  std::vector<std::uint32_t> alias_;
  std::vector<double> probability_;
};

/// Trains skip-gram vectors on a corpus. The corpus must outlive the trainer.
///
/// Item frequencies (for subsampling and negatives) are counted from corpus.tokens, which is
/// what is trained on; vocab.counts is not read. Each centre item's input vector is trained
/// against the output vectors of its context items and of the negatives.
///
/// Threads: each step runs the calling thread plus threads-1 std::threads, each owning a
/// contiguous share of the users (split by token count) with its own Rng stream; they update the
/// shared matrices without locks (Hogwild). Collisions are rare because a pair touches few rows,
/// and they cost a little accuracy, never a crash; the price is that the result then depends on
/// timing. With one thread nothing is spawned and the vectors are a pure function of the seed.
class Trainer {
 public:
  /// Validates options and initialises vectors (input uniform in ±0.5/dimension, output zero,
  /// as word2vec does). Throws std::invalid_argument for bad options or an empty corpus.
  Trainer(const Corpus& corpus, TrainOptions options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// Trains about `token_budget` more centre tokens (never past the end) and returns progress.
  /// Splitting the same total into different steps gives the same vectors with one thread.
  TrainProgress step(std::uint64_t token_budget);

  /// Trains to the end.
  TrainProgress run();

  /// Stops training; may be called from another thread while step() runs: the step returns soon
  /// after, and further steps do nothing. Vectors trained so far stay usable.
  void cancel();

  const TrainProgress& progress() const { return progress_; }
  bool finished() const { return progress_.finished || progress_.cancelled; }
  const TrainOptions& options() const { return options_; }

  const Matrix& input_vectors() const { return input_; }
  const Matrix& output_vectors() const { return output_; }

  /// Vocabulary ids with the input vectors (the item embeddings).
  Embeddings embeddings() const;

 private:
  struct State;

  const Corpus& corpus_;
  TrainOptions options_;
  Matrix input_;
  Matrix output_;
  TrainProgress progress_;
  std::atomic<bool> cancel_{false};
  std::unique_ptr<State> state_;
};

/// Exposed for tests: the loss of one positive pair (centre, context) and its negatives with the
/// exact sigmoid, -log σ(u·v) - Σ log σ(-u·n), and the gradients with respect to the centre's
/// input vector and to each output vector (context first, then negatives, in order).
double pair_loss_and_gradients(const float* input, const std::vector<const float*>& outputs,
                               int dimension, std::vector<float>* grad_input,
                               std::vector<std::vector<float>>* grad_outputs);

/// Exposed for tests: one SGD update of the pair exactly as the trainer makes it (sigmoid table,
/// float arithmetic): outputs[0] is the context, the rest negatives. Updates the vectors in place
/// and returns the pair's loss before the update as the trainer reports it.
double update_pair(float* input, const std::vector<float*>& outputs, int dimension,
                   float learning_rate);

/// exp and log built from IEEE-exact operations only (+ - * / and frexp/ldexp), so that they give
/// the same bits natively and in WebAssembly, whose libm may round differently in the last bit.
/// Accurate to a few ulp; anything that affects the vectors goes through them.
double portable_exp(double x);
double portable_log(double x);  ///< x > 0

}  // namespace anime2vec
