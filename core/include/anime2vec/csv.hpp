#pragma once
// Incremental CSV tokenizer: fed byte chunks of any size (a chunk may end inside a quoted field,
// inside a CRLF pair or inside a multi-byte UTF-8 character), it hands out complete records.

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace anime2vec {

/// One parsed record and the physical line (1-based, the header is line 1) where it starts.
struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;
};

/// RFC 4180 tokenizer with a few real-world allowances: an optional UTF-8 BOM, LF, CRLF or lone
/// CR line ends, and a delimiter (comma, tab or semicolon: the one occurring most outside quotes
/// on the first line, comma on a tie or when none occurs) detected unless given.
/// Invalid UTF-8 and unterminated quotes are InputErrors naming the source and line.
/// Leniencies, as in most readers: empty lines are skipped (a line holding only "" is a record
/// with one empty field); a quote inside an unquoted field is kept as a character; text after
/// a closing quote is appended to the field ("ab"c gives abc).
class CsvParser {
 public:
  using RecordHandler = std::function<void(const CsvRecord&)>;

  /// source_name appears in error messages ("ratings.csv line 3: ...").
  /// delimiter 0 means detect from the first line; '"', CR, LF and non-ASCII bytes are
  /// rejected with std::invalid_argument.
  explicit CsvParser(std::string source_name, char delimiter = 0);

  /// Parses as much of `bytes` as forms complete records and calls on_record for each.
  void feed(std::string_view bytes, const RecordHandler& on_record);

  /// Flushes the last record (a file need not end with a newline). Throws on an open quote.
  void finish(const RecordHandler& on_record);

  /// The delimiter in use (0 until the first line has been seen when detecting).
  char delimiter() const { return delimiter_; }

  const std::string& source_name() const { return source_name_; }

  /// Total bytes fed so far (for progress bars).
  std::size_t bytes_fed() const { return bytes_fed_; }

 private:
  enum class State : unsigned char { kRecordStart, kFieldStart, kUnquoted, kQuoted, kQuotedQuote };

  void take_prefix(bool at_end, const RecordHandler& on_record);
  void tokenize(std::string_view bytes, const RecordHandler& on_record);
  void tokenize_slice(std::string_view bytes, const RecordHandler& on_record);
  void tokenize_valid(std::string_view bytes, const RecordHandler& on_record);
  std::size_t validate_utf8(std::string_view bytes);
  void begin_field();
  void end_record(const RecordHandler& on_record);

  std::string source_name_;
  char delimiter_ = 0;
  std::array<bool, 256> special_{};  // bytes that end a run of unquoted field text
  std::size_t bytes_fed_ = 0;

  // The start of the input is held back until the BOM and (when detecting) the delimiter are
  // known: up to the end of the first line, scanned once across feeds.
  std::string pending_;
  bool prefix_done_ = false;
  bool bom_checked_ = false;
  std::size_t scan_pos_ = 0;
  bool scan_in_quotes_ = false;
  char scan_prev_ = ',';
  std::array<std::size_t, 3> delimiter_counts_{};  // comma, tab, semicolon outside quotes

  // Tokenizer state, carried across chunks.
  State state_ = State::kRecordStart;
  CsvRecord record_;              // reused: its strings keep their capacity
  std::size_t field_count_ = 0;   // fields begun in the current record
  std::string* field_ = nullptr;  // the field being filled
  std::size_t line_ = 1;          // physical line of the next byte
  std::size_t quote_line_ = 0;    // line where the open quoted field started
  bool skip_lf_ = false;          // a CR just ended a line: a following LF belongs to it

  // UTF-8 validation state, carried across chunks.
  unsigned char utf8_need_ = 0;    // continuation bytes still expected
  unsigned char utf8_low_ = 0x80;  // allowed range of the next continuation byte
  unsigned char utf8_high_ = 0xBF;
  unsigned char utf8_lead_ = 0;  // lead byte of the character being checked
};

// Helpers shared by the readers built on CsvParser.

/// The text without surrounding spaces and tabs. Inline: the readers call it for every field.
inline std::string_view trim_spaces(std::string_view text) noexcept {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return text.substr(begin, end - begin);
}

/// Parses a decimal number: optional sign, digits with an optional '.' fraction (at least one
/// digit in all: "5", "4.5", ".5", "5."), optional exponent ("1e3", "2.5E-1"). Nothing else: no
/// spaces, "nan", "inf", hex or thousands separators. Returns false when `text` is not such a
/// number. Locale-free and identical in native and wasm builds (Emscripten's strtof is ~25x
/// slower). Correctly rounded when the significant digits fit in 53 bits and the decimal
/// exponent is within +-22 (every rating-like value); otherwise within a few ulps.
bool parse_decimal(std::string_view text, double& value) noexcept;

/// Column names joined by ", " for messages.
std::string join_names(const std::vector<std::string>& names);

/// Index of the header column holding `role` ("user", "title"...): the column named `wanted`
/// when it is non-empty, else the first of `candidates` present (exact, case-sensitive).
/// Returns -1 when none is present and the role is optional; otherwise throws InputError:
/// "SOURCE line N: no user column (expected one of userId, user; found a, b)" or
/// "SOURCE line N: no user column named 'uid' (found a, b)".
int find_header_column(const std::vector<std::string>& header, std::string_view wanted,
                       const std::vector<std::string_view>& candidates, bool required,
                       std::string_view role, std::string_view source_name, std::size_t line);

}  // namespace anime2vec
