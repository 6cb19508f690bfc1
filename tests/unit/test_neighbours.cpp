#include "anime2vec/neighbours.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "anime2vec/rng.hpp"

using namespace anime2vec;

namespace {

// Random data with ties planted: some rows duplicate others, some are scaled copies (the same
// direction, so the same cosine), one row is zero.
Matrix random_vectors(Rng& rng, Eigen::Index rows, Eigen::Index cols) {
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = rng.uniform_float() * 2 - 1;
  }
  for (Eigen::Index i = 10; i < rows; i += 17) m.row(i) = m.row(i - 7);
  for (Eigen::Index i = 12; i < rows; i += 23) m.row(i) = m.row(i - 3) * 4.0f;
  m.row(5).setZero();
  return m;
}

// The oracle: cosine in double from the raw vectors, full sort, score desc then index asc.
std::vector<std::pair<double, std::uint32_t>> brute_force(const Matrix& m,
                                                           const std::vector<double>& query,
                                                           const std::vector<std::uint32_t>& skip) {
  double query_norm = 0;
  for (double q : query) query_norm += q * q;
  query_norm = std::sqrt(query_norm);
  std::vector<std::pair<double, std::uint32_t>> all;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const auto index = static_cast<std::uint32_t>(i);
    if (std::find(skip.begin(), skip.end(), index) != skip.end()) continue;
    double dot = 0, norm = 0;
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      dot += static_cast<double>(m(i, j)) * query[static_cast<std::size_t>(j)];
      norm += static_cast<double>(m(i, j)) * m(i, j);
    }
    const double score = norm > 0 && query_norm > 0 ? dot / std::sqrt(norm) / query_norm : 0.0;
    all.emplace_back(score, index);
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  return all;
}

std::vector<double> row_as_double(const Matrix& m, Eigen::Index i) {
  std::vector<double> v;
  for (Eigen::Index j = 0; j < m.cols(); ++j) v.push_back(m(i, j));
  return v;
}

// Our result must follow the oracle: the same scores position by position (to float accuracy),
// and the same indices wherever the oracle's scores are not within float noise of a neighbour.
void check_against_oracle(const std::vector<Neighbour>& got,
                          const std::vector<std::pair<double, std::uint32_t>>& oracle,
                          std::size_t k) {
  REQUIRE(got.size() == std::min(k, oracle.size()));
  for (std::size_t r = 0; r < got.size(); ++r) {
    INFO("rank " << r);
    CHECK(std::abs(got[r].score - oracle[r].first) < 1e-5);
    const bool near_tie =
        (r > 0 && oracle[r - 1].first - oracle[r].first < 1e-5) ||
        (r + 1 < oracle.size() && oracle[r].first - oracle[r + 1].first < 1e-5);
    const bool exact_tie = (r > 0 && oracle[r - 1].first == oracle[r].first) ||
                           (r + 1 < oracle.size() && oracle[r].first == oracle[r + 1].first);
    if (!near_tie || exact_tie) CHECK(got[r].index == oracle[r].second);
  }
}

}  // namespace

TEST_CASE("neighbours of an item match a brute-force oracle and exclude the item",
          "[neighbours]") {
  Rng rng(3);
  const Matrix m = random_vectors(rng, 200, 13);
  const NeighbourIndex index(m);
  for (std::uint32_t item : {0u, 3u, 10u, 12u, 57u, 199u}) {
    INFO("item " << item);
    const auto got = index.for_item(item, 15);
    for (const Neighbour& n : got) CHECK(n.index != item);
    check_against_oracle(got, brute_force(m, row_as_double(m, item), {item}), 15);
  }
}

TEST_CASE("duplicate vectors tie exactly and the lower index comes first", "[neighbours]") {
  Rng rng(4);
  Matrix m = random_vectors(rng, 40, 8);
  m.row(30) = m.row(20);
  m.row(9) = m.row(20) * 0.5f;
  const NeighbourIndex index(m);
  // Row 27 is planted by random_vectors as a copy of row 20 too.
  const auto got = index.for_item(20, 4);
  REQUIRE(got.size() == 4);
  CHECK(got[0].index == 9);
  CHECK(got[1].index == 27);
  CHECK(got[2].index == 30);
  CHECK(got[0].score == got[1].score);
  CHECK(got[1].score == got[2].score);
  CHECK(got[0].score == Approx(1.0f).epsilon(1e-6));
  CHECK(got[3].score < got[2].score);
}

TEST_CASE("a vector query skips excluded items and k beyond the size returns all",
          "[neighbours]") {
  Rng rng(8);
  const Matrix m = random_vectors(rng, 60, 6);
  const NeighbourIndex index(m);
  std::vector<float> query(6);
  std::vector<double> query_double;
  for (float& q : query) {
    q = rng.uniform_float() - 0.5f;
    query_double.push_back(q);
  }
  const std::vector<std::uint32_t> exclude = {1, 2, 3, 40};
  const auto got = index.for_vector(query.data(), 1000, exclude);
  CHECK(got.size() == 56);
  check_against_oracle(got, brute_force(m, query_double, exclude), 1000);
  CHECK(index.for_vector(query.data(), 0).empty());
}

TEST_CASE("a profile is the mean of unit vectors and skips its own items", "[neighbours]") {
  Rng rng(9);
  const Matrix m = random_vectors(rng, 120, 10);
  const NeighbourIndex index(m);
  const std::vector<std::uint32_t> items = {7, 33, 90};
  const std::vector<float> weights = {2.0f, 1.0f, -1.5f};

  std::vector<double> profile(10, 0.0);
  for (std::size_t t = 0; t < items.size(); ++t) {
    double norm = 0;
    for (Eigen::Index j = 0; j < 10; ++j) norm += double(m(items[t], j)) * m(items[t], j);
    for (Eigen::Index j = 0; j < 10; ++j) {
      profile[static_cast<std::size_t>(j)] += weights[t] * m(items[t], j) / std::sqrt(norm);
    }
  }
  std::vector<std::uint32_t> skip = items;
  skip.push_back(50);
  const auto got = index.for_items(items, 12, weights, {50});
  for (const Neighbour& n : got) CHECK(std::find(skip.begin(), skip.end(), n.index) == skip.end());
  check_against_oracle(got, brute_force(m, profile, skip), 12);
}

TEST_CASE("a negative weight pulls the profile away from that item", "[neighbours]") {
  Matrix m(5, 2);
  m << 1, 0,    // the liked item
      0, 1,     // the disliked item
      1, -1,    // like the first, unlike the second
      1, 1,     // like both
      -1, 0;    // opposite of the liked one
  const NeighbourIndex index(m);
  const auto plain = index.for_items({0, 1}, 3);
  CHECK(plain[0].index == 3);
  const auto weighted = index.for_items({0, 1}, 3, {1.0f, -1.0f});
  CHECK(weighted[0].index == 2);
  CHECK(weighted[0].score == Approx(1.0f).epsilon(1e-6));
  CHECK(weighted[2].index == 4);
}

TEST_CASE("a zero vector scores 0 against everything", "[neighbours]") {
  Rng rng(12);
  const Matrix m = random_vectors(rng, 30, 4);
  const NeighbourIndex index(m);
  CHECK(index.unit_vectors().row(5).squaredNorm() == 0.0f);
  const auto from_zero = index.for_item(5, 29);
  REQUIRE(from_zero.size() == 29);
  for (std::size_t r = 0; r < from_zero.size(); ++r) {
    CHECK(from_zero[r].score == 0.0f);
    CHECK(from_zero[r].index == (r < 5 ? r : r + 1));
  }
  const std::vector<float> zero(4, 0.0f);
  for (float s : index.scores(zero.data())) CHECK(s == 0.0f);
  const auto others = index.for_item(0, 29);
  const auto zero_entry =
      std::find_if(others.begin(), others.end(), [](const Neighbour& n) { return n.index == 5; });
  REQUIRE(zero_entry != others.end());
  CHECK(zero_entry->score == 0.0f);
}

TEST_CASE("rows are normalised and scores are cosines", "[neighbours]") {
  Rng rng(13);
  const Matrix m = random_vectors(rng, 50, 7);
  const NeighbourIndex index(m);
  CHECK(index.size() == 50);
  CHECK(index.dimension() == 7);
  for (Eigen::Index i = 0; i < 50; ++i) {
    if (i == 5) continue;
    CHECK(index.unit_vectors().row(i).norm() == Approx(1.0f).epsilon(1e-6));
  }
  const auto s = index.scores(m.row(17).data());
  const auto oracle = brute_force(m, row_as_double(m, 17), {});
  for (const auto& [score, i] : oracle) CHECK(std::abs(s[i] - score) < 1e-6);
}

TEST_CASE("bad indices and mismatched weights are rejected", "[neighbours]") {
  const NeighbourIndex index(Matrix::Identity(3, 3));
  CHECK_THROWS_AS(index.for_item(3, 1), std::invalid_argument);
  const float q[] = {1, 0, 0};
  CHECK_THROWS_AS(index.for_vector(q, 1, {7}), std::invalid_argument);
  CHECK_THROWS_AS(index.for_items({}, 1), std::invalid_argument);
  CHECK_THROWS_AS(index.for_items({0, 1}, 1, {1.0f}), std::invalid_argument);
  CHECK_THROWS_AS(index.for_items({0, 4}, 1), std::invalid_argument);
}
