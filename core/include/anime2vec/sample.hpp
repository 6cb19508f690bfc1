#pragma once
// A generated example in the Kaggle anime format with planted structure: the page's example
// data and an oracle for tests (franchise siblings should end up as neighbours).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace anime2vec {

struct SampleOptions {
  /// Number of users. Default 3000.
  std::size_t users = 3000;

  /// Franchises: groups of 2-8 titles (seasons, films, OVAs) that users watch together and in
  /// order. Default 60.
  std::size_t franchises = 60;

  /// Stand-alone titles besides the franchises. Default 400.
  std::size_t standalone = 400;

  /// Same seed, same files, natively and in WebAssembly. Default 7.
  std::uint64_t seed = 7;

  /// Throws std::invalid_argument naming the field and value (users 1..1e6, franchises 1..10000,
  /// standalone 0..100000).
  void validate() const;
};

struct Sample {
  std::string ratings_csv;  ///< user_id,anime_id,rating  (rating -1 = watched, not rated)
  std::string anime_csv;    ///< anime_id,name,genre,type,episodes,rating,members
  /// The planted truth: the anime_ids of each franchise, in watching order.
  std::vector<std::vector<std::string>> franchises;
};

/// Generates the example: long-tailed popularity, users with genre tastes, franchises watched
/// in order, some -1 ratings, readable made-up titles (a few with commas, quotes and '&' written
/// as HTML entities, as in the real anime.csv). Uses only the project's Rng and exact
/// arithmetic, so the bytes are identical on every platform.
Sample generate_sample(const SampleOptions& options);

}  // namespace anime2vec
