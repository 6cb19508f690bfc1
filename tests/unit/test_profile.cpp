#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "anime2vec/profile.hpp"
#include "anime2vec/rng.hpp"

using namespace anime2vec;

namespace {

Matrix random_vectors(Rng& rng, Eigen::Index rows, Eigen::Index cols) {
  Matrix m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = rng.uniform_float() * 2 - 1;
  }
  return m;
}

std::vector<double> unit_row(const Matrix& m, Eigen::Index i) {
  std::vector<double> v;
  double norm = 0;
  for (Eigen::Index j = 0; j < m.cols(); ++j) norm += static_cast<double>(m(i, j)) * m(i, j);
  norm = std::sqrt(norm);
  for (Eigen::Index j = 0; j < m.cols(); ++j) v.push_back(norm > 0 ? m(i, j) / norm : 0.0);
  return v;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t j = 0; j < a.size(); ++j) s += a[j] * b[j];
  return s;
}

struct Expected {
  double score;
  std::uint32_t index;
  std::uint32_t because;
};

// The oracle: everything in double from the raw vectors, a full sort, the formula of the header.
std::vector<Expected> brute_force(const Matrix& m, const std::vector<ProfileEntry>& profile) {
  std::vector<double> q(static_cast<std::size_t>(m.cols()), 0.0);
  for (const ProfileEntry& e : profile) {
    const double w = e.score ? (*e.score - 5.5) / 4.5 : 1.0;
    const auto u = unit_row(m, e.item);
    for (std::size_t j = 0; j < q.size(); ++j) q[j] += w * u[j];
  }
  const double qn = std::sqrt(dot(q, q));
  std::vector<Expected> all;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const auto index = static_cast<std::uint32_t>(i);
    bool listed = false;
    for (const ProfileEntry& e : profile) listed = listed || e.item == index;
    if (listed) continue;
    const auto u = unit_row(m, i);
    Expected x{qn > 0 ? dot(u, q) / qn : 0.0, index, 0};
    double best = 0;
    for (std::size_t t = 0; t < profile.size(); ++t) {
      const double w = profile[t].score ? (*profile[t].score - 5.5) / 4.5 : 1.0;
      const double value = w * dot(u, unit_row(m, profile[t].item));
      if (t == 0 || value > best) {
        best = value;
        x.because = profile[t].item;
      }
    }
    all.push_back(x);
  }
  std::sort(all.begin(), all.end(), [](const Expected& a, const Expected& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
  return all;
}

std::size_t rank_of(const std::vector<ProfileRecommendation>& list, std::uint32_t item) {
  for (std::size_t r = 0; r < list.size(); ++r) {
    if (list[r].index == item) return r;
  }
  return list.size();
}

}  // namespace

TEST_CASE("weights map 10 to +1, 1 to -1, the middle to 0 and no score to 1") {
  CHECK(profile_weight(std::nullopt) == 1.0);
  CHECK(profile_weight(10.0) == 1.0);
  CHECK(profile_weight(1.0) == -1.0);
  CHECK(profile_weight(5.5) == 0.0);
  CHECK(profile_weight(7.75) == Approx(0.5));
}

TEST_CASE("a score outside 1..10 is rejected with its value") {
  for (double bad : {0.0, 10.5, -3.0, std::nan("")}) {
    try {
      profile_weight(bad);
      FAIL("accepted " << bad);
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find("from 1 to 10") != std::string::npos);
    }
  }
  try {
    profile_weight(11.0);
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("got 11") != std::string::npos);
  }
}

TEST_CASE("recommendations follow a brute-force computation, with and without scores") {
  Rng rng(11);
  const Matrix m = random_vectors(rng, 300, 16);
  const std::vector<std::vector<ProfileEntry>> profiles{
      {{3, std::nullopt}},
      {{3, std::nullopt}, {40, std::nullopt}, {77, std::nullopt}},
      {{3, 9.0}, {40, 2.0}, {77, 6.0}, {150, std::nullopt}},
  };
  for (const auto& profile : profiles) {
    const auto got = recommend_for_profile(m, profile, 25);
    const auto want = brute_force(m, profile);
    REQUIRE(got.size() == 25);
    for (std::size_t r = 0; r < got.size(); ++r) {
      CHECK(got[r].score == Approx(want[r].score).margin(1e-5));
      // Positions agree unless two scores are closer than float accuracy.
      if (r + 1 < want.size() && std::abs(want[r].score - want[r + 1].score) > 1e-5 &&
          (r == 0 || std::abs(want[r].score - want[r - 1].score) > 1e-5)) {
        CHECK(got[r].index == want[r].index);
        CHECK(got[r].because == want[r].because);
      }
      for (const ProfileEntry& e : profile) CHECK(got[r].index != e.item);
    }
  }
}

TEST_CASE("a low score pulls the listed item's neighbours down") {
  // Items 0..4 sit around one direction, 5..9 around another; the profile lists 0 and 5.
  Matrix m = Matrix::Zero(10, 2);
  for (int i = 0; i < 5; ++i) {
    m(i, 0) = 1.0f;
    m(i, 1) = 0.05f * static_cast<float>(i);
    m(i + 5, 0) = 0.05f * static_cast<float>(i);
    m(i + 5, 1) = 1.0f;
  }
  const auto liked = recommend_for_profile(m, {{0, 10.0}, {5, 10.0}}, 8);
  const auto disliked = recommend_for_profile(m, {{0, 10.0}, {5, 1.0}}, 8);
  auto score_of = [](const std::vector<ProfileRecommendation>& list, std::uint32_t item) {
    return list[rank_of(list, item)].score;
  };
  for (std::uint32_t j = 6; j < 10; ++j) {
    CHECK(score_of(disliked, j) < 0.0f);
    CHECK(score_of(disliked, j) < score_of(liked, j));
    CHECK(rank_of(disliked, j) >= 4);  // every item of the liked group comes first
    CHECK(rank_of(disliked, j) >= rank_of(liked, j));
  }
  for (std::size_t r = 0; r < 4; ++r) {
    CHECK(disliked[r].index < 5);
    CHECK(disliked[r].because == 0);
  }
}

TEST_CASE("equal scores go to the lower index, and the first listed item explains a tie") {
  Matrix m = Matrix::Zero(6, 2);
  m.row(0) << 1, 0;
  m.row(1) << 0, 1;
  for (int i = 2; i < 6; ++i) m.row(i) << 1, 1;  // all equally close to both listed items
  const auto got = recommend_for_profile(m, {{1, std::nullopt}, {0, std::nullopt}}, 10);
  REQUIRE(got.size() == 4);
  for (std::size_t r = 0; r < 4; ++r) {
    CHECK(got[r].index == r + 2);
    CHECK(got[r].because == 1);
  }
}

TEST_CASE("a zero profile scores everything 0 and lists the lowest indices") {
  Rng rng(3);
  const Matrix m = random_vectors(rng, 20, 4);
  const auto got = recommend_for_profile(m, {{7, 5.5}}, 3);
  REQUIRE(got.size() == 3);
  CHECK(got[0].index == 0);
  CHECK(got[1].index == 1);
  CHECK(got[2].index == 2);
  CHECK(got[0].score == 0.0f);
}

TEST_CASE("bad profiles are rejected with what is wrong") {
  Rng rng(5);
  const Matrix m = random_vectors(rng, 10, 4);
  CHECK_THROWS_AS(recommend_for_profile(m, {}, 5), std::invalid_argument);
  CHECK_THROWS_WITH(recommend_for_profile(m, {{10, std::nullopt}}, 5),
                    Catch::Contains("profile item 10 is out of range"));
  CHECK_THROWS_WITH(recommend_for_profile(m, {{2, std::nullopt}, {2, 8.0}}, 5),
                    Catch::Contains("listed twice"));
  CHECK_THROWS_WITH(recommend_for_profile(m, {{2, 0.0}}, 5), Catch::Contains("got 0"));
}

TEST_CASE("k larger than the candidates gives every unlisted item") {
  Rng rng(9);
  const Matrix m = random_vectors(rng, 8, 3);
  CHECK(recommend_for_profile(m, {{1, std::nullopt}, {2, 3.0}}, 100).size() == 6);
}

TEST_CASE("input-output scoring ranks by the unit profile times the output vectors") {
  Rng rng(21);
  const Matrix in = random_vectors(rng, 120, 8);
  const Matrix out = random_vectors(rng, 120, 8);
  const std::vector<ProfileEntry> profile{{4, 9.0}, {17, std::nullopt}, {60, 3.0}};
  std::vector<double> q(8, 0.0);
  for (const ProfileEntry& e : profile) {
    const double w = profile_weight(e.score);
    const auto u = unit_row(in, e.item);
    for (std::size_t j = 0; j < q.size(); ++j) q[j] += w * u[j];
  }
  const double qn = std::sqrt(dot(q, q));
  std::vector<Expected> want;
  for (Eigen::Index i = 0; i < in.rows(); ++i) {
    const auto index = static_cast<std::uint32_t>(i);
    if (index == 4 || index == 17 || index == 60) continue;
    std::vector<double> o;
    for (Eigen::Index j = 0; j < out.cols(); ++j) o.push_back(out(i, j));
    Expected x{dot(q, o) / qn, index, 0};
    double best = 0;
    for (std::size_t t = 0; t < profile.size(); ++t) {
      const double value = profile_weight(profile[t].score) * dot(unit_row(in, profile[t].item), o);
      if (t == 0 || value > best) {
        best = value;
        x.because = profile[t].item;
      }
    }
    want.push_back(x);
  }
  std::sort(want.begin(), want.end(), [](const Expected& a, const Expected& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
  const auto got = recommend_for_profile(NeighbourIndex(in), profile, 10, &out);
  REQUIRE(got.size() == 10);
  for (std::size_t r = 0; r < got.size(); ++r) {
    CHECK(got[r].score == Approx(want[r].score).margin(1e-5));
    CHECK(got[r].index == want[r].index);
    CHECK(got[r].because == want[r].because);
  }
  const Matrix short_output = random_vectors(rng, 119, 8);
  CHECK_THROWS_WITH(recommend_for_profile(NeighbourIndex(in), profile, 10, &short_output),
                    Catch::Contains("output vectors are 119 × 8"));
}
