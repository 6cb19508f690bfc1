#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "anime2vec/error.hpp"
#include "anime2vec/ratings.hpp"

using anime2vec::InputError;
using anime2vec::Ratings;
using anime2vec::RatingsOptions;
using anime2vec::RatingsReader;
using anime2vec::read_ratings;

namespace {

using Strings = std::vector<std::string>;
using Indices = std::vector<std::uint32_t>;

std::string error_text(std::string_view bytes, RatingsOptions options = {}) {
  try {
    read_ratings(bytes, "ratings.csv", std::move(options));
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

Ratings read_in_chunks(std::string_view bytes, std::size_t chunk_size,
                       RatingsOptions options = {}) {
  RatingsReader reader("ratings.csv", std::move(options));
  for (std::size_t i = 0; i < bytes.size(); i += chunk_size) {
    reader.feed(bytes.substr(i, chunk_size));
  }
  return reader.finish();
}

// Ratings compared field by field; NaN ratings compare equal to each other.
void require_same(const Ratings& a, const Ratings& b) {
  REQUIRE(a.user_ids == b.user_ids);
  REQUIRE(a.item_ids == b.item_ids);
  REQUIRE(a.user == b.user);
  REQUIRE(a.item == b.item);
  REQUIRE(a.rating.size() == b.rating.size());
  for (std::size_t r = 0; r < a.rating.size(); ++r) {
    REQUIRE((a.rating[r] == b.rating[r] || (std::isnan(a.rating[r]) && std::isnan(b.rating[r]))));
  }
  REQUIRE(a.timestamp == b.timestamp);
  REQUIRE(a.has_rating == b.has_rating);
  REQUIRE(a.has_timestamp == b.has_timestamp);
  REQUIRE(a.user_ids_numeric == b.user_ids_numeric);
  REQUIRE(a.item_ids_numeric == b.item_ids_numeric);
  REQUIRE(a.rows_read == b.rows_read);
  REQUIRE(a.rows_watched == b.rows_watched);
  REQUIRE(a.rows_below_min_rating == b.rows_below_min_rating);
  REQUIRE(a.rows_skipped == b.rows_skipped);
  REQUIRE(a.skipped_examples == b.skipped_examples);
}

struct TestRng {
  std::uint64_t state;
  std::uint32_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  }
};

}  // namespace

TEST_CASE("a Kaggle anime file is read with ids interned in order of first appearance",
          "[ratings]") {
  const Ratings r = read_ratings("user_id,anime_id,rating\n1,20,-1\n1,24,9\n2,20,7\n3,6,10\n");
  CHECK(r.size() == 4);
  CHECK(r.user_ids == Strings{"1", "2", "3"});
  CHECK(r.item_ids == Strings{"20", "24", "6"});
  CHECK(r.user == Indices{0, 0, 1, 2});
  CHECK(r.item == Indices{0, 1, 0, 2});
  CHECK(r.rating == std::vector<float>{-1.0f, 9.0f, 7.0f, 10.0f});
  CHECK(r.has_rating);
  CHECK_FALSE(r.has_timestamp);
  CHECK(r.timestamp.empty());
  CHECK(r.user_ids_numeric);
  CHECK(r.item_ids_numeric);
  CHECK(r.rows_read == 4);
  CHECK(r.rows_watched == 1);
  CHECK(r.rows_below_min_rating == 0);
  CHECK(r.rows_skipped == 0);
}

TEST_CASE("a MovieLens file with CRLF gives half-star ratings and timestamps", "[ratings]") {
  const Ratings r = read_ratings(
      "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,0.5,964981247\r\n"
      "2,1,3.5,1537799250\r\n");
  CHECK(r.has_timestamp);
  CHECK(r.timestamp == std::vector<std::int64_t>{964982703, 964981247, 1537799250});
  CHECK(r.rating == std::vector<float>{4.0f, 0.5f, 3.5f});
  CHECK(r.item_ids == Strings{"1", "3"});
  CHECK(r.rows_watched == 0);
}

TEST_CASE("header synonyms are recognised for every column", "[ratings]") {
  const Ratings generic = read_ratings("user,item,score,ts\na,x,3,10\n");
  CHECK(generic.user_ids == Strings{"a"});
  CHECK(generic.item_ids == Strings{"x"});
  CHECK(generic.rating == std::vector<float>{3.0f});
  CHECK(generic.timestamp == std::vector<std::int64_t>{10});

  const Ratings camel = read_ratings("time,itemId,userId\n5,x,a\n");
  CHECK(camel.timestamp == std::vector<std::int64_t>{5});
  CHECK(camel.item_ids == Strings{"x"});
  CHECK(camel.user_ids == Strings{"a"});

  const Ratings snake = read_ratings("item_id\tuser\n x \t a \n");
  CHECK(snake.item_ids == Strings{"x"});
  CHECK(snake.user_ids == Strings{"a"});
}

TEST_CASE("without a rating column every rating is NaN", "[ratings]") {
  const Ratings r = read_ratings("user,item\na,x\nb,y\n");
  CHECK_FALSE(r.has_rating);
  REQUIRE(r.rating.size() == 2);
  CHECK(std::isnan(r.rating[0]));
  CHECK(std::isnan(r.rating[1]));
}

TEST_CASE("explicit column names override detection", "[ratings]") {
  RatingsOptions options;
  options.columns.user = "reviewer";
  options.columns.item = "product";
  options.columns.rating = "stars";
  options.columns.timestamp = "when";
  const Ratings r =
      read_ratings("user_id,reviewer,product,stars,when\n9,a,x,2,77\n", "ratings.csv", options);
  CHECK(r.user_ids == Strings{"a"});
  CHECK(r.item_ids == Strings{"x"});
  CHECK(r.rating == std::vector<float>{2.0f});
  CHECK(r.timestamp == std::vector<std::int64_t>{77});
}

TEST_CASE("an explicit column missing from the header is an error listing the header",
          "[ratings]") {
  RatingsOptions options;
  options.columns.rating = "stars";
  CHECK(error_text("user_id,anime_id,rating\n1,2,3\n", options) ==
        "ratings.csv line 1: no rating column named 'stars' (found user_id, anime_id, rating)");
}

TEST_CASE("a missing user or item column is an error naming the expected names", "[ratings]") {
  CHECK(error_text("a,b,c\n1,2,3\n") ==
        "ratings.csv line 1: no user column (expected one of userId, user_id, user; found a, "
        "b, c)");
  CHECK(error_text("user_id,rating\n1,2\n") ==
        "ratings.csv line 1: no item column (expected one of movieId, anime_id, itemId, "
        "item_id, item; found user_id, rating)");
}

TEST_CASE("string ids keep their text without surrounding spaces", "[ratings]") {
  const Ratings r = read_ratings("user,item\n alice ,Cowboy Bebop\nalice,  x y  \nbob,-12\n");
  CHECK(r.user_ids == Strings{"alice", "bob"});
  CHECK(r.item_ids == Strings{"Cowboy Bebop", "x y", "-12"});
  CHECK(r.user == Indices{0, 0, 1});
  CHECK_FALSE(r.user_ids_numeric);
  CHECK_FALSE(r.item_ids_numeric);
}

TEST_CASE("numeric-id flags hold only when every id is an integer", "[ratings]") {
  const Ratings integers = read_ratings("user,item\n-5,123456789012345678\n0007,1\n");
  CHECK(integers.user_ids_numeric);
  CHECK(integers.item_ids_numeric);

  const Ratings mixed = read_ratings("user,item\n1,1234567890123456789\n2,1.5\n");
  CHECK(mixed.user_ids_numeric);
  CHECK_FALSE(mixed.item_ids_numeric);

  CHECK(anime2vec::is_integer_id("42"));
  CHECK(anime2vec::is_integer_id("-42"));
  CHECK_FALSE(anime2vec::is_integer_id("-"));
  CHECK_FALSE(anime2vec::is_integer_id(""));
  CHECK_FALSE(anime2vec::is_integer_id("+4"));
  CHECK_FALSE(anime2vec::is_integer_id("4a"));
  CHECK_FALSE(anime2vec::is_integer_id("1234567890123456789"));
}

TEST_CASE("an empty id is an error naming its column", "[ratings]") {
  CHECK(error_text("user_id,anime_id,rating\n1,2,3\n  ,2,3\n") ==
        "ratings.csv line 3, column user_id: expected an id, got an empty field");
  CHECK(error_text("user_id,anime_id,rating\n1,,3\n") ==
        "ratings.csv line 2, column anime_id: expected an id, got an empty field");
}

TEST_CASE("a rating that is not a number is an error quoting the value", "[ratings]") {
  CHECK(error_text("user_id,anime_id,rating\n1,2,3\n1,3,abc\n") ==
        "ratings.csv line 3, column rating: expected a number, got 'abc'");
  CHECK(error_text("user_id,anime_id,rating\n1,2,\n") ==
        "ratings.csv line 2, column rating: expected a number, got ''");
  CHECK(error_text("user_id,anime_id,rating\n1,2,4,5\n", {}) ==
        "ratings.csv line 2: expected 3 fields, got 4");
  CHECK(error_text("user_id,anime_id,rating\n1,2,1e99\n") ==
        "ratings.csv line 2, column rating: expected a number within float range, got '1e99'");
}

TEST_CASE("ratings accept spaces, signs, fractions and exponents", "[ratings]") {
  const Ratings r = read_ratings("user,item,rating\n1,1, 4.5 \n1,2,+3\n1,3,2.5e0\n1,4,-1.0\n", "r");
  CHECK(r.rating == std::vector<float>{4.5f, 3.0f, 2.5f, -1.0f});
  CHECK(r.rows_watched == 1);
}

TEST_CASE("a row with the wrong field count is an error with both counts", "[ratings]") {
  CHECK(error_text("user_id,anime_id,rating\n1,2,3\n1,2,3\n1,2,3\n1,2,3\n1,2,3\n1,2\n") ==
        "ratings.csv line 7: expected 3 fields, got 2");
}

TEST_CASE("timestamps are integers and a fraction is truncated", "[ratings]") {
  const Ratings r = read_ratings("user,item,timestamp\n1,1,100.9\n1,2,-5\n1,3,7.\n");
  CHECK(r.timestamp == std::vector<std::int64_t>{100, -5, 7});
  CHECK(error_text("user,item,timestamp\n1,1,2018-09-24\n") ==
        "ratings.csv line 2, column timestamp: expected an integer timestamp, got "
        "'2018-09-24'");
  CHECK(error_text("user,item,timestamp\n1,1,1234567890123456789\n") ==
        "ratings.csv line 2, column timestamp: expected an integer timestamp, got "
        "'1234567890123456789'");
}

TEST_CASE("an empty file and a header without rows are errors", "[ratings]") {
  CHECK(error_text("") == "ratings.csv: the file is empty");
  CHECK(error_text("\n\r\n\n") == "ratings.csv: the file is empty");
  CHECK(error_text("\xEF\xBB\xBF") == "ratings.csv: the file is empty");
  CHECK(error_text("user_id,anime_id,rating\n") == "ratings.csv: no data rows after the header");
  CHECK(error_text("user_id,anime_id,rating") == "ratings.csv: no data rows after the header");
}

TEST_CASE("blank lines anywhere are ignored and errors keep physical line numbers", "[ratings]") {
  const Ratings r = read_ratings("user_id,anime_id,rating\n\n1,2,3\n\n\n2,2,4\n\n\n");
  CHECK(r.size() == 2);
  CHECK(r.rows_read == 2);
  CHECK(error_text("user_id,anime_id,rating\n\n1,2,3\n\n1,2,x\n") ==
        "ratings.csv line 5, column rating: expected a number, got 'x'");
}

TEST_CASE("min_rating drops lower rows, counts them and interns none of their ids", "[ratings]") {
  RatingsOptions options;
  options.min_rating = 7.0;
  const Ratings r = read_ratings("user_id,anime_id,rating\n1,10,-1\n1,11,7\n2,12,6.5\n3,11,10\n",
                                 "ratings.csv", options);
  CHECK(r.size() == 2);
  CHECK(r.rows_read == 4);
  CHECK(r.rows_below_min_rating == 2);
  CHECK(r.rows_watched == 0);
  CHECK(r.user_ids == Strings{"1", "3"});
  CHECK(r.item_ids == Strings{"11"});
  CHECK(r.rating == std::vector<float>{7.0f, 10.0f});
}

TEST_CASE("min_rating of -1 keeps watched rows and counts them", "[ratings]") {
  RatingsOptions options;
  options.min_rating = -1.0;
  const Ratings r =
      read_ratings("user_id,anime_id,rating\n1,10,-1\n1,11,-2\n2,10,-1\n", "r.csv", options);
  CHECK(r.size() == 2);
  CHECK(r.rows_watched == 2);
  CHECK(r.rows_below_min_rating == 1);
}

TEST_CASE("min_rating needs a rating column and a number", "[ratings]") {
  RatingsOptions options;
  options.min_rating = 5.0;
  CHECK(error_text("user,item\n1,2\n", options) ==
        "ratings.csv line 1: min_rating is set but there is no rating column (expected one of "
        "rating, score; found user, item)");
  options.min_rating = std::nan("");
  CHECK_THROWS_WITH(RatingsReader("ratings.csv", options),
                    "RatingsOptions.min_rating: expected a number, got nan");
  CHECK_THROWS_AS(RatingsReader("ratings.csv", options), std::invalid_argument);
}

TEST_CASE("skip_bad_rows skips and counts malformed rows and keeps the first five messages",
          "[ratings]") {
  RatingsOptions options;
  options.skip_bad_rows = true;
  std::string bytes = "user_id,anime_id,rating\n1,1,5\n";
  for (int bad = 0; bad < 7; ++bad) bytes += "2,2,bad" + std::to_string(bad) + "\n";
  bytes += "3,3\n4,4,8\n";
  const Ratings r = read_ratings(bytes, "ratings.csv", options);
  CHECK(r.size() == 2);
  CHECK(r.rows_read == 10);
  CHECK(r.rows_skipped == 8);
  CHECK(r.user_ids == Strings{"1", "4"});
  CHECK(r.item_ids == Strings{"1", "4"});
  CHECK(r.skipped_examples ==
        Strings{"ratings.csv line 3, column rating: expected a number, got 'bad0'",
                "ratings.csv line 4, column rating: expected a number, got 'bad1'",
                "ratings.csv line 5, column rating: expected a number, got 'bad2'",
                "ratings.csv line 6, column rating: expected a number, got 'bad3'",
                "ratings.csv line 7, column rating: expected a number, got 'bad4'"});
}

TEST_CASE("skip_bad_rows still stops at file-level errors", "[ratings]") {
  RatingsOptions options;
  options.skip_bad_rows = true;
  CHECK(error_text("user_id,anime_id,rating\n1,1,5\n1,\"2,3\n", options) ==
        "ratings.csv line 3: a quoted field starting on this line is never closed");
  CHECK(error_text("user_id,item_name\n1,1\n", options) ==
        "ratings.csv line 1: no item column (expected one of movieId, anime_id, itemId, "
        "item_id, item; found user_id, item_name)");
}

TEST_CASE("every chunking of a generated file gives the same ratings", "[ratings]") {
  TestRng rng{2024};
  std::string bytes = "\xEF\xBB\xBFuserId,movieId,rating,timestamp\r\n";
  const char* items[] = {"1", "20", "\"Tiger & Bunny, the Movie\"", "\xE9\x8A\x80\xE9\xAD\x82",
                         "x\xC3\xA9"};
  for (int row = 0; row < 40; ++row) {
    bytes += "u" + std::to_string(rng.next() % 6) + ",";
    bytes += items[rng.next() % 5];
    bytes += "," + std::to_string(rng.next() % 10) + ".5," + std::to_string(rng.next());
    bytes += rng.next() % 3 == 0 ? "\n" : "\r\n";
    if (rng.next() % 10 == 0) bytes += "\r\n";
  }
  const Ratings whole = read_in_chunks(bytes, bytes.size());
  REQUIRE(whole.size() == 40);
  REQUIRE(whole.item_ids.size() == 5);
  CHECK_FALSE(whole.user_ids_numeric);
  for (std::size_t chunk = 1; chunk <= 97; ++chunk) {
    INFO("chunk size " << chunk);
    require_same(read_in_chunks(bytes, chunk), whole);
  }
}

TEST_CASE("bytes_fed and rows_read report progress while feeding", "[ratings]") {
  RatingsReader reader("ratings.csv");
  reader.feed("user_id,anime_id,rating\n1,2,3\n4,5");
  CHECK(reader.bytes_fed() == 33);
  CHECK(reader.rows_read() == 1);
  reader.feed(",6\n");
  CHECK(reader.rows_read() == 2);
  CHECK(reader.finish().size() == 2);
}

TEST_CASE("thousands of ids keep their indices as the id table grows", "[ratings]") {
  std::string bytes = "user,item\n";
  std::vector<std::string> users;
  std::vector<std::string> items;
  for (int row = 0; row < 12000; ++row) {
    users.push_back("user" + std::to_string(row % 4100));
    items.push_back(std::to_string((row * 7919) % 6007));
    bytes += users.back() + "," + items.back() + "\n";
  }
  const Ratings r = read_ratings(bytes);
  REQUIRE(r.size() == 12000);
  CHECK(r.user_ids.size() == 4100);
  CHECK(r.item_ids.size() == 6007);
  CHECK_FALSE(r.user_ids_numeric);
  CHECK(r.item_ids_numeric);
  for (std::size_t row = 0; row < r.size(); ++row) {
    REQUIRE(r.user_ids[r.user[row]] == users[row]);
    REQUIRE(r.item_ids[r.item[row]] == items[row]);
  }
  // First appearance order: user k first appears on row k.
  for (std::size_t k = 0; k < r.user_ids.size(); ++k) REQUIRE(r.user_ids[k] == users[k]);
}
