#include "anime2vec/pca.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <stdexcept>

#include <Eigen/Eigenvalues>

#include "anime2vec/rng.hpp"

using namespace anime2vec;

namespace {

// Correlated random data: independent uniforms mixed by a random matrix, plus an offset so
// that centring matters.
Matrix correlated_data(Rng& rng, Eigen::Index rows, Eigen::Index cols) {
  Eigen::MatrixXd raw(rows, cols), mix(cols, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) raw(i, j) = rng.uniform() * 2 - 1;
  }
  for (Eigen::Index i = 0; i < cols; ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) mix(i, j) = rng.uniform() * 2 - 1;
  }
  Eigen::MatrixXd data = raw * mix;
  data.rowwise() += Eigen::RowVectorXd::LinSpaced(cols, 3.0, 10.0);
  return data.cast<float>();
}

}  // namespace

TEST_CASE("pca agrees with a direct eigen-decomposition of the covariance", "[pca]") {
  Rng rng(21);
  const Matrix m = correlated_data(rng, 80, 6);
  const PcaResult result = pca(m, 4);

  // The oracle: the covariance formed entry by entry in double, then Eigen's general solver
  // (not the self-adjoint one pca uses), sorted by eigenvalue.
  const Eigen::Index n = m.rows(), d = m.cols();
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < d; ++j) mean[j] += m(i, j);
  }
  mean /= static_cast<double>(n);
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(d, d);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index a = 0; a < d; ++a) {
      for (Eigen::Index b = 0; b < d; ++b) {
        covariance(a, b) += (m(i, a) - mean[a]) * (m(i, b) - mean[b]) / double(n - 1);
      }
    }
  }
  const Eigen::EigenSolver<Eigen::MatrixXd> oracle(covariance);
  std::vector<std::pair<double, Eigen::VectorXd>> pairs;
  for (Eigen::Index c = 0; c < d; ++c) {
    pairs.emplace_back(oracle.eigenvalues()[c].real(), oracle.eigenvectors().col(c).real());
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });

  REQUIRE(result.axes.rows() == 4);
  REQUIRE(result.axes.cols() == 6);
  REQUIRE(result.variances.size() == 4);
  REQUIRE(result.explained.size() == 4);
  REQUIRE(result.coordinates.rows() == 80);
  REQUIRE(result.coordinates.cols() == 4);

  const double total = covariance.trace();
  for (Eigen::Index c = 0; c < 4; ++c) {
    INFO("component " << c);
    const std::size_t k = static_cast<std::size_t>(c);
    CHECK(result.variances[k] == Approx(pairs[k].first).epsilon(1e-9));
    CHECK(result.explained[k] == Approx(pairs[k].first / total).epsilon(1e-9));
    if (c > 0) CHECK(result.variances[k] <= result.variances[k - 1]);

    // The same axis up to sign; then the sign convention: the largest entry is positive.
    const Eigen::VectorXd axis = result.axes.row(c).transpose().cast<double>();
    CHECK(std::abs(axis.dot(pairs[k].second.normalized())) == Approx(1.0).epsilon(1e-6));
    Eigen::Index largest = 0;
    axis.cwiseAbs().maxCoeff(&largest);
    CHECK(axis[largest] > 0);

    // Orthonormal axes.
    for (Eigen::Index other = 0; other < 4; ++other) {
      const double dot = result.axes.row(c).cast<double>().dot(
          result.axes.row(other).cast<double>());
      CHECK(dot == Approx(c == other ? 1.0 : 0.0).margin(1e-6));
    }

    // Coordinates are the centred rows projected on the axis.
    for (Eigen::Index i = 0; i < n; ++i) {
      double projection = 0;
      for (Eigen::Index j = 0; j < d; ++j) projection += (m(i, j) - mean[j]) * axis[j];
      CHECK(result.coordinates(i, c) == Approx(projection).margin(1e-4));
    }
  }
}

TEST_CASE("points on a line put all their variance on the first axis", "[pca]") {
  Rng rng(22);
  const Eigen::Index rows = 50;
  Matrix m(rows, 5);
  const float direction[] = {0.3f, -1.0f, 2.0f, 0.0f, 0.5f};
  for (Eigen::Index i = 0; i < rows; ++i) {
    const float t = static_cast<float>(rng.uniform() * 10 - 5);
    for (Eigen::Index j = 0; j < 5; ++j) m(i, j) = 1.0f + t * direction[j];
  }
  const PcaResult result = pca(m, 3);
  CHECK(result.explained[0] == Approx(1.0).epsilon(1e-6));
  CHECK(result.explained[1] < 1e-9);
  // The axis is the line's direction, turned so that its largest entry (2.0) is positive.
  const Eigen::RowVectorXf axis = result.axes.row(0);
  const float length = std::sqrt(0.09f + 1.0f + 4.0f + 0.25f);
  CHECK(axis[2] == Approx(2.0f / length).epsilon(1e-5));
  CHECK(axis[1] == Approx(-1.0f / length).epsilon(1e-5));
}

TEST_CASE("pca rejects zero or too many components, too few rows and non-finite input",
          "[pca]") {
  Rng rng(23);
  const Matrix m = correlated_data(rng, 10, 4);
  CHECK_THROWS_AS(pca(m, 0), std::invalid_argument);
  CHECK_THROWS_AS(pca(m, 5), std::invalid_argument);
  CHECK_NOTHROW(pca(m, 4));
  CHECK_THROWS_AS(pca(m.topRows(1), 2), std::invalid_argument);
  Matrix bad = m;
  bad(3, 2) = std::nanf("");
  CHECK_THROWS_AS(pca(bad, 2), std::invalid_argument);
}

TEST_CASE("identical rows give zero variances and zero shares without failing", "[pca]") {
  const Matrix m = Matrix::Constant(6, 3, 2.5f);
  const PcaResult result = pca(m, 2);
  CHECK(result.variances[0] == 0.0);
  CHECK(result.explained[0] == 0.0);
  CHECK(result.coordinates.cwiseAbs().maxCoeff() == 0.0f);
}

TEST_CASE("pca of 7400 items in 64 dimensions takes milliseconds", "[pca]") {
  Rng rng(24);
  const Matrix m = correlated_data(rng, 7400, 64);
  const auto start = std::chrono::steady_clock::now();
  const PcaResult result = pca(m, 2);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(result.coordinates.rows() == 7400);
  // Measured about 10 ms in a release build; the bound leaves room for a shared machine and a
  // debug build.
  CHECK(seconds < 0.5);
}

TEST_CASE("the shares of variance of all components sum to 1 and match the self-adjoint solver",
          "[pca]") {
  Rng rng(25);
  const Matrix m = correlated_data(rng, 40, 5);
  const PcaResult all = pca(m, 5);
  double sum = 0;
  for (double share : all.explained) sum += share;
  CHECK(sum == Approx(1.0).epsilon(1e-12));

  // Eigen's self-adjoint solver on the covariance in double: the same values, ascending.
  const Eigen::MatrixXd data = m.cast<double>();
  const Eigen::MatrixXd centred = data.rowwise() - data.colwise().mean();
  const Eigen::MatrixXd covariance = centred.transpose() * centred / 39.0;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  for (Eigen::Index c = 0; c < 5; ++c) {
    CHECK(all.variances[static_cast<std::size_t>(c)] ==
          Approx(solver.eigenvalues()[4 - c]).epsilon(1e-9));
  }

  // The first components of a larger request are the same as a smaller one's.
  const PcaResult two = pca(m, 2);
  CHECK(two.axes == all.axes.topRows(2));
  CHECK(two.explained[1] == all.explained[1]);
}
