#pragma once
// Per-user item sequences built from ratings, and the vocabulary that maps item ids to dense
// indices.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "anime2vec/ratings.hpp"

namespace anime2vec {

struct CorpusOptions {
  /// Users with fewer interactions than this (after item filtering) are dropped. Default 2: a
  /// one-item history has no pairs to learn from.
  std::size_t min_user_interactions = 2;

  /// Items seen (counting each user once) fewer times than this are dropped from every
  /// sequence before users are filtered. Default 1 keeps everything; raising it trades rare
  /// items, whose vectors are noisy, for a smaller and faster model.
  std::size_t min_item_count = 1;
};

/// Item ids and their counts. Index order: count descending, then id ascending (numerically
/// when every id is an integer), so index 0 is the most popular item.
struct Vocabulary {
  std::vector<std::string> ids;
  std::vector<std::uint64_t> counts;
  std::unordered_map<std::string, std::uint32_t> index;

  std::size_t size() const { return ids.size(); }

  /// Index of an id, or -1.
  long long find(const std::string& id) const;
};

/// Users' sequences of vocabulary indices, concatenated: sequence u is
/// tokens[offsets[u] .. offsets[u + 1]).
struct Corpus {
  Vocabulary vocab;
  std::vector<std::uint32_t> tokens;
  std::vector<std::size_t> offsets{0};
  std::vector<std::string> users;  ///< user id of each sequence, ascending
  bool ordered = false;            ///< sequences follow timestamps (else file order)

  std::size_t users_dropped = 0;       ///< below min_user_interactions
  std::size_t items_dropped = 0;       ///< below min_item_count
  std::size_t duplicates_dropped = 0;  ///< repeated (user, item) pairs

  std::size_t sequence_count() const { return offsets.size() - 1; }
  std::size_t token_count() const { return tokens.size(); }
  const std::uint32_t* sequence_begin(std::size_t u) const { return tokens.data() + offsets[u]; }
  std::size_t sequence_length(std::size_t u) const { return offsets[u + 1] - offsets[u]; }
};

/// One user's ordered items as interned ratings item indices (Ratings::item_ids).
struct UserSequence {
  std::uint32_t user;  ///< index into Ratings::user_ids
  std::vector<std::uint32_t> items;
};

/// Users in ascending id order (numeric when all ids are integers), each with items ordered by
/// timestamp (stable: equal timestamps keep file order) or by file order when there is no
/// timestamp; a repeated (user, item) pair keeps its first occurrence. duplicates receives the
/// number of dropped repeats when not null.
std::vector<UserSequence> user_sequences(const Ratings& ratings, std::size_t* duplicates = nullptr);

/// Builds the training corpus: user_sequences, then items below min_item_count removed, then
/// users below min_user_interactions dropped (one pass each, in that order).
Corpus build_corpus(const Ratings& ratings, const CorpusOptions& options = {});

/// Orders ids ascending: by integer value when `numeric` (every id of the set is an integer;
/// equal values such as "7" and "07" fall back to the text), else byte-wise as strings.
bool id_less(const std::string& a, const std::string& b, bool numeric);

}  // namespace anime2vec
