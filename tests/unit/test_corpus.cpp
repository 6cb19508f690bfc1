#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "anime2vec/corpus.hpp"

using namespace anime2vec;

namespace {

struct Row {
  std::string user;
  std::string item;
  long long timestamp = 0;
};

// Builds Ratings as the reader would, interning ids in order of first appearance.
Ratings make_ratings(const std::vector<Row>& rows, bool with_timestamp) {
  Ratings r;
  auto intern = [](std::vector<std::string>& ids, const std::string& id) {
    for (std::uint32_t i = 0; i < ids.size(); ++i)
      if (ids[i] == id) return i;
    ids.push_back(id);
    return static_cast<std::uint32_t>(ids.size() - 1);
  };
  for (const Row& row : rows) {
    r.user.push_back(intern(r.user_ids, row.user));
    r.item.push_back(intern(r.item_ids, row.item));
    r.rating.push_back(NAN);
    if (with_timestamp) r.timestamp.push_back(row.timestamp);
  }
  r.has_timestamp = with_timestamp;
  r.rows_read = rows.size();
  for (const auto& id : r.user_ids) r.user_ids_numeric = r.user_ids_numeric && is_integer_id(id);
  for (const auto& id : r.item_ids) r.item_ids_numeric = r.item_ids_numeric && is_integer_id(id);
  return r;
}

// The external ids of sequence u.
std::vector<std::string> sequence_ids(const Corpus& c, std::size_t u) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < c.sequence_length(u); ++i)
    out.push_back(c.vocab.ids[c.sequence_begin(u)[i]]);
  return out;
}

}  // namespace

TEST_CASE("sequences follow timestamps and keep file order among equal timestamps") {
  Ratings r = make_ratings({{"1", "a", 30}, {"1", "b", 10}, {"1", "c", 20}, {"1", "d", 10},
                            {"1", "e", 20}},
                           true);
  CorpusOptions options;
  Corpus c = build_corpus(r, options);
  REQUIRE(c.sequence_count() == 1);
  CHECK(sequence_ids(c, 0) == std::vector<std::string>{"b", "d", "c", "e", "a"});
}

TEST_CASE("without timestamps sequences keep file order") {
  Ratings r = make_ratings({{"1", "z"}, {"2", "q"}, {"1", "a"}, {"2", "r"}, {"1", "m"}}, false);
  Corpus c = build_corpus(r);
  REQUIRE(c.sequence_count() == 2);
  CHECK(sequence_ids(c, 0) == std::vector<std::string>{"z", "a", "m"});
  CHECK(sequence_ids(c, 1) == std::vector<std::string>{"q", "r"});
}

TEST_CASE("a repeated user-item pair is kept once, at its first occurrence in time") {
  Ratings r = make_ratings({{"1", "a", 5}, {"1", "b", 1}, {"1", "a", 0}, {"1", "c", 9}}, true);
  Corpus c = build_corpus(r);
  CHECK(sequence_ids(c, 0) == std::vector<std::string>{"a", "b", "c"});
  CHECK(c.duplicates_dropped == 1);
  CHECK(c.vocab.counts[static_cast<std::size_t>(c.vocab.find("a"))] == 1);
}

TEST_CASE("users are ordered by numeric id when every id is an integer, else as text") {
  Ratings numeric = make_ratings({{"10", "a"}, {"10", "b"}, {"9", "a"}, {"9", "c"}}, false);
  CHECK(build_corpus(numeric).users == std::vector<std::string>{"9", "10"});

  Ratings text = make_ratings({{"10", "a"}, {"10", "b"}, {"u9", "a"}, {"u9", "c"}}, false);
  CHECK(build_corpus(text).users == std::vector<std::string>{"10", "u9"});
}

TEST_CASE("the vocabulary is ordered by count descending, then by id") {
  Ratings r = make_ratings({{"1", "30"}, {"1", "4"}, {"2", "4"}, {"2", "200"}, {"3", "200"},
                            {"3", "4"}, {"3", "30"}, {"3", "7"}},
                           false);
  Corpus c = build_corpus(r);
  CHECK(c.vocab.ids == std::vector<std::string>{"4", "30", "200", "7"});
  CHECK(c.vocab.counts == std::vector<std::uint64_t>{3, 2, 2, 1});
  for (std::size_t i = 0; i < c.vocab.size(); ++i)
    CHECK(c.vocab.index.at(c.vocab.ids[i]) == i);
  CHECK(c.vocab.find("nope") == -1);
}

TEST_CASE("rare items are removed before short users are dropped") {
  // Item x is seen once; removing it leaves user 2 with one item, below the minimum of 2.
  Ratings r = make_ratings({{"1", "a"}, {"1", "b"}, {"2", "a"}, {"2", "x"}, {"3", "a"},
                            {"3", "b"}, {"3", "c"}, {"4", "c"}, {"4", "b"}},
                           false);
  CorpusOptions options;
  options.min_item_count = 2;
  options.min_user_interactions = 2;
  Corpus c = build_corpus(r, options);
  CHECK(c.users == std::vector<std::string>{"1", "3", "4"});
  CHECK(c.items_dropped == 1);
  CHECK(c.users_dropped == 1);
  CHECK(c.vocab.find("x") == -1);
  CHECK(sequence_ids(c, 1) == std::vector<std::string>{"a", "b", "c"});
  CHECK(c.token_count() == 7);
  // Counts describe what is trained: user 2's "a" is gone with the user.
  CHECK(c.vocab.counts[static_cast<std::size_t>(c.vocab.find("a"))] == 2);
}

TEST_CASE("numeric id order compares values, not text") {
  CHECK(id_less("9", "10", true));
  CHECK_FALSE(id_less("10", "9", true));
  CHECK(id_less("10", "9", false));
  CHECK(id_less("-5", "3", true));
  CHECK(is_integer_id("-12"));
  CHECK_FALSE(is_integer_id("1.5"));
  CHECK_FALSE(is_integer_id(""));
  CHECK_FALSE(is_integer_id("1234567890123456789"));
}
