#include "anime2vec/corpus.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace anime2vec {

bool id_less(const std::string& a, const std::string& b, bool numeric) {
  if (numeric) {
    // At most 18 digits, so the values fit a long long exactly.
    long long x = std::strtoll(a.c_str(), nullptr, 10);
    long long y = std::strtoll(b.c_str(), nullptr, 10);
    if (x != y) return x < y;
  }
  return a < b;
}

long long Vocabulary::find(const std::string& id) const {
  auto it = index.find(id);
  return it == index.end() ? -1 : static_cast<long long>(it->second);
}

std::vector<UserSequence> user_sequences(const Ratings& ratings, std::size_t* duplicates) {
  // Rows grouped by user with a stable sort, so within a user file order is kept; then a
  // stable sort by timestamp keeps file order among equal timestamps.
  std::vector<std::uint32_t> user_order(ratings.user_ids.size());
  std::iota(user_order.begin(), user_order.end(), 0u);
  std::sort(user_order.begin(), user_order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return id_less(ratings.user_ids[a], ratings.user_ids[b], ratings.user_ids_numeric);
  });
  std::vector<std::uint32_t> rank(user_order.size());
  for (std::uint32_t r = 0; r < user_order.size(); ++r) rank[user_order[r]] = r;

  std::vector<std::size_t> rows(ratings.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    std::uint32_t ra = rank[ratings.user[a]], rb = rank[ratings.user[b]];
    if (ra != rb) return ra < rb;
    if (ratings.has_timestamp) return ratings.timestamp[a] < ratings.timestamp[b];
    return false;
  });

  std::vector<UserSequence> out;
  std::vector<std::uint32_t> last_seen(ratings.item_ids.size(), UINT32_MAX);
  std::size_t repeated = 0;
  for (std::size_t row : rows) {
    std::uint32_t user = ratings.user[row];
    if (out.empty() || out.back().user != user) out.push_back({user, {}});
    std::uint32_t item = ratings.item[row];
    // last_seen holds the rank of the user that last took the item: one array for all users.
    if (last_seen[item] == rank[user]) {
      ++repeated;
      continue;
    }
    last_seen[item] = rank[user];
    out.back().items.push_back(item);
  }
  if (duplicates) *duplicates = repeated;
  return out;
}

Corpus build_corpus(const Ratings& ratings, const CorpusOptions& options) {
  Corpus corpus;
  corpus.ordered = ratings.has_timestamp;
  std::vector<UserSequence> sequences = user_sequences(ratings, &corpus.duplicates_dropped);

  std::vector<std::uint64_t> counts(ratings.item_ids.size(), 0);
  for (const UserSequence& s : sequences)
    for (std::uint32_t item : s.items) ++counts[item];

  std::vector<bool> keep_item(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    keep_item[i] = counts[i] >= options.min_item_count;
    if (counts[i] > 0 && !keep_item[i]) ++corpus.items_dropped;
  }

  // Keep users first, then count what they keep, so the vocabulary holds only trained items.
  std::vector<std::uint64_t> kept_counts(counts.size(), 0);
  std::vector<const UserSequence*> kept_users;
  for (const UserSequence& s : sequences) {
    std::size_t length = 0;
    for (std::uint32_t item : s.items) length += keep_item[item];
    if (length < options.min_user_interactions || length == 0) {
      ++corpus.users_dropped;
      continue;
    }
    kept_users.push_back(&s);
    for (std::uint32_t item : s.items)
      if (keep_item[item]) ++kept_counts[item];
  }

  std::vector<std::uint32_t> items;
  for (std::uint32_t i = 0; i < kept_counts.size(); ++i)
    if (kept_counts[i] > 0) items.push_back(i);
  std::sort(items.begin(), items.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (kept_counts[a] != kept_counts[b]) return kept_counts[a] > kept_counts[b];
    return id_less(ratings.item_ids[a], ratings.item_ids[b], ratings.item_ids_numeric);
  });

  std::vector<std::uint32_t> to_vocab(counts.size(), UINT32_MAX);
  Vocabulary& vocab = corpus.vocab;
  for (std::uint32_t v = 0; v < items.size(); ++v) {
    to_vocab[items[v]] = v;
    vocab.ids.push_back(ratings.item_ids[items[v]]);
    vocab.counts.push_back(kept_counts[items[v]]);
    vocab.index.emplace(vocab.ids.back(), v);
  }

  for (const UserSequence* s : kept_users) {
    for (std::uint32_t item : s->items)
      if (keep_item[item]) corpus.tokens.push_back(to_vocab[item]);
    corpus.offsets.push_back(corpus.tokens.size());
    corpus.users.push_back(ratings.user_ids[s->user]);
  }
  return corpus;
}

}  // namespace anime2vec
