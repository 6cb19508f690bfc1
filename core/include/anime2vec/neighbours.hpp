#pragma once
// Exact nearest neighbours by cosine similarity.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "anime2vec/embeddings.hpp"

namespace anime2vec {

struct Neighbour {
  std::uint32_t index;  ///< row in the embeddings
  float score;          ///< cosine similarity
};

/// Brute-force cosine search over L2-normalised copies of the vectors (a zero vector stays zero
/// and scores 0 against everything). Results are sorted by score descending; equal scores go to
/// the lower index, so results never depend on the thread count or the platform's sort.
class NeighbourIndex {
 public:
  explicit NeighbourIndex(const Matrix& vectors);

  /// The k items most similar to item `item`, excluding itself.
  std::vector<Neighbour> for_item(std::uint32_t item, std::size_t k) const;

  /// The k items most similar to a query vector (any length, normalised here), skipping the
  /// indices in `exclude`.
  std::vector<Neighbour> for_vector(const float* query, std::size_t k,
                                    const std::vector<std::uint32_t>& exclude = {}) const;

  /// Profile query: the mean of the unit vectors of `items`, then for_vector, skipping the items
  /// themselves and `exclude`. `weights`, when given (one per item), weighs each unit vector;
  /// a negative weight pulls the profile away from that item.
  std::vector<Neighbour> for_items(const std::vector<std::uint32_t>& items, std::size_t k,
                                   const std::vector<float>& weights = {},
                                   const std::vector<std::uint32_t>& exclude = {}) const;

  /// Cosine similarity of every item with a query vector (normalised here).
  std::vector<float> scores(const float* query) const;

  const Matrix& unit_vectors() const { return unit_; }
  std::size_t size() const { return static_cast<std::size_t>(unit_.rows()); }
  std::size_t dimension() const { return static_cast<std::size_t>(unit_.cols()); }

 private:
  Matrix unit_;
};

}  // namespace anime2vec
