#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "anime2vec/evaluate.hpp"

using namespace anime2vec;

namespace {

Ratings ratings_from(const std::vector<std::pair<std::string, std::string>>& rows) {
  Ratings r;
  auto intern = [](std::vector<std::string>& ids, const std::string& id) {
    for (std::uint32_t i = 0; i < ids.size(); ++i)
      if (ids[i] == id) return i;
    ids.push_back(id);
    return static_cast<std::uint32_t>(ids.size() - 1);
  };
  for (const auto& [user, item] : rows) {
    r.user.push_back(intern(r.user_ids, user));
    r.item.push_back(intern(r.item_ids, item));
    r.rating.push_back(NAN);
  }
  r.rows_read = rows.size();
  r.item_ids_numeric = false;
  return r;
}

// Five items with training counts 3, 2, 2, 1, 1 and four users; targets chosen so that ranks
// differ between models. Worked out by hand in the comments of each test.
EvalSplit hand_split() {
  EvalSplit s;
  s.item_ids = {"i0", "i1", "i2", "i3", "i4"};
  s.counts = {3, 2, 2, 1, 1};
  s.users = {"u0", "u1", "u2", "u3"};
  s.train = {{0, 1, 2}, {0, 1}, {0, 2, 4}, {3}};
  s.target = {4, 3, 3, 4};
  return s;
}

double ndcg(const std::vector<int>& ranks) {
  double sum = 0;
  for (int r : ranks)
    if (r <= 10) sum += 1.0 / std::log2(r + 1.0);
  return sum / static_cast<double>(ranks.size());
}

double mrr(const std::vector<int>& ranks) {
  double sum = 0;
  for (int r : ranks) sum += 1.0 / r;
  return sum / static_cast<double>(ranks.size());
}

}  // namespace

TEST_CASE("leave-last-out filters users and items as the protocol orders") {
  // u4 has 3 items (dropped first). g is only ever last, so it counts 0 and is removed, f
  // likewise; u2 then has 4 items and is dropped in the re-check.
  Ratings r = ratings_from({{"u1", "a"}, {"u1", "b"}, {"u1", "c"}, {"u1", "d"}, {"u1", "e"},
                            {"u2", "a"}, {"u2", "b"}, {"u2", "c"}, {"u2", "d"}, {"u2", "f"},
                            {"u3", "b"}, {"u3", "c"}, {"u3", "a"}, {"u3", "e"}, {"u3", "d"},
                            {"u4", "x"}, {"u4", "a"}, {"u4", "b"},
                            {"u5", "a"}, {"u5", "c"}, {"u5", "b"}, {"u5", "d"}, {"u5", "e"},
                            {"u5", "g"}});
  EvalSplit s = leave_last_out(r);
  CHECK(s.users == std::vector<std::string>{"u1", "u3", "u5"});
  CHECK(s.item_ids == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(s.counts == std::vector<std::uint64_t>{3, 3, 3, 2, 1});
  CHECK(s.train[0] == std::vector<std::uint32_t>{0, 1, 2, 3});
  CHECK(s.train[1] == std::vector<std::uint32_t>{1, 2, 0, 4});
  CHECK(s.train[2] == std::vector<std::uint32_t>{0, 2, 1, 3});
  CHECK(s.target == std::vector<long long>{4, 3, 4});
  CHECK(s.evaluated_users() == 3);

  Corpus c = s.corpus();
  CHECK(c.vocab.ids == s.item_ids);
  CHECK(c.token_count() == 12);

  // Validation: each user's last training item is held out; d and e then leave the catalogue.
  EvalSplit v = validation_split(s);
  CHECK(v.item_ids == std::vector<std::string>{"a", "b", "c"});
  CHECK(v.target == std::vector<long long>{-1, -1, -1});
  CHECK(v.evaluated_users() == 0);
}

TEST_CASE("popularity ranks by training count with ties to the lower index") {
  // u0: candidates 3,4 tie at 1 -> target 4 ranks 2. u1: 2(2) 3(1) 4(1) -> 3 ranks 2.
  // u2: 1(2) 3(1) -> 2. u3: 0(3) 1(2) 2(2) 4(1) -> 4.
  EvalMetrics m = evaluate_popularity(hand_split(), EvalQuery::next_item);
  CHECK(m.users == 4);
  CHECK(m.hr10 == 1.0);
  CHECK(m.mrr == Approx(mrr({2, 2, 2, 4})));
  CHECK(m.ndcg10 == Approx(ndcg({2, 2, 2, 4})));
  CHECK(m.coverage10 == 1.0);
}

TEST_CASE("item-kNN next-item scores by cosine of binary user columns to the last item") {
  // u0 last 2: sim(2,4) = 1/sqrt2 > sim(2,3) = 0 -> rank 1. u1 last 1: sim(1,2) = 1/2, 3 and 4
  // tie at 0 -> rank 2. u2 last 4: 1 and 3 tie at 0 -> rank 2. u3 last 3: all 0 -> rank 4.
  EvalMetrics m = evaluate_item_knn(hand_split(), EvalQuery::next_item);
  CHECK(m.mrr == Approx(mrr({1, 2, 2, 4})));
  CHECK(m.ndcg10 == Approx(ndcg({1, 2, 2, 4})));
}

TEST_CASE("item-kNN profile scores by the mean similarity to the whole history") {
  // u0: score(4) > score(3) = 0 -> 1. u1: score(2) = (2/sqrt6 + 1/2)/2 > score(4) = 1/(2 sqrt3)
  // > score(3) = 0 -> 3. u2: score(1) > 0 -> 2. u3: all 0 -> 4.
  EvalMetrics m = evaluate_item_knn(hand_split(), EvalQuery::profile);
  CHECK(m.mrr == Approx(mrr({1, 3, 2, 4})));
  CHECK(m.ndcg10 == Approx(ndcg({1, 3, 2, 4})));
}

TEST_CASE("embeddings are ranked by cosine to the last item or to the mean profile") {
  Matrix v(5, 2);
  v << 2, 0,  //
      0.8f, 0.6f, 0, 3, -1, 0, 0.6f, 0.8f;
  // Next item: u0 last 2 -> 4 (0.8) over 3 (0): 1. u1 last 1 -> 4 .96, 2 .6, 3 -.8: 3.
  // u2 last 4 -> 1 .96, 3 -.6: 2. u3 last 3 -> 2 0, 4 -.6, 1 -.8, 0 -1: 2.
  EvalMetrics m = evaluate_embeddings(hand_split(), v, EvalQuery::next_item);
  CHECK(m.mrr == Approx(mrr({1, 3, 2, 2})));
  CHECK(m.coverage10 == 1.0);

  // Profiles: u0 (.6,.53) -> 4 over 3: 1. u1 (.9,.3) -> 4 .78, 2 .3, 3 -.9: 3.
  // u2 (.53,.6) -> 1 .79 over 3: 2. u3 (-1,0) as for the next item: 2.
  EvalMetrics p = evaluate_embeddings(hand_split(), v, EvalQuery::profile);
  CHECK(p.users == 4);
  CHECK(p.mrr == Approx(mrr({1, 3, 2, 2})));

  // input·output scoring uses the output rows as they are.
  Matrix out = -v;
  EvalMetrics io = evaluate_embeddings(hand_split(), v, EvalQuery::next_item, &out);
  CHECK(io.mrr != Approx(m.mrr));

  Matrix wrong(3, 2);
  CHECK_THROWS_AS(evaluate_embeddings(hand_split(), wrong, EvalQuery::next_item),
                  std::invalid_argument);
}

TEST_CASE("users whose held-out item left the catalogue are not evaluated") {
  EvalSplit s = hand_split();
  s.target[1] = -1;
  EvalMetrics m = evaluate_popularity(s, EvalQuery::next_item);
  CHECK(m.users == 3);
  CHECK(m.mrr == Approx(mrr({2, 2, 4})));
  CHECK(parse_eval_query("last") == EvalQuery::next_item);
  CHECK_THROWS_WITH(parse_eval_query("first"), "query must be 'last' or 'profile', got 'first'");
}

TEST_CASE("recency weights fall geometrically and stop below a thousandth") {
  CHECK(recency_weights(0, 5) == std::vector<double>{1});
  CHECK(recency_weights(0.5, 3) == std::vector<double>{1, 0.5, 0.25});
  // 0.5^9 = 0.00195 is kept, 0.5^10 = 0.00098 is not.
  CHECK(recency_weights(0.5, 40).size() == 10);
  CHECK(recency_weights(0.9, 4).size() == 4);
  CHECK(recency_weights(0.5, 0).empty());
  CHECK_THROWS_WITH(check_recency(1.0), "recency must be at least 0 and below 1, got 1");
  CHECK_THROWS_WITH(check_recency(-0.25), "recency must be at least 0 and below 1, got -0.25");
  CHECK_THROWS_AS(check_recency(NAN), std::invalid_argument);
  CHECK_THROWS_AS(evaluate_item_knn(hand_split(), EvalQuery::next_item, 1.5),
                  std::invalid_argument);
}

TEST_CASE("item-kNN with recency sums the similarities to the last items, weighted") {
  // Recency 0.5. u0: weights 2:1, 1:.5, 0:.25; score(4) = 1/sqrt2 + .25/sqrt3 > score(3) = 0
  // -> 1. u1: score(2) = 1/2 + .5 (2/sqrt6) = .91, score(4) = .5/sqrt3 = .29, score(3) = 0
  // -> 3 (it was 2 with the last item alone). u2: score(1) > score(3) = 0 -> 2. u3: all 0 -> 4.
  EvalMetrics m = evaluate_item_knn(hand_split(), EvalQuery::next_item, 0.5);
  CHECK(m.mrr == Approx(mrr({1, 3, 2, 4})));
  CHECK(m.ndcg10 == Approx(ndcg({1, 3, 2, 4})));
  // The profile query has no recency.
  CHECK(evaluate_item_knn(hand_split(), EvalQuery::profile, 0.5).mrr ==
        evaluate_item_knn(hand_split(), EvalQuery::profile).mrr);
}

TEST_CASE("embeddings with recency query by the weighted sum of the last unit vectors") {
  // History a, c, b with a and c along x, b along y; the held-out e leans to x, d to y.
  EvalSplit s;
  s.item_ids = {"a", "b", "c", "d", "e"};
  s.counts = {1, 1, 1, 1, 1};
  s.users = {"u"};
  s.train = {{0, 2, 1}};
  s.target = {4};
  Matrix v(5, 2);
  v << 3, 0,  //
      0, 2, 1, 0, 0.6f, 0.8f, 0.8f, 0.6f;
  // Recency 0: q = b -> d .8 over e .6: rank 2. Recency 0.5: q ~ (.75, 1) -> d 1.25, e 1.2:
  // rank 2. Recency 0.9: q ~ (1.71, 1) -> e 1.97 over d 1.83: rank 1.
  CHECK(evaluate_embeddings(s, v, EvalQuery::next_item).mrr == Approx(0.5));
  CHECK(evaluate_embeddings(s, v, EvalQuery::next_item, nullptr, 0.5).mrr == Approx(0.5));
  CHECK(evaluate_embeddings(s, v, EvalQuery::next_item, nullptr, 0.9).mrr == Approx(1.0));
}
