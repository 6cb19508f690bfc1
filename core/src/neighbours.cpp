#include "anime2vec/neighbours.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace anime2vec {

namespace {

// Double accumulation in a fixed order: the same bits natively and in WebAssembly, whatever
// vector instructions Eigen would have chosen.
double norm_of(const float* v, std::size_t n) {
  double sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += static_cast<double>(v[j]) * v[j];
  return std::sqrt(sum);
}

// Four float accumulators in a fixed order: fast, and identical rows always score the same, so
// ties between duplicate vectors are broken by index alone.
float dot(const float* a, const float* b, std::size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += a[j] * b[j];
    s1 += a[j + 1] * b[j + 1];
    s2 += a[j + 2] * b[j + 2];
    s3 += a[j + 3] * b[j + 3];
  }
  for (; j < n; ++j) s0 += a[j] * b[j];
  return (s0 + s1) + (s2 + s3);
}

// Score descending, then index ascending; NaN scores (from NaN vectors) rank last.
bool ranks_before(const Neighbour& a, const Neighbour& b) {
  const bool a_nan = std::isnan(a.score);
  const bool b_nan = std::isnan(b.score);
  if (a_nan != b_nan) return b_nan;
  if (!a_nan && a.score != b.score) return a.score > b.score;
  return a.index < b.index;
}

std::vector<float> unit_copy(const float* query, std::size_t n) {
  std::vector<float> unit(query, query + n);
  const double norm = norm_of(query, n);
  if (norm > 0) {
    for (float& x : unit) x = static_cast<float>(x / norm);
  }
  return unit;
}

}  // namespace

NeighbourIndex::NeighbourIndex(const Matrix& vectors) : unit_(vectors) {
  const std::size_t n = static_cast<std::size_t>(unit_.cols());
  for (Eigen::Index i = 0; i < unit_.rows(); ++i) {
    float* row = unit_.row(i).data();
    const double norm = norm_of(row, n);
    if (norm > 0) {
      for (std::size_t j = 0; j < n; ++j) row[j] = static_cast<float>(row[j] / norm);
    }
  }
}

std::vector<float> NeighbourIndex::scores(const float* query) const {
  const std::vector<float> unit = unit_copy(query, dimension());
  std::vector<float> out(size());
  for (std::size_t i = 0; i < size(); ++i) {
    out[i] = dot(unit_.row(static_cast<Eigen::Index>(i)).data(), unit.data(), dimension());
  }
  return out;
}

std::vector<Neighbour> NeighbourIndex::for_item(std::uint32_t item, std::size_t k) const {
  if (item >= size()) {
    throw std::invalid_argument("item index " + std::to_string(item) + " is out of range (" +
                                std::to_string(size()) + " items)");
  }
  return for_vector(unit_.row(item).data(), k, {item});
}

std::vector<Neighbour> NeighbourIndex::for_vector(const float* query, std::size_t k,
                                                  const std::vector<std::uint32_t>& exclude) const {
  std::vector<char> skip(size(), 0);
  for (std::uint32_t e : exclude) {
    if (e >= size()) {
      throw std::invalid_argument("excluded index " + std::to_string(e) +
                                  " is out of range (" + std::to_string(size()) + " items)");
    }
    skip[e] = 1;
  }

  const std::vector<float> all = scores(query);
  std::vector<Neighbour> candidates;
  candidates.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) {
    if (!skip[i]) candidates.push_back({static_cast<std::uint32_t>(i), all[i]});
  }

  if (k < candidates.size()) {
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                     candidates.end(), ranks_before);
    candidates.resize(k);
  }
  std::sort(candidates.begin(), candidates.end(), ranks_before);
  return candidates;
}

std::vector<Neighbour> NeighbourIndex::for_items(const std::vector<std::uint32_t>& items,
                                                 std::size_t k,
                                                 const std::vector<float>& weights,
                                                 const std::vector<std::uint32_t>& exclude) const {
  if (items.empty()) throw std::invalid_argument("a profile query needs at least one item");
  if (!weights.empty() && weights.size() != items.size()) {
    throw std::invalid_argument("a profile query got " + std::to_string(weights.size()) +
                                " weights for " + std::to_string(items.size()) + " items");
  }

  // Only the profile's direction matters (for_vector normalises it), so the weighted sum is
  // the weighted mean; dividing by the sum of weights would flip it when that sum is negative.
  std::vector<double> profile(dimension(), 0.0);
  std::vector<std::uint32_t> skip = exclude;
  for (std::size_t t = 0; t < items.size(); ++t) {
    const std::uint32_t item = items[t];
    if (item >= size()) {
      throw std::invalid_argument("item index " + std::to_string(item) + " is out of range (" +
                                  std::to_string(size()) + " items)");
    }
    const double weight = weights.empty() ? 1.0 : static_cast<double>(weights[t]);
    const float* row = unit_.row(item).data();
    for (std::size_t j = 0; j < dimension(); ++j) profile[j] += weight * row[j];
    skip.push_back(item);
  }

  std::vector<float> query(dimension());
  for (std::size_t j = 0; j < dimension(); ++j) query[j] = static_cast<float>(profile[j]);
  return for_vector(query.data(), k, skip);
}

}  // namespace anime2vec
