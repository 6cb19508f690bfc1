#include "anime2vec/csv.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "anime2vec/error.hpp"

namespace anime2vec {

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr std::size_t kBomSize = 3;
constexpr char kCandidates[3] = {',', '\t', ';'};

std::string hex_byte(unsigned char byte) {
  const char* digits = "0123456789ABCDEF";
  std::string out = "0x";
  out.push_back(digits[byte >> 4]);
  out.push_back(digits[byte & 0x0F]);
  return out;
}

}  // namespace

CsvParser::CsvParser(std::string source_name, char delimiter)
    : source_name_(std::move(source_name)), delimiter_(delimiter) {
  const auto byte = static_cast<unsigned char>(delimiter);
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || byte >= 0x80) {
    throw std::invalid_argument(
        "CsvParser delimiter: expected a single ASCII character other "
        "than a quote or a line end, got byte " +
        hex_byte(byte));
  }
}

void CsvParser::feed(std::string_view bytes, const RecordHandler& on_record) {
  bytes_fed_ += bytes.size();
  if (prefix_done_) {
    tokenize(bytes, on_record);
    return;
  }
  pending_.append(bytes);
  take_prefix(false, on_record);
}

void CsvParser::finish(const RecordHandler& on_record) {
  if (!prefix_done_) take_prefix(true, on_record);

  if (utf8_need_ > 0) {
    throw InputError(location(source_name_, line_) + "invalid UTF-8: the input ends inside the " +
                     "character starting with byte " + hex_byte(utf8_lead_));
  }
  switch (state_) {
    case State::kRecordStart:
      break;
    case State::kQuoted:
      throw InputError(location(source_name_, quote_line_) +
                       "a quoted field starting on this line is never closed");
    default:
      end_record(on_record);
  }
}

// Holds the first bytes back until it is known whether they start with a BOM and, when
// detecting, until the first line is complete; then tokenizes what was held.
void CsvParser::take_prefix(bool at_end, const RecordHandler& on_record) {
  if (!bom_checked_) {
    const std::size_t n = pending_.size() < kBomSize ? pending_.size() : kBomSize;
    const bool may_be_bom = pending_.compare(0, n, kBom, n) == 0;
    if (may_be_bom && n < kBomSize && !at_end) return;
    if (may_be_bom && n == kBomSize) pending_.erase(0, kBomSize);
    bom_checked_ = true;
  }

  if (delimiter_ == 0) {
    bool line_complete = false;
    for (; scan_pos_ < pending_.size(); ++scan_pos_) {
      const char c = pending_[scan_pos_];
      if (scan_in_quotes_) {
        if (c == '"') scan_in_quotes_ = false;
      } else if (c == '"') {
        // A quote opens quoting at a field start; right after a closing quote it is the second
        // half of a doubled quote, which reopens it.
        for (char candidate : kCandidates) scan_in_quotes_ |= scan_prev_ == candidate;
        scan_in_quotes_ |= scan_prev_ == '"';
      } else if (c == '\n' || c == '\r') {
        line_complete = true;
        break;
      } else {
        for (std::size_t k = 0; k < 3; ++k) delimiter_counts_[k] += c == kCandidates[k];
      }
      scan_prev_ = c;
    }
    if (!line_complete && !at_end) return;

    std::size_t best = 0;
    for (std::size_t k = 1; k < 3; ++k) {
      if (delimiter_counts_[k] > delimiter_counts_[best]) best = k;
    }
    delimiter_ = kCandidates[best];
  }

  special_[static_cast<unsigned char>(delimiter_)] = true;
  special_['"'] = true;
  special_['\n'] = true;
  special_['\r'] = true;
  prefix_done_ = true;
  std::string held;
  held.swap(pending_);
  tokenize(held, on_record);
}

void CsvParser::tokenize(std::string_view bytes, const RecordHandler& on_record) {
  // Validate and tokenize in cache-sized slices so each byte is read from cache the second time.
  constexpr std::size_t kSlice = 32 * 1024;
  while (bytes.size() > kSlice) {
    tokenize_slice(bytes.substr(0, kSlice), on_record);
    bytes.remove_prefix(kSlice);
  }
  tokenize_slice(bytes, on_record);
}

void CsvParser::tokenize_slice(std::string_view bytes, const RecordHandler& on_record) {
  const std::size_t bad = validate_utf8(bytes);
  if (bad == std::string_view::npos) {
    tokenize_valid(bytes, on_record);
    return;
  }

  // Tokenize up to the bad byte so that line_ is the line it sits on.
  tokenize_valid(bytes.substr(0, bad), on_record);
  const auto byte = static_cast<unsigned char>(bytes[bad]);
  std::string what = utf8_need_ > 0
                         ? "invalid UTF-8: byte " + hex_byte(byte) +
                               " cannot continue the character starting with byte " +
                               hex_byte(utf8_lead_)
                         : "invalid UTF-8: byte " + hex_byte(byte) + " cannot start a character";
  throw InputError(location(source_name_, line_) + what + " (is the file UTF-8?)");
}

// Returns the offset of the first byte that breaks UTF-8, or npos. A character cut by the end
// of the chunk is remembered and finished by the next chunk.
std::size_t CsvParser::validate_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    if (utf8_need_ > 0) {
      if (p[i] < utf8_low_ || p[i] > utf8_high_) return i;
      utf8_low_ = 0x80;
      utf8_high_ = 0xBF;
      --utf8_need_;
      ++i;
      continue;
    }

    // ASCII runs dominate real files: test eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    while (i < n && p[i] < 0x80) ++i;
    if (i == n) break;

    // Lead bytes and the range of their first continuation byte (RFC 3629, table 3-7 of the
    // Unicode standard): this rejects overlong forms, surrogates and code points past U+10FFFF.
    const unsigned char lead = p[i];
    utf8_lead_ = lead;
    utf8_low_ = 0x80;
    utf8_high_ = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      utf8_need_ = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      utf8_need_ = 2;
      if (lead == 0xE0) utf8_low_ = 0xA0;
      if (lead == 0xED) utf8_high_ = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      utf8_need_ = 3;
      if (lead == 0xF0) utf8_low_ = 0x90;
      if (lead == 0xF4) utf8_high_ = 0x8F;
    } else {
      return i;
    }
    ++i;
  }
  return std::string_view::npos;
}

void CsvParser::begin_field() {
  if (field_count_ < record_.fields.size()) {
    field_ = &record_.fields[field_count_];
    field_->clear();
  } else {
    field_ = &record_.fields.emplace_back();
  }
  ++field_count_;
}

void CsvParser::end_record(const RecordHandler& on_record) {
  record_.fields.resize(field_count_);
  state_ = State::kRecordStart;
  on_record(record_);
}

void CsvParser::tokenize_valid(std::string_view bytes, const RecordHandler& on_record) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    switch (state_) {
      case State::kRecordStart: {
        const char c = *p;
        if (c == '\n') {
          if (!skip_lf_) ++line_;  // an empty line; after a CR, the rest of a CRLF
          skip_lf_ = false;
          ++p;
        } else if (c == '\r') {
          ++line_;
          skip_lf_ = true;
          ++p;
        } else {
          skip_lf_ = false;
          record_.line = line_;
          field_count_ = 0;
          begin_field();
          state_ = State::kFieldStart;
        }
        break;
      }

      case State::kFieldStart:
        if (*p == '"') {
          quote_line_ = line_;
          state_ = State::kQuoted;
          ++p;
        } else {
          state_ = State::kUnquoted;
        }
        break;

      case State::kUnquoted: {
        const char* run = p;
        while (p < end && !special_[static_cast<unsigned char>(*p)]) ++p;
        field_->append(run, static_cast<std::size_t>(p - run));
        if (p == end) break;
        const char c = *p++;
        if (c == delimiter_) {
          begin_field();
          state_ = State::kFieldStart;
        } else if (c == '\n') {
          ++line_;
          end_record(on_record);
        } else if (c == '\r') {
          ++line_;
          skip_lf_ = true;
          end_record(on_record);
        } else {
          field_->push_back(c);  // a stray quote inside an unquoted field
        }
        break;
      }

      case State::kQuoted: {
        const char* run = p;
        while (p < end && *p != '"' && *p != '\n' && *p != '\r') ++p;
        field_->append(run, static_cast<std::size_t>(p - run));
        if (p == end) break;
        const char c = *p++;
        if (c == '"') {
          state_ = State::kQuotedQuote;
        } else {
          // The field's last byte is the previous input byte, even across chunks, so a CRLF
          // inside quotes counts as one line break.
          if (c == '\r' || field_->empty() || field_->back() != '\r') ++line_;
          field_->push_back(c);
        }
        break;
      }

      case State::kQuotedQuote: {
        const char c = *p;
        if (c == '"') {
          field_->push_back('"');
          state_ = State::kQuoted;
          ++p;
        } else if (c == delimiter_) {
          begin_field();
          state_ = State::kFieldStart;
          ++p;
        } else if (c == '\n' || c == '\r') {
          ++line_;
          skip_lf_ = c == '\r';
          ++p;
          end_record(on_record);
        } else {
          state_ = State::kUnquoted;  // text after the closing quote joins the field
        }
        break;
      }
    }
  }
}

bool parse_decimal(std::string_view text, double& value) noexcept {
  // Exact powers of ten: a product or quotient with one of them rounds once.
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr int kMaxDigits = 19;  // 10^19 - 1 fits in 64 bits
  constexpr int kExponentCap = 100000;

  const std::size_t n = text.size();
  std::size_t i = 0;
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';

  std::uint64_t mantissa = 0;
  int kept_digits = 0;  // significant digits in mantissa
  long long exponent = 0;
  bool any_digit = false;
  for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
    any_digit = true;
    if (kept_digits < kMaxDigits) {
      mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
      kept_digits += mantissa != 0;
    } else {
      ++exponent;  // digits past the 19th only scale the value
    }
  }
  if (i < n && text[i] == '.') {
    for (++i; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      any_digit = true;
      if (kept_digits < kMaxDigits) {
        mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
        kept_digits += mantissa != 0;
        --exponent;
      }
    }
  }
  if (!any_digit) return false;

  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) negative_exponent = text[i++] == '-';
    if (i == n || text[i] < '0' || text[i] > '9') return false;
    long long written = 0;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (written < kExponentCap) written = written * 10 + (text[i] - '0');
    }
    exponent += negative_exponent ? -written : written;
  }
  if (i != n) return false;

  double result = static_cast<double>(mantissa);
  if (mantissa != 0) {
    if (exponent > 400) exponent = 400;  // overflows to infinity below
    if (exponent < -400) exponent = -400;
    while (exponent > 22) {
      result *= kPow10[22];
      exponent -= 22;
    }
    while (exponent < -22) {
      result /= kPow10[22];
      exponent += 22;
    }
    result = exponent >= 0 ? result * kPow10[exponent] : result / kPow10[-exponent];
  }
  value = negative ? -result : result;
  return true;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

int find_header_column(const std::vector<std::string>& header, std::string_view wanted,
                       const std::vector<std::string_view>& candidates, bool required,
                       std::string_view role, std::string_view source_name, std::size_t line) {
  const auto position = [&header](std::string_view name) {
    for (std::size_t k = 0; k < header.size(); ++k) {
      if (header[k] == name) return static_cast<int>(k);
    }
    return -1;
  };

  if (!wanted.empty()) {
    const int found = position(wanted);
    if (found >= 0) return found;
    throw InputError(location(source_name, line) + "no " + std::string(role) + " column named " +
                     quote_value(wanted) + " (found " + join_names(header) + ")");
  }
  for (std::string_view candidate : candidates) {
    const int found = position(candidate);
    if (found >= 0) return found;
  }
  if (!required) return -1;

  std::string expected;
  for (std::string_view candidate : candidates) {
    if (!expected.empty()) expected += ", ";
    expected += candidate;
  }
  throw InputError(location(source_name, line) + "no " + std::string(role) +
                   " column (expected one of " + expected + "; found " + join_names(header) + ")");
}

}  // namespace anime2vec
