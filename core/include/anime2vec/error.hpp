#pragma once
// Errors thrown by the core when input is malformed. The core never prints or exits: the CLI
// prints what() and the wasm boundary turns it into a JS Error.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace anime2vec {

/// Malformed or unusable input (a file, a query, a model). what() names the source, the place
/// and the offending value, e.g. "ratings.csv line 1042, column rating: expected a number,
/// got 'abc'".
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// "SOURCE line N, column NAME: " — the prefix every located input error starts with. Without a
/// column: "SOURCE line N: "; line 0 means the whole file: "SOURCE: ".
std::string location(std::string_view source, std::size_t line, std::string_view column = {});

/// Quotes a value for an error message ('abc'), shortening it past 60 bytes (at a character
/// boundary, marked with "…") and showing control bytes as escapes (\n, \t, \x01), so one bad
/// field cannot flood a terminal or a page.
std::string quote_value(std::string_view value);

}  // namespace anime2vec
