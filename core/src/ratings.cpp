#include "anime2vec/ratings.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>

#include "anime2vec/error.hpp"

namespace anime2vec {

namespace {

constexpr std::size_t kMaxSkippedExamples = 5;

enum Role : std::size_t { kUser, kItem, kRating, kTimestamp, kRoleCount };

struct RoleSpec {
  const char* name;  // as used in messages: "no user column"
  std::vector<std::string_view> candidates;
  bool required;
};

const RoleSpec& role_spec(std::size_t role) {
  static const RoleSpec specs[kRoleCount] = {
      {"user", {"userId", "user_id", "user"}, true},
      {"item", {"movieId", "anime_id", "itemId", "item_id", "item"}, true},
      {"rating", {"rating", "score"}, false},
      {"timestamp", {"timestamp", "ts", "time"}, false},
  };
  return specs[role];
}

// Unix seconds: an optional sign and up to 18 digits. A fraction ("1537799250.5", as some
// exports write) is accepted and truncated toward zero: sub-second order does not matter here.
bool parse_timestamp(std::string_view text, std::int64_t& value) noexcept {
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) ++i;
  const std::size_t first_digit = i;
  std::int64_t magnitude = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (i - first_digit == 18) return false;  // past 18 digits the value could overflow
    magnitude = magnitude * 10 + (text[i] - '0');
  }
  if (i == first_digit) return false;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    }
  }
  if (i != text.size()) return false;
  value = negative ? -magnitude : magnitude;
  return true;
}

}  // namespace

bool is_integer_id(std::string_view id) noexcept {
  const std::size_t start = !id.empty() && id[0] == '-' ? 1 : 0;
  const std::size_t digits = id.size() - start;
  if (digits < 1 || digits > 18) return false;
  for (std::size_t i = start; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  return true;
}

namespace {

// Interns ids with open addressing over the ids vector itself. std::unordered_map spent a
// third of the read time chasing nodes; this table is a flat array of (hash, index) pairs and
// looks ids up by string_view, so trimmed fields need no copy.
class IdInterner {
 public:
  // The index of `id` in `ids`, appending it (and updating all_numeric) when new.
  std::uint32_t intern(std::string_view id, std::vector<std::string>& ids, bool& all_numeric,
                       const std::string& source_name) {
    if (2 * (ids.size() + 1) > slots_.size()) grow(ids);
    const std::uint64_t hash = hash_of(id);
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    std::size_t pos = static_cast<std::size_t>(hash) & (slots_.size() - 1);
    while (slots_[pos].index != 0) {
      const Slot& slot = slots_[pos];
      if (slot.tag == tag && ids[slot.index - 1] == id) return slot.index - 1;
      pos = (pos + 1) & (slots_.size() - 1);
    }

    if (ids.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
      throw InputError(location(source_name, 0) + "more than 4294967294 distinct ids");
    }
    const auto fresh = static_cast<std::uint32_t>(ids.size());
    slots_[pos] = Slot{tag, fresh + 1};
    ids.emplace_back(id);
    if (all_numeric && !is_integer_id(id)) all_numeric = false;
    return fresh;
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;    // high half of the hash
    std::uint32_t index = 0;  // 1 + index into ids; 0 marks an empty slot
  };

  // FNV-1a, then a final mix so the low bits used for the slot depend on every byte.
  static std::uint64_t hash_of(std::string_view id) noexcept {
    std::uint64_t hash = 14695981039346656037ULL;
    for (char c : id) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ULL;
    }
    hash ^= hash >> 29;
    hash *= 0xBF58476D1CE4E5B9ULL;
    hash ^= hash >> 32;
    return hash;
  }

  void grow(const std::vector<std::string>& ids) {
    const std::size_t capacity = slots_.empty() ? 1024 : 2 * slots_.size();
    slots_.assign(capacity, Slot{});
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const std::uint64_t hash = hash_of(ids[k]);
      std::size_t pos = static_cast<std::size_t>(hash) & (capacity - 1);
      while (slots_[pos].index != 0) pos = (pos + 1) & (capacity - 1);
      slots_[pos] = Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(k + 1)};
    }
  }

  std::vector<Slot> slots_;  // a power of two, at most half full
};

}  // namespace

struct RatingsReader::Impl {
  std::vector<std::string> header;  // trimmed column names, for messages
  IdInterner users;
  IdInterner items;

  // Ratings files are usually grouped by user: remembering the last user skips most lookups.
  std::string last_user;
  std::uint32_t last_user_index = 0;
  bool has_last_user = false;
};

RatingsReader::RatingsReader(std::string source_name, RatingsOptions options)
    : source_name_(std::move(source_name)),
      options_(std::move(options)),
      parser_(source_name_),
      column_index_(kRoleCount, -1),
      impl_(std::make_shared<Impl>()) {
  if (options_.min_rating && std::isnan(*options_.min_rating)) {
    throw std::invalid_argument("RatingsOptions.min_rating: expected a number, got nan");
  }
}

void RatingsReader::feed(std::string_view bytes) {
  parser_.feed(bytes, [this](const CsvRecord& record) { on_record(record); });
}

std::size_t RatingsReader::bytes_fed() const { return parser_.bytes_fed(); }

Ratings RatingsReader::finish() {
  parser_.finish([this](const CsvRecord& record) { on_record(record); });
  if (!header_seen_) throw InputError(location(source_name_, 0) + "the file is empty");
  if (out_.rows_read == 0) {
    throw InputError(location(source_name_, 0) + "no data rows after the header");
  }
  return std::move(out_);
}

void RatingsReader::on_record(const CsvRecord& record) {
  Impl& impl = *impl_;
  if (!header_seen_) {
    header_seen_ = true;
    header_width_ = record.fields.size();
    for (const std::string& name : record.fields) impl.header.emplace_back(trim_spaces(name));

    const std::string* explicit_names[kRoleCount] = {&options_.columns.user, &options_.columns.item,
                                                     &options_.columns.rating,
                                                     &options_.columns.timestamp};
    for (std::size_t role = 0; role < kRoleCount; ++role) {
      const RoleSpec& spec = role_spec(role);
      column_index_[role] = find_header_column(impl.header, *explicit_names[role], spec.candidates,
                                               spec.required, spec.name, source_name_, record.line);
    }
    out_.has_rating = column_index_[kRating] >= 0;
    out_.has_timestamp = column_index_[kTimestamp] >= 0;
    if (options_.min_rating && !out_.has_rating) {
      throw InputError(location(source_name_, record.line) +
                       "min_rating is set but there is no rating column (expected one of " +
                       "rating, score; found " + join_names(impl.header) + ")");
    }
    return;
  }

  ++out_.rows_read;
  if (!options_.skip_bad_rows) {
    add_row(record);
    return;
  }
  try {
    add_row(record);
  } catch (const InputError& error) {
    ++out_.rows_skipped;
    if (out_.skipped_examples.size() < kMaxSkippedExamples) {
      out_.skipped_examples.emplace_back(error.what());
    }
  }
}

// Checks and converts every field first and interns last, so a rejected or dropped row leaves
// no id behind.
void RatingsReader::add_row(const CsvRecord& record) {
  Impl& impl = *impl_;
  const auto& fields = record.fields;
  if (fields.size() != header_width_) {
    throw InputError(location(source_name_, record.line) + "expected " +
                     std::to_string(header_width_) + " fields, got " +
                     std::to_string(fields.size()));
  }

  const auto user_column = static_cast<std::size_t>(column_index_[kUser]);
  const auto item_column = static_cast<std::size_t>(column_index_[kItem]);
  const std::string_view user = trim_spaces(fields[user_column]);
  const std::string_view item = trim_spaces(fields[item_column]);
  for (std::size_t column : {user_column, item_column}) {
    if ((column == user_column ? user : item).empty()) {
      throw InputError(location(source_name_, record.line, impl.header[column]) +
                       "expected an id, got an empty field");
    }
  }

  float rating = std::numeric_limits<float>::quiet_NaN();
  if (column_index_[kRating] >= 0) {
    const auto column = static_cast<std::size_t>(column_index_[kRating]);
    double value = 0.0;
    if (!parse_decimal(trim_spaces(fields[column]), value)) {
      throw InputError(location(source_name_, record.line, impl.header[column]) +
                       "expected a number, got " + quote_value(fields[column]));
    }
    rating = static_cast<float>(value);
    if (!std::isfinite(rating)) {
      throw InputError(location(source_name_, record.line, impl.header[column]) +
                       "expected a number within float range, got " + quote_value(fields[column]));
    }
  }

  std::int64_t timestamp = 0;
  if (column_index_[kTimestamp] >= 0) {
    const auto column = static_cast<std::size_t>(column_index_[kTimestamp]);
    if (!parse_timestamp(trim_spaces(fields[column]), timestamp)) {
      throw InputError(location(source_name_, record.line, impl.header[column]) +
                       "expected an integer timestamp, got " + quote_value(fields[column]));
    }
  }

  if (options_.min_rating && static_cast<double>(rating) < *options_.min_rating) {
    ++out_.rows_below_min_rating;
    return;
  }

  if (!impl.has_last_user || user != impl.last_user) {
    impl.last_user_index =
        impl.users.intern(user, out_.user_ids, out_.user_ids_numeric, source_name_);
    impl.last_user.assign(user);
    impl.has_last_user = true;
  }
  const std::uint32_t item_index =
      impl.items.intern(item, out_.item_ids, out_.item_ids_numeric, source_name_);

  out_.user.push_back(impl.last_user_index);
  out_.item.push_back(item_index);
  out_.rating.push_back(rating);
  if (out_.has_timestamp) out_.timestamp.push_back(timestamp);
  if (rating == -1.0f) ++out_.rows_watched;
}

Ratings read_ratings(std::string_view bytes, std::string source_name, RatingsOptions options) {
  RatingsReader reader(std::move(source_name), std::move(options));
  reader.feed(bytes);
  return reader.finish();
}

}  // namespace anime2vec
