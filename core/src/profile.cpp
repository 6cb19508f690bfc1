#include "anime2vec/profile.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace anime2vec {

namespace {

// Shortest text that names the value as given (9.5, not 9.500000).
std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Double accumulation in a fixed order, so native and WebAssembly pick the same "because".
double dot(const float* a, const float* b, std::size_t n) {
  double sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += static_cast<double>(a[j]) * b[j];
  return sum;
}

}  // namespace

double profile_weight(const std::optional<double>& score) {
  if (!score) return 1.0;
  const double s = *score;
  if (!std::isfinite(s) || s < 1.0 || s > 10.0) {
    throw std::invalid_argument("a profile score must be a number from 1 to 10, got " +
                                number_text(s));
  }
  return (s - 5.5) / 4.5;
}

std::vector<ProfileRecommendation> recommend_for_profile(const NeighbourIndex& index,
                                                         const std::vector<ProfileEntry>& profile,
                                                         std::size_t k, const Matrix* output) {
  if (profile.empty()) throw std::invalid_argument("a profile needs at least one item");
  const std::size_t n = index.size();
  const std::size_t d = index.dimension();
  const Matrix& unit = index.unit_vectors();
  if (output && (static_cast<std::size_t>(output->rows()) != n ||
                 static_cast<std::size_t>(output->cols()) != d)) {
    throw std::invalid_argument("output vectors are " + std::to_string(output->rows()) + " × " +
                                std::to_string(output->cols()) + ", the input vectors " +
                                std::to_string(n) + " × " + std::to_string(d));
  }

  std::vector<char> listed(n, 0);
  std::vector<double> weights;
  std::vector<double> sum(d, 0.0);
  for (const ProfileEntry& entry : profile) {
    if (entry.item >= n) {
      throw std::invalid_argument("profile item " + std::to_string(entry.item) +
                                  " is out of range (" + std::to_string(n) + " items)");
    }
    if (listed[entry.item]) {
      throw std::invalid_argument("profile item " + std::to_string(entry.item) +
                                  " is listed twice");
    }
    listed[entry.item] = 1;
    const double w = profile_weight(entry.score);
    weights.push_back(w);
    const float* row = unit.row(entry.item).data();
    for (std::size_t j = 0; j < d; ++j) sum[j] += w * row[j];
  }

  std::vector<float> query(d);
  for (std::size_t j = 0; j < d; ++j) query[j] = static_cast<float>(sum[j]);
  std::vector<float> scores;
  if (output) {
    double norm = 0;
    for (double x : sum) norm += x * x;
    norm = std::sqrt(norm);
    for (std::size_t j = 0; j < d; ++j) {
      query[j] = norm > 0 ? static_cast<float>(sum[j] / norm) : 0.0f;
    }
    scores.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      scores[i] = static_cast<float>(dot(query.data(), output->row(i).data(), d));
    }
  } else {
    scores = index.scores(query.data());
  }

  std::vector<std::uint32_t> candidates;
  candidates.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!listed[i]) candidates.push_back(i);
  }
  // NaN (from NaN vectors) ranks last, as in NeighbourIndex.
  auto before = [&scores](std::uint32_t a, std::uint32_t b) {
    const bool a_nan = std::isnan(scores[a]);
    const bool b_nan = std::isnan(scores[b]);
    if (a_nan != b_nan) return b_nan;
    if (!a_nan && scores[a] != scores[b]) return scores[a] > scores[b];
    return a < b;
  };
  const std::size_t take = std::min(k, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(take),
                    candidates.end(), before);

  std::vector<ProfileRecommendation> out;
  out.reserve(take);
  for (std::size_t r = 0; r < take; ++r) {
    const std::uint32_t j = candidates[r];
    // What the listed item contributes to this item's score: its weighted cosine, or with
    // input·output scoring its weighted prediction of the item.
    const float* row = output ? output->row(j).data() : unit.row(j).data();
    std::size_t best = 0;
    double best_value = 0;
    for (std::size_t t = 0; t < profile.size(); ++t) {
      const double value = weights[t] * dot(row, unit.row(profile[t].item).data(), d);
      if (t == 0 || value > best_value) {
        best = t;
        best_value = value;
      }
    }
    out.push_back({j, scores[j], profile[best].item});
  }
  return out;
}

std::vector<ProfileRecommendation> recommend_for_profile(const Matrix& vectors,
                                                         const std::vector<ProfileEntry>& profile,
                                                         std::size_t k) {
  return recommend_for_profile(NeighbourIndex(vectors), profile, k);
}

}  // namespace anime2vec
