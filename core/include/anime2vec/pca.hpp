#pragma once
// Principal component analysis of item vectors, for the 2D map.

#include <cstddef>
#include <vector>

#include "anime2vec/embeddings.hpp"

namespace anime2vec {

struct PcaResult {
  /// components × dimension, each row a unit principal axis; sign fixed so that the entry of
  /// largest magnitude is positive.
  Matrix axes;
  /// Variance along each axis, descending.
  std::vector<double> variances;
  /// Share of the total variance each axis explains.
  std::vector<double> explained;
  /// items × components coordinates of the centred vectors.
  Matrix coordinates;
};

/// Exact PCA of the centred rows of `vectors` through the eigen-decomposition of their
/// dimension × dimension covariance. Throws std::invalid_argument when components is 0 or more
/// than the dimension, or when there are fewer than 2 rows.
PcaResult pca(const Matrix& vectors, std::size_t components = 2);

}  // namespace anime2vec
