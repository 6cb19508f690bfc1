#pragma once
// The evaluation protocol of EVAL.md: leave-last-out next-item prediction with full ranking,
// for the skip-gram model and two baselines (popularity, item-kNN).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "anime2vec/corpus.hpp"
#include "anime2vec/embeddings.hpp"
#include "anime2vec/ratings.hpp"

namespace anime2vec {

/// Users' training sequences and held-out items, with items indexed as EVAL.md §4 says:
/// training count descending, then id ascending. That is also the order of a Vocabulary, so
/// corpus() gives a training corpus whose vocabulary indices are these item indices.
struct EvalSplit {
  std::vector<std::string> item_ids;    ///< the catalogue: every item of a training sequence
  std::vector<std::uint64_t> counts;    ///< training count of each item
  std::vector<std::string> users;       ///< user id of each sequence, ascending
  std::vector<std::vector<std::uint32_t>> train;  ///< per user, in order
  std::vector<long long> target;        ///< per user: held-out item index, -1 if not in catalogue
  bool ordered = false;                 ///< sequences follow timestamps (else file order)

  std::size_t evaluated_users() const;

  /// The training sequences as a corpus (vocabulary index == item index).
  Corpus corpus() const;
};

/// EVAL.md §2-4: ordered, de-duplicated sequences; users with fewer than 5 items dropped; items
/// counted without each user's last item and those counted fewer than 2 times removed; users
/// re-checked; each user's last item held out.
EvalSplit leave_last_out(const Ratings& ratings);

/// EVAL.md §8: the same split made from a split's training sequences alone (each user's last
/// training item becomes the held-out item), for choosing settings without touching test items.
EvalSplit validation_split(const EvalSplit& split);

enum class EvalQuery {
  next_item,  ///< score by similarity to the last item of the history
  profile,    ///< score by similarity to the whole history
};

/// "last" or "profile"; anything else is std::invalid_argument.
EvalQuery parse_eval_query(const std::string& name);

struct EvalMetrics {
  double hr10 = 0;        ///< share of users whose held-out item ranks in the top 10
  double ndcg10 = 0;      ///< mean 1/log2(rank + 1) over users with rank ≤ 10
  double mrr = 0;         ///< mean 1/rank
  double coverage10 = 0;  ///< distinct items in all top-10 lists / catalogue size
  std::size_t users = 0;  ///< users evaluated
};

/// Popularity: every user gets the most-trained items they have not seen.
EvalMetrics evaluate_popularity(const EvalSplit& split, EvalQuery query);

/// Recency of a next-item query: the t-th item from the end of the history (t = 0 is the last)
/// weighs recency^t, and items whose weight would fall below 0.001 are left out. 0, the
/// default, is EVAL.md's query: the last item alone. Must lie in [0, 1).
void check_recency(double recency);

/// The weights of the last items of a history of `length` items under `recency`: element t
/// weighs the t-th item from the end. Never empty for length > 0.
std::vector<double> recency_weights(double recency, std::size_t length);

/// Item-kNN: cosine between items' binary user columns. Next-item scores with recency 0 are
/// compared exactly (in integers), so ties are found as the protocol defines them; with a
/// recency, score(j) = sum over t of recency^t sim(H[n-1-t], j). The profile query ignores
/// recency.
EvalMetrics evaluate_item_knn(const EvalSplit& split, EvalQuery query, double recency = 0);

/// Embeddings whose row i is the vector of split item i (as trained on split.corpus()).
/// input·output scoring, when `output` is given: score(j) = u·o_j with u the query's unit
/// input vector and o_j item j's output vector. The next-item query vector is the
/// recency-weighted sum of the last items' unit vectors (the last alone for recency 0).
EvalMetrics evaluate_embeddings(const EvalSplit& split, const Matrix& vectors, EvalQuery query,
                                const Matrix* output = nullptr, double recency = 0);

}  // namespace anime2vec
