#include "anime2vec/sample.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

using namespace anime2vec;

namespace {

// A small RFC 4180 reader for checking the output independently of the project's own parser.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

struct Row {
  long long user;
  long long item;
  int rating;
};

std::vector<Row> parse_ratings(const std::string& text) {
  const auto rows = parse_csv(text);
  std::vector<Row> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    out.push_back({std::stoll(rows[r].at(0)), std::stoll(rows[r].at(1)), std::stoi(rows[r].at(2))});
  }
  return out;
}

// The generated sample for the default options, made once for all tests.
const Sample& default_sample() {
  static const Sample sample = generate_sample(SampleOptions{});
  return sample;
}

const std::vector<Row>& default_rows() {
  static const std::vector<Row> rows = parse_ratings(default_sample().ratings_csv);
  return rows;
}

std::map<long long, std::set<long long>> items_by_user(const std::vector<Row>& rows) {
  std::map<long long, std::set<long long>> out;
  for (const Row& row : rows) out[row.user].insert(row.item);
  return out;
}

}  // namespace

TEST_CASE("the same seed gives the same bytes and another seed different ones", "[sample]") {
  SampleOptions options;
  options.users = 400;
  options.franchises = 20;
  options.standalone = 100;
  const Sample a = generate_sample(options);
  const Sample b = generate_sample(options);
  CHECK(a.ratings_csv == b.ratings_csv);
  CHECK(a.anime_csv == b.anime_csv);
  CHECK(a.franchises == b.franchises);
  options.seed = 8;
  const Sample c = generate_sample(options);
  CHECK(a.ratings_csv != c.ratings_csv);
  CHECK(a.anime_csv != c.anime_csv);
}

TEST_CASE("both files have the Kaggle headers and the right number of fields", "[sample]") {
  const Sample& sample = default_sample();
  const auto ratings = parse_csv(sample.ratings_csv);
  REQUIRE(ratings.size() > 1);
  CHECK(ratings[0] == std::vector<std::string>{"user_id", "anime_id", "rating"});
  std::size_t bad = 0;
  for (std::size_t r = 1; r < ratings.size(); ++r) {
    if (ratings[r].size() != 3) ++bad;
    const int rating = std::stoi(ratings[r].at(2));
    if (rating != -1 && (rating < 1 || rating > 10)) ++bad;
  }
  CHECK(bad == 0);

  const auto anime = parse_csv(sample.anime_csv);
  REQUIRE(anime.size() > 1);
  CHECK(anime[0] == std::vector<std::string>{"anime_id", "name", "genre", "type", "episodes",
                                             "rating", "members"});
  for (std::size_t r = 1; r < anime.size(); ++r) {
    INFO("anime.csv row " << r);
    REQUIRE(anime[r].size() == 7);
    CHECK(!anime[r][1].empty());
    const std::string& type = anime[r][3];
    CHECK((type == "TV" || type == "Movie" || type == "OVA" || type == "Special" ||
           type == "ONA"));
    CHECK((anime[r][4] == "Unknown" || std::stoi(anime[r][4]) >= 1));
    CHECK(std::stoll(anime[r][6]) >= 1);
  }
}

TEST_CASE("every rated anime_id is in anime.csv, whose ids are unique and sparse", "[sample]") {
  const auto anime = parse_csv(default_sample().anime_csv);
  std::set<long long> ids;
  for (std::size_t r = 1; r < anime.size(); ++r) ids.insert(std::stoll(anime[r][0]));
  CHECK(ids.size() == anime.size() - 1);
  CHECK(*ids.rbegin() > static_cast<long long>(2 * ids.size()));

  std::size_t missing = 0;
  for (const Row& row : default_rows()) missing += ids.count(row.item) ? 0 : 1;
  CHECK(missing == 0);
}

TEST_CASE("rows are sorted by user then anime_id with no repeated pair", "[sample]") {
  const auto& rows = default_rows();
  std::size_t out_of_order = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const bool ordered = rows[r - 1].user < rows[r].user ||
                         (rows[r - 1].user == rows[r].user && rows[r - 1].item < rows[r].item);
    if (!ordered) ++out_of_order;
  }
  CHECK(out_of_order == 0);  // strict order also rules out duplicate pairs
  CHECK(rows.front().user == 1);
  CHECK(items_by_user(rows).size() == 3000);
}

TEST_CASE("about one row in six is watched but not rated", "[sample]") {
  const auto& rows = default_rows();
  const auto unrated = std::count_if(rows.begin(), rows.end(),
                                     [](const Row& r) { return r.rating == -1; });
  const double share = static_cast<double>(unrated) / rows.size();
  CHECK(share > 0.12);
  CHECK(share < 0.25);
}

TEST_CASE("history lengths are long-tailed", "[sample]") {
  std::vector<std::size_t> lengths;
  for (const auto& [user, items] : items_by_user(default_rows())) lengths.push_back(items.size());
  std::sort(lengths.begin(), lengths.end());
  const std::size_t median = lengths[lengths.size() / 2];
  CHECK(lengths.front() >= 5);
  CHECK(median >= 10);
  CHECK(median <= 40);
  CHECK(lengths.back() >= 8 * median);
}

TEST_CASE("popularity is long-tailed: the top tenth of titles holds much of the rows",
          "[sample]") {
  std::map<long long, std::size_t> counts;
  for (const Row& row : default_rows()) ++counts[row.item];
  std::vector<std::size_t> sorted;
  for (const auto& [item, count] : counts) sorted.push_back(count);
  std::sort(sorted.rbegin(), sorted.rend());
  std::size_t top = 0, total = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    total += sorted[i];
    if (i < sorted.size() / 10) top += sorted[i];
  }
  CHECK(static_cast<double>(top) / total > 0.35);
}

TEST_CASE("members grow with the number of viewers", "[sample]") {
  std::map<long long, double> viewers;
  for (const Row& row : default_rows()) viewers[row.item] += 1;
  const auto anime = parse_csv(default_sample().anime_csv);
  std::vector<std::pair<double, double>> pairs;
  for (std::size_t r = 1; r < anime.size(); ++r) {
    pairs.emplace_back(viewers[std::stoll(anime[r][0])], std::stod(anime[r][6]));
  }
  double mx = 0, my = 0;
  for (const auto& [x, y] : pairs) {
    mx += x / pairs.size();
    my += y / pairs.size();
  }
  double sxy = 0, sxx = 0, syy = 0;
  for (const auto& [x, y] : pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
    syy += (y - my) * (y - my);
  }
  CHECK(sxy / std::sqrt(sxx * syy) > 0.9);
}

TEST_CASE("franchises have 2 to 8 titles sharing a base title, with ascending ids",
          "[sample]") {
  const Sample& sample = default_sample();
  REQUIRE(sample.franchises.size() == 60);
  std::unordered_map<std::string, std::string> titles;
  const auto anime = parse_csv(sample.anime_csv);
  for (std::size_t r = 1; r < anime.size(); ++r) titles[anime[r][0]] = anime[r][1];
  for (const auto& franchise : sample.franchises) {
    CHECK(franchise.size() >= 2);
    CHECK(franchise.size() <= 8);
    REQUIRE(titles.count(franchise[0]));
    for (std::size_t e = 1; e < franchise.size(); ++e) {
      REQUIRE(titles.count(franchise[e]));
      CHECK(titles[franchise[e]].rfind(titles[franchise[0]], 0) == 0);
      CHECK(std::stoll(franchise[e]) > std::stoll(franchise[e - 1]));
    }
  }
}

TEST_CASE("franchise siblings are watched together far above chance", "[sample]") {
  const Sample& sample = default_sample();
  const auto users = items_by_user(default_rows());
  const double user_count = static_cast<double>(users.size());
  std::map<long long, double> viewers;
  for (const auto& [user, items] : users) {
    for (long long item : items) viewers[item] += 1;
  }

  // The median over pairs of the lift: users watching both, over what independence predicts.
  const auto median_lift = [&](const std::vector<std::pair<long long, long long>>& pairs) {
    std::vector<double> lifts;
    for (const auto& [a, b] : pairs) {
      double both = 0;
      for (const auto& [user, items] : users) both += items.count(a) && items.count(b);
      lifts.push_back(both / (viewers[a] * viewers[b] / user_count));
    }
    std::sort(lifts.begin(), lifts.end());
    return lifts[lifts.size() / 2];
  };

  std::vector<std::pair<long long, long long>> siblings, strangers;
  for (std::size_t f = 0; f < sample.franchises.size(); ++f) {
    const auto& franchise = sample.franchises[f];
    const auto& next = sample.franchises[(f + 1) % sample.franchises.size()];
    siblings.emplace_back(std::stoll(franchise[0]), std::stoll(franchise[1]));
    strangers.emplace_back(std::stoll(franchise[0]), std::stoll(next[1]));
  }
  const double sibling_lift = median_lift(siblings);
  const double stranger_lift = median_lift(strangers);
  INFO("sibling lift " << sibling_lift << ", stranger lift " << stranger_lift);
  CHECK(sibling_lift > 10.0);
  CHECK(sibling_lift > 5.0 * stranger_lift);
}

TEST_CASE("viewers of a franchise's first title go on to watch several of its titles",
          "[sample]") {
  const Sample& sample = default_sample();
  const auto users = items_by_user(default_rows());
  double starters = 0, watched = 0;
  for (const auto& franchise : sample.franchises) {
    if (franchise.size() < 3) continue;
    const long long first = std::stoll(franchise[0]);
    for (const auto& [user, items] : users) {
      if (!items.count(first)) continue;
      starters += 1;
      for (const std::string& id : franchise) watched += items.count(std::stoll(id));
    }
  }
  REQUIRE(starters > 100);
  CHECK(watched / starters > 2.0);
}

TEST_CASE("titles include commas, quotes and HTML entities as in the real file", "[sample]") {
  const auto anime = parse_csv(default_sample().anime_csv);
  std::size_t comma = 0, quote = 0, amp = 0, apostrophe = 0;
  std::set<std::string> unique;
  for (std::size_t r = 1; r < anime.size(); ++r) {
    const std::string& name = anime[r][1];
    unique.insert(name);
    comma += name.find(',') != std::string::npos;
    quote += name.find('"') != std::string::npos || name.find("&quot;") != std::string::npos;
    amp += name.find("&amp;") != std::string::npos;
    apostrophe += name.find("&#039;") != std::string::npos;
  }
  CHECK(unique.size() == anime.size() - 1);
  CHECK(comma > 0);
  CHECK(quote > 0);
  CHECK(amp > 0);
  CHECK(apostrophe > 0);
  CHECK(default_sample().anime_csv.find("\r\n") != std::string::npos);
}

TEST_CASE("3000 users are generated well under a second", "[sample]") {
  const auto start = std::chrono::steady_clock::now();
  const Sample sample = generate_sample(SampleOptions{});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(!sample.ratings_csv.empty());
  CHECK(seconds < 0.5);
}

TEST_CASE("options out of range are rejected with the field and the value", "[sample]") {
  SampleOptions options;
  CHECK_NOTHROW(options.validate());
  options.users = 0;
  CHECK_THROWS_WITH(options.validate(), "SampleOptions.users must be 1 to 1000000, got 0");
  options.users = 10;
  options.franchises = 10001;
  CHECK_THROWS_WITH(generate_sample(options),
                    "SampleOptions.franchises must be 1 to 10000, got 10001");
  options.franchises = 5;
  options.standalone = 100001;
  CHECK_THROWS_AS(options.validate(), std::invalid_argument);
  options.standalone = 0;
  CHECK_NOTHROW(generate_sample(options));
}
