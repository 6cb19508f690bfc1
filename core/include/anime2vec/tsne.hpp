#pragma once
// Barnes-Hut t-SNE of item vectors to a 2D map, as a resumable object: step(iterations) runs a
// bounded number of gradient iterations and returns progress, so the CLI can draw a progress bar
// and the page's worker can post a frame after each step.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "anime2vec/embeddings.hpp"

namespace anime2vec {

/// How input similarities are measured.
enum class TsneMetric {
  cosine,     ///< Euclidean distance between L2-normalised vectors (the skip-gram geometry)
  euclidean,  ///< Euclidean distance between the raw vectors
};

/// "cosine", "euclidean"; anything else is std::invalid_argument.
TsneMetric parse_tsne_metric(const std::string& name);
const char* tsne_metric_name(TsneMetric metric);

/// Where the layout starts.
enum class TsneInit {
  pca,     ///< the first two principal components, scaled so the first has sd 1e-4
  random,  ///< independent normal draws with sd 1e-4 from the seed
};

/// "pca", "random"; anything else is std::invalid_argument.
TsneInit parse_tsne_init(const std::string& name);
const char* tsne_init_name(TsneInit init);

struct TsneOptions {
  /// Effective number of neighbours each item's input distribution spreads over. Default 30.
  /// Larger keeps more global structure and costs time (3 × perplexity neighbours per item);
  /// smaller splits the map into tighter, more numerous islands. Must be above 1 and below
  /// (items - 1) / 3.
  double perplexity = 30;

  /// Step size of gradient descent. Default 0, which means automatic: max(items /
  /// early_exaggeration / 4, 50), as scikit-learn and openTSNE do; too small a rate leaves
  /// large maps crumpled, too large a rate makes points overshoot.
  double learning_rate = 0;

  /// Factor on the input affinities during the first exaggeration_iterations. Default 12. It
  /// lets clusters form before they settle; larger separates them more.
  double early_exaggeration = 12;

  /// Iterations of early exaggeration (with momentum 0.5; 0.8 after). Default 250.
  int exaggeration_iterations = 250;

  /// Total iterations, early exaggeration included. Default 1000. Fewer stop earlier with a
  /// less settled map.
  int iterations = 1000;

  /// Barnes-Hut accuracy: a quadtree cell is summarised by its centre of mass when the extent of
  /// its points (the longer side of their bounding box) divided by the distance to that centre
  /// is below theta. Default 0.5. 0 is exact (quadratic time); larger is faster and rougher. At
  /// most 1: above about 0.7 a point's own cell can be summarised too (counting the point).
  double theta = 0.5;

  /// Seeds the random initialisation (init = random). Default 1. With init = pca the run
  /// involves no random draw.
  std::uint64_t seed = 1;

  /// Default pca, which is deterministic and keeps the global arrangement of PCA's map.
  TsneInit init = TsneInit::pca;

  /// Default cosine, the measure the item vectors are trained for.
  TsneMetric metric = TsneMetric::cosine;

  /// Threads for the gradient (native only). Default 1. Each point's forces are summed on their
  /// own and the normaliser in a fixed order, so any thread count gives the same bits; more
  /// threads only save time (the input affinities and the quadtree stay on one thread).
  int threads = 1;

  /// Throws std::invalid_argument naming the field, its value and what is allowed.
  void validate() const;

  /// validate(), and the checks that depend on the number of items (the perplexity).
  void validate_for(std::size_t items) const;

  /// learning_rate, or the automatic rate for this many items when it is 0.
  double resolved_learning_rate(std::size_t items) const;
};

/// The symmetric input affinities P as a sparse matrix in compressed rows: row i holds the items
/// whose affinity with i is positive, columns ascending. The values sum to 1 and P(i, j) ==
/// P(j, i) bit for bit.
struct TsneAffinities {
  std::vector<std::size_t> row_start;  ///< items + 1 offsets into columns and values
  std::vector<std::uint32_t> columns;
  std::vector<double> values;

  /// The perplexity each item's conditional distribution reached (its target, unless the binary
  /// search ran out of steps).
  std::vector<double> perplexities;

  std::size_t size() const { return row_start.empty() ? 0 : row_start.size() - 1; }
};

/// The input affinities t-SNE fits: for each item, its floor(3 perplexity + 1) nearest
/// neighbours (brute force, ties to the lower index) with Gaussian weights whose bandwidth a
/// bracketed Newton search sets to give the perplexity; then P = (P_cond + P_condᵀ) /
/// (2 items). Validates options for the number of rows (only perplexity and metric matter
/// here).
TsneAffinities tsne_affinities(const Matrix& vectors, const TsneOptions& options);

/// Where a t-SNE run stands after a step.
struct TsneProgress {
  int iteration = 0;   ///< iterations done
  int iterations = 0;  ///< total
  bool exaggerating = true;  ///< whether the next iteration still uses early exaggeration
  bool finished = false;
  bool cancelled = false;

  double fraction() const {
    return iterations ? static_cast<double>(iteration) / iterations : 1.0;
  }
};

struct TsneWorkspace;

/// Barnes-Hut t-SNE (van der Maaten 2014): exact sparse input affinities, a quadtree for the
/// repulsive forces, gradient descent with momentum and per-coordinate gains. The layout is a
/// pure function of the vectors and the options (the thread count aside, which changes nothing),
/// and a run split into any steps gives the same bits as one run.
///
/// The layout is double, items × 2, interleaved (x0, y0, x1, y1, ...), so that a page can copy
/// it out as one array per frame.
class Tsne {
 public:
  /// Validates options, computes the input affinities and the initial layout. Throws
  /// std::invalid_argument for bad options or input that is not finite.
  Tsne(const Matrix& vectors, TsneOptions options = {});
  ~Tsne();
  Tsne(const Tsne&) = delete;
  Tsne& operator=(const Tsne&) = delete;

  /// Runs up to `iterations` more iterations (never past options.iterations) and returns
  /// progress; layout() then holds the current map.
  const TsneProgress& step(int iterations);

  /// Runs to the end.
  const TsneProgress& run();

  /// Stops: further steps do nothing. The layout so far stays usable.
  void cancel();

  const TsneProgress& progress() const { return progress_; }
  bool finished() const { return progress_.finished || progress_.cancelled; }
  const TsneOptions& options() const { return options_; }
  const TsneAffinities& affinities() const { return p_; }
  double learning_rate() const { return learning_rate_; }
  std::size_t size() const { return n_; }

  /// items × 2 coordinates, interleaved.
  const std::vector<double>& layout() const { return y_; }

  /// The layout as an items × 2 matrix (float, as the other maps).
  Matrix layout_matrix() const;

  /// KL(P || Q) of the current layout, with Q's normaliser from an exact O(items²) sum: for
  /// reports and tests, not for every frame.
  double kl_divergence() const;

  /// Exposed for tests: the gradient of KL(P || Q) (times exaggeration) at the current layout,
  /// with the Barnes-Hut approximation at `theta` (0 is exact), interleaved like layout().
  std::vector<double> gradient(double theta, double exaggeration = 1) const;

 private:
  void iterate();

  std::size_t n_ = 0;
  TsneOptions options_;
  double learning_rate_ = 0;
  TsneAffinities p_;
  TsneProgress progress_;

  std::vector<double> y_;
  std::vector<double> update_;
  std::vector<double> gains_;
  std::vector<double> grad_;

  // The quadtree and the gradient's buffers, rebuilt each iteration into arrays that keep their
  // capacity, so an iteration allocates nothing.
  std::unique_ptr<TsneWorkspace> work_;
};

/// Convenience: the whole run at once; returns the items × 2 layout, interleaved.
std::vector<double> tsne(const Matrix& vectors, const TsneOptions& options = {});

}  // namespace anime2vec
