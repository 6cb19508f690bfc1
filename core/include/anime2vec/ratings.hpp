#pragma once
// Ratings files: one interaction per row (user, item, optional rating, optional timestamp).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anime2vec/csv.hpp"

namespace anime2vec {

/// Which header names hold which column. An empty name means "detect": user from userId,
/// user_id, user; item from movieId, anime_id, itemId, item_id, item; rating from rating, score;
/// timestamp from timestamp, ts, time. Header matching is case-sensitive on these exact names.
struct RatingsColumns {
  std::string user;
  std::string item;
  std::string rating;     ///< optional column; absent means every row rates NaN
  std::string timestamp;  ///< optional column; absent means file order
};

struct RatingsOptions {
  /// Explicit header names; each non-empty one overrides detection and must exist.
  RatingsColumns columns;

  /// Rows whose rating is below this are dropped (so -1 "watched, not rated" rows go too when
  /// it is above -1). Default: keep every row; a -1 rating counts as "watched". Setting it for
  /// a file without a rating column is an InputError; NaN is std::invalid_argument.
  std::optional<double> min_rating;

  /// false (default): the first malformed row throws InputError. true: malformed rows are
  /// skipped, counted in Ratings::rows_skipped and the first few messages kept.
  bool skip_bad_rows = false;
};

/// Parsed interactions, column-wise. User and item ids are interned: user[r] indexes
/// user_ids, item[r] indexes item_ids, in order of first appearance.
struct Ratings {
  std::vector<std::string> user_ids;
  std::vector<std::string> item_ids;
  std::vector<std::uint32_t> user;
  std::vector<std::uint32_t> item;
  std::vector<float> rating;            ///< NaN when the file has no rating column
  std::vector<std::int64_t> timestamp;  ///< empty when the file has no timestamp column
  bool has_rating = false;
  bool has_timestamp = false;
  bool user_ids_numeric = true;  ///< every user id is an integer (sort numerically)
  bool item_ids_numeric = true;  ///< every item id is an integer

  std::size_t rows_read = 0;     ///< data rows seen (header excluded)
  std::size_t rows_watched = 0;  ///< kept rows rated -1 ("watched, not rated")
  std::size_t rows_below_min_rating = 0;
  std::size_t rows_skipped = 0;               ///< malformed rows skipped (skip_bad_rows)
  std::vector<std::string> skipped_examples;  ///< first messages of skipped rows (at most 5)

  std::size_t size() const { return user.size(); }
};

/// Reads a ratings file from byte chunks: feed() as many times as needed, then finish(); any
/// chunking gives the same Ratings. Ids keep their text minus surrounding spaces; an empty id
/// is an error. Ratings are decimals (parse_decimal). Timestamps are integers; a fraction is
/// accepted and truncated toward zero. Blank lines are ignored. Row errors read like
/// "ratings.csv line 7: expected 3 fields, got 2" or
/// "ratings.csv line 1042, column rating: expected a number, got 'abc'".
class RatingsReader {
 public:
  explicit RatingsReader(std::string source_name, RatingsOptions options = {});

  void feed(std::string_view bytes);

  /// Ends the input and returns the ratings. Throws InputError for an empty file, a missing
  /// column or (without skip_bad_rows) a malformed row.
  Ratings finish();

  std::size_t bytes_fed() const;
  std::size_t rows_read() const { return out_.rows_read; }

 private:
  struct Impl;
  void on_record(const CsvRecord& record);
  void add_row(const CsvRecord& record);

  std::string source_name_;
  RatingsOptions options_;
  CsvParser parser_;
  Ratings out_;
  std::vector<int> column_index_;  // user, item, rating, timestamp positions or -1
  std::size_t header_width_ = 0;
  bool header_seen_ = false;
  // id -> interned index; kept in the .cpp behind a pointer to keep this header light
  std::shared_ptr<Impl> impl_;
};

/// Whether an id counts as an integer for the *_ids_numeric flags: an optional '-' and 1 to 18
/// digits (so it fits in a long long).
bool is_integer_id(std::string_view id) noexcept;

/// Convenience for tests and small inputs: reads a whole buffer at once.
Ratings read_ratings(std::string_view bytes, std::string source_name = "ratings",
                     RatingsOptions options = {});

}  // namespace anime2vec
