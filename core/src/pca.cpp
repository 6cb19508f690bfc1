#include "anime2vec/pca.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Eigenvalues>

namespace anime2vec {

PcaResult pca(const Matrix& vectors, std::size_t components) {
  const Eigen::Index rows = vectors.rows();
  const Eigen::Index dimension = vectors.cols();
  if (components == 0 || components > static_cast<std::size_t>(dimension)) {
    throw std::invalid_argument("pca components must be 1 to the dimension (" +
                                std::to_string(dimension) + "), got " +
                                std::to_string(components));
  }
  if (rows < 2) {
    throw std::invalid_argument("pca needs at least 2 rows, got " + std::to_string(rows));
  }
  if (!vectors.allFinite()) {
    throw std::invalid_argument("pca input holds a value that is not a finite number");
  }

  // Double precision throughout: the covariance of thousands of float rows loses digits in
  // float, and the small trailing eigenvalues decide nothing here but cost nothing either.
  const Eigen::MatrixXd data = vectors.cast<double>();
  const Eigen::RowVectorXd mean = data.colwise().mean();
  const Eigen::MatrixXd centred = data.rowwise() - mean;
  const Eigen::MatrixXd covariance =
      (centred.transpose() * centred) / static_cast<double>(rows - 1);

  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  if (solver.info() != Eigen::Success) {
    throw std::invalid_argument("pca: the eigen-decomposition did not converge");
  }

  // Eigenvalues come ascending: the principal axes are the last columns, taken in reverse.
  const Eigen::Index k = static_cast<Eigen::Index>(components);
  Eigen::MatrixXd axes(k, dimension);
  PcaResult result;
  const double total = std::max(0.0, covariance.trace());
  for (Eigen::Index c = 0; c < k; ++c) {
    Eigen::VectorXd axis = solver.eigenvectors().col(dimension - 1 - c);
    Eigen::Index largest = 0;
    for (Eigen::Index j = 1; j < dimension; ++j) {
      if (std::abs(axis[j]) > std::abs(axis[largest])) largest = j;
    }
    if (axis[largest] < 0) axis = -axis;
    axes.row(c) = axis.transpose();

    const double variance = std::max(0.0, solver.eigenvalues()[dimension - 1 - c]);
    result.variances.push_back(variance);
    result.explained.push_back(total > 0 ? variance / total : 0.0);
  }

  result.axes = axes.cast<float>();
  result.coordinates = (centred * axes.transpose()).cast<float>();
  return result;
}

}  // namespace anime2vec
