#pragma once
// Incremental CSV tokenizer: fed byte chunks of any size (a chunk may end inside a quoted field,
// inside a CRLF pair or inside a multi-byte UTF-8 character), it hands out complete records.

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

/// RFC 4180 tokenizer with a few real-world allowances: an optional UTF-8 BOM, LF or CRLF line
/// ends, and a delimiter (comma, tab or semicolon) detected from the first line unless given.
/// Invalid UTF-8 and unterminated quotes are InputErrors naming the source and line.
class CsvParser {
 public:
  using RecordHandler = std::function<void(const CsvRecord&)>;

  /// source_name appears in error messages ("ratings.csv line 3: ...").
  /// delimiter 0 means detect from the first line.
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
  void parse(std::string_view bytes, bool at_end, const RecordHandler& on_record);

  std::string source_name_;
  char delimiter_ = 0;
  std::string pending_;  // bytes not yet consumed: an unfinished record
  std::size_t bytes_fed_ = 0;
  std::size_t line_ = 1;  // physical line where pending_ starts
  bool bom_checked_ = false;
};

}  // namespace anime2vec
