#pragma once
// Recommendations for a visitor's list of titles (a profile): the page's "My list" and
// `anime2vec recommend` both rank through here.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "anime2vec/embeddings.hpp"
#include "anime2vec/neighbours.hpp"

namespace anime2vec {

/// One listed title: its row in the vectors and, optionally, the visitor's score of it.
struct ProfileEntry {
  std::uint32_t item = 0;
  /// 1..10 (any real number in the range), or none for "watched, no opinion".
  std::optional<double> score;
};

/// One recommended item.
struct ProfileRecommendation {
  std::uint32_t index = 0;  ///< row in the vectors
  float score = 0;          ///< cosine between the profile and the item (or q/|q| · o_j)
  /// The listed item contributing most to this recommendation: the largest
  /// weight · cos(item, listed); a tie goes to the one listed first.
  std::uint32_t because = 0;
};

/// The weight of a listed title in the profile. No score: 1. A score s in 1..10:
/// (s − 5.5) / 4.5, so 10 → +1, 1 → −1 and the middle of the scale 5.5 → 0: a title the
/// visitor disliked pulls the profile away from itself, one rated average neither pulls nor
/// pushes. The scale is centred on its own middle rather than on the visitor's mean score so
/// that one title rated 7 still counts as liked; a list of only low scores then points away
/// from everything listed. Throws std::invalid_argument naming the value when s is not a
/// finite number in [1, 10].
///
/// The weights serve a visitor who wants to steer away from what they disliked, not hit rate:
/// on MovieLens-small with each user's ratings × 2 as scores they lower the profile query's
/// HR@10 (shared/EVAL.md; input·output 0.078 → 0.067, cosine 0.026 → 0.020, recommendation
/// preset, seeds 1-3), because the held-out item is the next one watched, and a title rated low
/// still predicts what its viewer watches next.
double profile_weight(const std::optional<double>& score);

/// The k best items not in `profile`, by cosine with q = Σ w_i v_i / |v_i| (the weighted mean
/// of unit vectors; only its direction matters). Equal scores go to the lower index; a zero
/// profile (all weights 0) scores every item 0 and so lists the lowest indices. Throws
/// std::invalid_argument for an empty profile, an item out of range or listed twice, or a bad
/// score.
///
/// With `output` (the trainer's output vectors, one row per item): input·output scoring,
/// score(j) = q/|q| · o_j, and "because" the largest w_i · (v_i/|v_i|) · o_j. On MovieLens-small
/// under shared/EVAL.md's profile query it ranks held-out items about three times better than
/// cosine (HR@10 0.078 against 0.026 with the recommendation preset; bench/RESULTS.md), but
/// it needs the output vectors, which a word2vec text model file does not hold.
std::vector<ProfileRecommendation> recommend_for_profile(const NeighbourIndex& index,
                                                         const std::vector<ProfileEntry>& profile,
                                                         std::size_t k,
                                                         const Matrix* output = nullptr);

/// The same from raw (not normalised) item vectors, row-major one item per row.
std::vector<ProfileRecommendation> recommend_for_profile(const Matrix& vectors,
                                                         const std::vector<ProfileEntry>& profile,
                                                         std::size_t k);

}  // namespace anime2vec
