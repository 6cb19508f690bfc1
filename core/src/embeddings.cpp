#include "anime2vec/embeddings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <stdexcept>
#include <unordered_map>

#include "anime2vec/error.hpp"

namespace anime2vec {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

bool holds_white_space(const std::string& id) {
  for (char c : id) {
    if (is_blank(c) || c == '\n') return true;
  }
  return false;
}

void check_writable(const Embeddings& embeddings) {
  if (static_cast<std::size_t>(embeddings.vectors.rows()) != embeddings.ids.size()) {
    throw std::invalid_argument("embeddings hold " + std::to_string(embeddings.ids.size()) +
                                " ids but " + std::to_string(embeddings.vectors.rows()) +
                                " vectors");
  }
  for (const std::string& id : embeddings.ids) {
    if (id.empty()) {
      throw InputError("an item id is empty: the word2vec text format cannot represent it");
    }
    if (holds_white_space(id)) {
      throw InputError("item id " + quote_value(id) +
                       " holds white space: the word2vec text format cannot represent it");
    }
  }
}

// Appends one value with 9 significant digits: enough for any float to read back unchanged.
void append_value(std::string& out, float value) {
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(value));
  out.append(buffer, static_cast<std::size_t>(n));
}

void append_row(std::string& out, const Embeddings& embeddings, std::size_t row) {
  out += embeddings.ids[row];
  const float* values = embeddings.vectors.row(static_cast<Eigen::Index>(row)).data();
  for (std::size_t j = 0; j < embeddings.dimension(); ++j) {
    out += ' ';
    append_value(out, values[j]);
  }
  out += '\n';
}

std::string header_line(const Embeddings& embeddings) {
  return std::to_string(embeddings.size()) + " " + std::to_string(embeddings.dimension()) + "\n";
}

// Clinger's fast path: a decimal with at most 15 significant digits and a power of ten up to
// 1e22 is one correctly rounded double operation away. Rounding that double to float is then
// correct too unless it landed exactly on a midpoint between two floats, which is checked.
// std::strtof handles everything else; it is exact but ~25x slower in Emscripten's libc.
bool parse_fast(const char* begin, const char* end, float& out) {
  const char* p = begin;
  const bool negative = p != end && *p == '-';
  if (p != end && (*p == '-' || *p == '+')) ++p;

  std::uint64_t mantissa = 0;
  int digits = 0;
  int exponent = 0;
  bool any_digit = false;
  for (; p != end && *p >= '0' && *p <= '9'; ++p) {
    any_digit = true;
    if (mantissa == 0 && *p == '0') continue;
    if (++digits > 15) return false;
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
  }
  if (p != end && *p == '.') {
    for (++p; p != end && *p >= '0' && *p <= '9'; ++p) {
      any_digit = true;
      --exponent;
      if (mantissa == 0 && *p == '0') continue;
      if (++digits > 15) return false;
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
    }
  }
  if (!any_digit) return false;
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    const bool exponent_negative = p != end && *p == '-';
    if (p != end && (*p == '-' || *p == '+')) ++p;
    if (p == end) return false;
    int written = 0;
    for (; p != end && *p >= '0' && *p <= '9'; ++p) {
      if (written > 1000) return false;
      written = written * 10 + (*p - '0');
    }
    exponent += exponent_negative ? -written : written;
  }
  if (p != end) return false;

  double value = static_cast<double>(mantissa);
  if (mantissa != 0) {
    if (exponent < -22 || exponent > 22) return false;
    static const double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    value = exponent < 0 ? value / powers[-exponent] : value * powers[exponent];
  }
  const float rounded = static_cast<float>(value);
  if (static_cast<double>(rounded) != value) {
    const float other = std::nextafter(rounded, static_cast<double>(value) > rounded
                                                    ? HUGE_VALF
                                                    : -HUGE_VALF);
    if ((static_cast<double>(rounded) + static_cast<double>(other)) / 2 == value) return false;
  }
  out = negative ? -rounded : rounded;
  return true;
}

bool parse_float(const char* begin, const char* end, float& out) {
  if (parse_fast(begin, end, out)) return true;
  const std::string text(begin, end);
  char* stop = nullptr;
  out = std::strtof(text.c_str(), &stop);
  return !text.empty() && stop == text.c_str() + text.size();
}

bool parse_count(const std::string& text, std::size_t& out) {
  if (text.empty() || text.size() > 12) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

// Splits a line into fields separated by spaces or tabs.
std::vector<std::pair<const char*, const char*>> split_fields(const char* begin, const char* end) {
  std::vector<std::pair<const char*, const char*>> fields;
  const char* p = begin;
  while (p != end) {
    while (p != end && is_blank(*p)) ++p;
    if (p == end) break;
    const char* start = p;
    while (p != end && !is_blank(*p)) ++p;
    fields.emplace_back(start, p);
  }
  return fields;
}

std::string prefix(std::string_view source, std::size_t line) { return location(source, line); }

}  // namespace

long long Embeddings::find(const std::string& id) const {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == id) return static_cast<long long>(i);
  }
  return -1;
}

void write_word2vec_text(std::ostream& out, const Embeddings& embeddings) {
  check_writable(embeddings);
  out << header_line(embeddings);
  std::string line;
  for (std::size_t i = 0; i < embeddings.size(); ++i) {
    line.clear();
    append_row(line, embeddings, i);
    out << line;
  }
}

std::string word2vec_text(const Embeddings& embeddings) {
  check_writable(embeddings);
  std::string out = header_line(embeddings);
  out.reserve(out.size() + embeddings.size() * (16 + embeddings.dimension() * 16));
  for (std::size_t i = 0; i < embeddings.size(); ++i) append_row(out, embeddings, i);
  return out;
}

Embeddings read_word2vec_text(std::string_view text, std::string_view source_name) {
  std::size_t count = 0;
  std::size_t dimension = 0;
  bool header_seen = false;

  Embeddings result;
  std::vector<float> values;
  std::unordered_map<std::string, std::size_t> first_line;  // id -> line it was read on

  std::size_t line = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    ++line;
    std::size_t stop = text.find('\n', position);
    if (stop == std::string_view::npos) stop = text.size();
    const char* begin = text.data() + position;
    const char* end = text.data() + stop;
    position = stop + 1;

    const auto fields = split_fields(begin, end);
    if (fields.empty()) continue;  // blank lines (a trailing one, a CRLF file's last line)

    if (!header_seen) {
      const std::string first(fields[0].first, fields[0].second);
      const std::string second =
          fields.size() > 1 ? std::string(fields[1].first, fields[1].second) : std::string();
      if (fields.size() != 2 || !parse_count(first, count) || !parse_count(second, dimension) ||
          dimension == 0) {
        throw InputError(prefix(source_name, line) +
                         "expected a header 'count dimension' (two whole numbers, dimension "
                         "above 0), got " +
                         quote_value(std::string_view(begin, static_cast<std::size_t>(
                                                                 end - begin))));
      }
      header_seen = true;
      // Every value takes at least two bytes ("0 "), so a header cannot make us reserve more
      // than the text could hold.
      values.reserve(std::min(count * dimension, text.size() / 2));
      continue;
    }

    std::string id(fields[0].first, fields[0].second);
    if (result.ids.size() == count) {
      throw InputError(prefix(source_name, line) + "item " + quote_value(id) +
                       " is one more than the " + std::to_string(count) +
                       " items the header announces");
    }
    if (fields.size() - 1 != dimension) {
      throw InputError(prefix(source_name, line) + "item " + quote_value(id) + " has " +
                       std::to_string(fields.size() - 1) + " values, expected " +
                       std::to_string(dimension) + " (the header's dimension)");
    }
    const auto inserted = first_line.emplace(id, line);
    if (!inserted.second) {
      throw InputError(prefix(source_name, line) + "item " + quote_value(id) +
                       " appears twice (first on line " +
                       std::to_string(inserted.first->second) + ")");
    }
    for (std::size_t j = 1; j < fields.size(); ++j) {
      float value = 0;
      if (!parse_float(fields[j].first, fields[j].second, value)) {
        throw InputError(
            prefix(source_name, line) + "value " + std::to_string(j) + " of item " +
            quote_value(id) + ": expected a number, got " +
            quote_value(std::string_view(fields[j].first,
                                         static_cast<std::size_t>(fields[j].second -
                                                                  fields[j].first))));
      }
      values.push_back(value);
    }
    result.ids.push_back(std::move(id));
  }

  if (!header_seen) {
    throw InputError(std::string(source_name) +
                     ": the file is empty, expected a header 'count dimension'");
  }
  if (result.ids.size() != count) {
    throw InputError(std::string(source_name) + ": the header announces " +
                     std::to_string(count) + " items but the file holds " +
                     std::to_string(result.ids.size()));
  }
  result.vectors = Eigen::Map<const Matrix>(values.data(), static_cast<Eigen::Index>(count),
                                            static_cast<Eigen::Index>(dimension));
  return result;
}

}  // namespace anime2vec
