#include "anime2vec/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

namespace anime2vec {

namespace {

constexpr std::size_t kMinUserItems = 5;
constexpr std::uint64_t kMinItemCount = 2;
constexpr std::size_t kTop = 10;
constexpr std::size_t kMaxExactUsers = 2600000;
constexpr double kMinRecencyWeight = 1e-3;

std::string recency_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

// Finishes a split from sequences over an id table: held-out item = last, catalogue = items of
// the training parts, indexed by training count descending then id ascending.
EvalSplit make_split(const std::vector<std::string>& ids, bool numeric_ids,
                     std::vector<std::string> users,
                     const std::vector<std::vector<std::uint32_t>>& sequences) {
  std::vector<std::uint64_t> counts(ids.size(), 0);
  for (const auto& s : sequences)
    for (std::size_t p = 0; p + 1 < s.size(); ++p) ++counts[s[p]];

  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return id_less(ids[a], ids[b], numeric_ids);
  });
  std::vector<long long> index(ids.size(), -1);
  EvalSplit split;
  for (std::size_t k = 0; k < order.size(); ++k) {
    index[order[k]] = static_cast<long long>(k);
    split.item_ids.push_back(ids[order[k]]);
    split.counts.push_back(counts[order[k]]);
  }

  split.users = std::move(users);
  for (const auto& s : sequences) {
    std::vector<std::uint32_t> train;
    for (std::size_t p = 0; p + 1 < s.size(); ++p)
      train.push_back(static_cast<std::uint32_t>(index[s[p]]));
    split.train.push_back(std::move(train));
    split.target.push_back(index[s.back()]);
  }
  return split;
}

// Ranks one user's held-out item among the candidates (items not in the history) and adds its
// top-10 list to `shown`. better(a, b): a ranks before b; it must break score ties by index.
template <typename Better>
void rank_user(std::size_t items, const std::vector<char>& in_history, std::uint32_t target,
               Better better, EvalMetrics& sums, std::vector<char>& shown) {
  std::size_t rank = 1;
  std::uint32_t top[kTop];
  std::size_t top_size = 0;
  for (std::uint32_t j = 0; j < items; ++j) {
    if (in_history[j]) continue;
    if (j != target && better(j, target)) ++rank;
    // Insertion into the short sorted top list.
    if (top_size < kTop || better(j, top[top_size - 1])) {
      std::size_t pos = top_size < kTop ? top_size++ : kTop - 1;
      while (pos > 0 && better(j, top[pos - 1])) {
        top[pos] = top[pos - 1];
        --pos;
      }
      top[pos] = j;
    }
  }
  for (std::size_t k = 0; k < top_size; ++k) shown[top[k]] = 1;
  if (rank <= kTop) {
    sums.hr10 += 1;
    sums.ndcg10 += 1.0 / std::log2(static_cast<double>(rank) + 1.0);
  }
  sums.mrr += 1.0 / static_cast<double>(rank);
  sums.users += 1;
}

// Runs rank_user for every evaluated user; score_user(u, history_mask) returns a comparator.
template <typename MakeBetter>
EvalMetrics evaluate_with(const EvalSplit& split, MakeBetter make_better) {
  std::size_t n = split.item_ids.size();
  EvalMetrics sums;
  std::vector<char> shown(n, 0), in_history(n, 0);
  for (std::size_t u = 0; u < split.train.size(); ++u) {
    if (split.target[u] < 0) continue;
    for (std::uint32_t i : split.train[u]) in_history[i] = 1;
    rank_user(n, in_history, static_cast<std::uint32_t>(split.target[u]), make_better(u),
              sums, shown);
    for (std::uint32_t i : split.train[u]) in_history[i] = 0;
  }
  if (sums.users > 0) {
    double users = static_cast<double>(sums.users);
    sums.hr10 /= users;
    sums.ndcg10 /= users;
    sums.mrr /= users;
  }
  sums.coverage10 = n ? static_cast<double>(std::count(shown.begin(), shown.end(), 1)) /
                            static_cast<double>(n)
                      : 0.0;
  return sums;
}

// Better-than on a score vector, ties to the lower index.
template <typename T>
auto by_scores(const std::vector<T>& scores) {
  return [&scores](std::uint32_t a, std::uint32_t b) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  };
}

// The recency weights once for every history of the split: a user of h items takes the first
// min(h, size) of them.
std::vector<double> split_recency_weights(const EvalSplit& split, double recency) {
  std::size_t longest = 0;
  for (const auto& h : split.train) longest = std::max(longest, h.size());
  return recency_weights(recency, longest);
}

}  // namespace

std::size_t EvalSplit::evaluated_users() const {
  return static_cast<std::size_t>(
      std::count_if(target.begin(), target.end(), [](long long t) { return t >= 0; }));
}

Corpus EvalSplit::corpus() const {
  Corpus c;
  for (std::size_t i = 0; i < item_ids.size(); ++i) {
    c.vocab.ids.push_back(item_ids[i]);
    c.vocab.counts.push_back(counts[i]);
    c.vocab.index.emplace(item_ids[i], static_cast<std::uint32_t>(i));
  }
  for (std::size_t u = 0; u < train.size(); ++u) {
    c.tokens.insert(c.tokens.end(), train[u].begin(), train[u].end());
    c.offsets.push_back(c.tokens.size());
    c.users.push_back(users[u]);
  }
  c.ordered = ordered;
  return c;
}

EvalSplit leave_last_out(const Ratings& ratings) {
  std::vector<UserSequence> sequences = user_sequences(ratings);
  std::vector<UserSequence> kept;
  for (UserSequence& s : sequences)
    if (s.items.size() >= kMinUserItems) kept.push_back(std::move(s));

  std::vector<std::uint64_t> counts(ratings.item_ids.size(), 0);
  for (const UserSequence& s : kept)
    for (std::size_t p = 0; p + 1 < s.items.size(); ++p) ++counts[s.items[p]];

  std::vector<std::string> users;
  std::vector<std::vector<std::uint32_t>> filtered;
  for (const UserSequence& s : kept) {
    std::vector<std::uint32_t> items;
    for (std::uint32_t item : s.items)
      if (counts[item] >= kMinItemCount) items.push_back(item);
    if (items.size() < kMinUserItems) continue;
    users.push_back(ratings.user_ids[s.user]);
    filtered.push_back(std::move(items));
  }
  EvalSplit split =
      make_split(ratings.item_ids, ratings.item_ids_numeric, std::move(users), filtered);
  split.ordered = ratings.has_timestamp;
  return split;
}

EvalSplit validation_split(const EvalSplit& split) {
  bool numeric = std::all_of(split.item_ids.begin(), split.item_ids.end(),
                             [](const std::string& id) { return is_integer_id(id); });
  std::vector<std::vector<std::uint32_t>> sequences;
  std::vector<std::string> users;
  for (std::size_t u = 0; u < split.train.size(); ++u) {
    if (split.train[u].size() < 2) continue;
    sequences.push_back(split.train[u]);
    users.push_back(split.users[u]);
  }
  EvalSplit validation = make_split(split.item_ids, numeric, std::move(users), sequences);
  validation.ordered = split.ordered;
  return validation;
}

EvalQuery parse_eval_query(const std::string& name) {
  if (name == "last") return EvalQuery::next_item;
  if (name == "profile") return EvalQuery::profile;
  throw std::invalid_argument("query must be 'last' or 'profile', got '" + name + "'");
}

void check_recency(double recency) {
  if (!(recency >= 0.0 && recency < 1.0))
    throw std::invalid_argument("recency must be at least 0 and below 1, got " +
                                recency_text(recency));
}

std::vector<double> recency_weights(double recency, std::size_t length) {
  check_recency(recency);
  std::vector<double> weights;
  for (double w = 1.0; weights.size() < length && w >= kMinRecencyWeight; w *= recency)
    weights.push_back(w);
  return weights;
}

EvalMetrics evaluate_popularity(const EvalSplit& split, EvalQuery) {
  return evaluate_with(split, [&](std::size_t) { return by_scores(split.counts); });
}

EvalMetrics evaluate_item_knn(const EvalSplit& split, EvalQuery query, double recency) {
  check_recency(recency);
  std::size_t n = split.item_ids.size();
  // Users of each item: the columns of the binary user × item matrix.
  std::vector<std::vector<std::uint32_t>> users_of(n);
  for (std::uint32_t u = 0; u < split.train.size(); ++u)
    for (std::uint32_t i : split.train[u]) users_of[i].push_back(u);

  std::vector<std::uint64_t> co(n);
  std::vector<double> scores(n), user_weight(split.train.size(), 0.0);
  const std::vector<std::uint64_t>& counts = split.counts;

  if (query == EvalQuery::next_item && recency > 0) {
    // sum over t of w_t co(H_t, j) / sqrt(n_Ht n_j), gathered item by item.
    const std::vector<double> weights = split_recency_weights(split, recency);
    return evaluate_with(split, [&](std::size_t u) {
      const std::vector<std::uint32_t>& h = split.train[u];
      std::fill(scores.begin(), scores.end(), 0.0);
      for (std::size_t t = 0; t < std::min(weights.size(), h.size()); ++t) {
        std::uint32_t i = h[h.size() - 1 - t];
        double w = weights[t] / std::sqrt(static_cast<double>(counts[i]));
        for (std::uint32_t v : users_of[i])
          for (std::uint32_t j : split.train[v]) scores[j] += w;
      }
      for (std::size_t j = 0; j < n; ++j)
        scores[j] /= std::sqrt(static_cast<double>(counts[j]));
      return by_scores(scores);
    });
  }

  if (query == EvalQuery::next_item) {
    // sim(l, j) = co(l, j) / sqrt(n_l n_j); for a fixed l, a beats b when
    // co_a^2 n_b > co_b^2 n_a, compared in integers so that equal similarities tie exactly.
    // Both sides are at most users^3, which fits 64 bits up to 2.6 million users.
    if (split.train.size() > kMaxExactUsers)
      throw std::invalid_argument("item-kNN evaluation supports up to 2,600,000 users, got " +
                                  std::to_string(split.train.size()));
    auto better = [&](std::uint32_t a, std::uint32_t b) {
      std::uint64_t left = co[a] * co[a] * counts[b];
      std::uint64_t right = co[b] * co[b] * counts[a];
      return left > right || (left == right && a < b);
    };
    return evaluate_with(split, [&](std::size_t u) {
      std::fill(co.begin(), co.end(), 0);
      for (std::uint32_t v : users_of[split.train[u].back()])
        for (std::uint32_t j : split.train[v]) ++co[j];
      return better;
    });
  }

  // Profile: mean over i in H of sim(i, j) = (1/|H|) (1/sqrt(n_j)) sum_v w_v X_vj with
  // w_v = sum over i in H ∩ items(v) of 1/sqrt(n_i).
  return evaluate_with(split, [&](std::size_t u) {
    std::vector<std::uint32_t> touched;
    for (std::uint32_t i : split.train[u]) {
      double w = 1.0 / std::sqrt(static_cast<double>(counts[i]));
      for (std::uint32_t v : users_of[i]) {
        if (user_weight[v] == 0.0) touched.push_back(v);
        user_weight[v] += w;
      }
    }
    std::fill(scores.begin(), scores.end(), 0.0);
    for (std::uint32_t v : touched) {
      for (std::uint32_t j : split.train[v]) scores[j] += user_weight[v];
      user_weight[v] = 0.0;
    }
    double h = static_cast<double>(split.train[u].size());
    for (std::size_t j = 0; j < n; ++j)
      scores[j] = scores[j] / std::sqrt(static_cast<double>(counts[j])) / h;
    return by_scores(scores);
  });
}

EvalMetrics evaluate_embeddings(const EvalSplit& split, const Matrix& vectors, EvalQuery query,
                                const Matrix* output, double recency) {
  check_recency(recency);
  std::size_t n = split.item_ids.size();
  if (static_cast<std::size_t>(vectors.rows()) != n)
    throw std::invalid_argument("evaluate_embeddings: " + std::to_string(vectors.rows()) +
                                " vectors for " + std::to_string(n) + " items");
  Matrix unit = vectors;
  for (Eigen::Index i = 0; i < unit.rows(); ++i) {
    float norm = unit.row(i).norm();
    if (norm > 0) unit.row(i) /= norm;
  }
  const Matrix& targets = output ? *output : unit;
  Eigen::VectorXf q(unit.cols());
  std::vector<float> scores(n);
  const std::vector<double> weights = split_recency_weights(split, recency);

  return evaluate_with(split, [&](std::size_t u) {
    const std::vector<std::uint32_t>& h = split.train[u];
    if (query == EvalQuery::next_item && recency == 0) {
      q = unit.row(h.back()).transpose();
    } else if (query == EvalQuery::next_item) {
      q.setZero();
      for (std::size_t t = 0; t < std::min(weights.size(), h.size()); ++t)
        q += static_cast<float>(weights[t]) * unit.row(h[h.size() - 1 - t]).transpose();
      float norm = q.norm();
      if (norm > 0) q /= norm;
    } else {
      q.setZero();
      for (std::uint32_t i : h) q += unit.row(i).transpose();
      q /= static_cast<float>(h.size());
      float norm = q.norm();
      if (norm > 0) q /= norm;
    }
    Eigen::Map<Eigen::VectorXf>(scores.data(), static_cast<Eigen::Index>(n)) = targets * q;
    return by_scores(scores);
  });
}

}  // namespace anime2vec
