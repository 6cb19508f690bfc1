#include "anime2vec/catalogue.hpp"

#include <cstdint>
#include <utility>

#include "anime2vec/error.hpp"

namespace anime2vec {

namespace {

enum Column : std::size_t { kId, kTitle, kGenres, kType, kMembers, kColumnCount };

struct ColumnSpec {
  const char* name;
  std::vector<std::string_view> candidates;
  bool required;
};

const ColumnSpec& column_spec(std::size_t column) {
  static const ColumnSpec specs[kColumnCount] = {
      {"id", {"anime_id", "movieId", "item_id", "itemId", "item", "id"}, true},
      {"title", {"name", "title"}, true},
      {"genres", {"genre", "genres"}, false},
      {"type", {"type"}, false},
      {"members", {"members"}, false},
  };
  return specs[column];
}

// anime.csv separates genres with ", ", MovieLens with '|'; neither uses the other character
// inside a genre name.
std::vector<std::string> split_genres(std::string_view text) {
  std::vector<std::string> genres;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ',' && text[i] != '|') continue;
    const std::string_view genre = trim_spaces(text.substr(start, i - start));
    if (!genre.empty() && genre != "(no genres listed)") genres.emplace_back(genre);
    start = i + 1;
  }
  return genres;
}

// A non-negative integer, or -1: members is descriptive, so a bad value is not an error.
long long parse_members(std::string_view text) {
  if (text.empty() || text.size() > 18) return -1;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// The code point of "#039" or "#x27" (the text between '&' and ';'), or -1 when malformed,
// zero, a surrogate or past U+10FFFF.
long numeric_reference(std::string_view body) {
  const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 7) return -1;
  long value = 0;
  for (char c : digits) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return -1;
    value = value * (hex ? 16 : 10) + digit;
  }
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return -1;
  return value;
}

}  // namespace

const CatalogueEntry* Catalogue::find(const std::string& id) const {
  const auto found = by_id.find(id);
  return found == by_id.end() ? nullptr : &entries[found->second];
}

std::string Catalogue::title_or_id(const std::string& id) const {
  const CatalogueEntry* entry = find(id);
  return entry == nullptr || entry->title.empty() ? id : entry->title;
}

std::string decode_html_entities(std::string_view text) {
  constexpr std::size_t kLongestReference = 10;  // "&#x10FFFF;" and every named one fit
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t amp = text.find('&', i);
    if (amp == std::string_view::npos) break;
    out.append(text.substr(i, amp - i));
    i = amp + 1;

    const std::size_t semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos || semicolon - amp > kLongestReference) {
      out.push_back('&');
      continue;
    }
    const std::string_view body = text.substr(i, semicolon - i);
    bool decoded = true;
    if (!body.empty() && body[0] == '#') {
      const long code_point = numeric_reference(body);
      if (code_point > 0) {
        append_utf8(out, static_cast<std::uint32_t>(code_point));
      } else {
        decoded = false;
      }
    } else if (body == "amp") {
      out.push_back('&');
    } else if (body == "quot") {
      out.push_back('"');
    } else if (body == "apos") {
      out.push_back('\'');
    } else if (body == "lt") {
      out.push_back('<');
    } else if (body == "gt") {
      out.push_back('>');
    } else if (body == "nbsp") {
      out += "\xC2\xA0";  // U+00A0 NO-BREAK SPACE
    } else {
      decoded = false;
    }
    if (decoded) {
      i = semicolon + 1;
    } else {
      out.push_back('&');
    }
  }
  out.append(text.substr(i < text.size() ? i : text.size()));
  return out;
}

CatalogueReader::CatalogueReader(std::string source_name)
    : source_name_(std::move(source_name)),
      parser_(source_name_),
      column_index_(kColumnCount, -1) {}

void CatalogueReader::feed(std::string_view bytes) {
  parser_.feed(bytes, [this](const CsvRecord& record) { on_record(record); });
}

Catalogue CatalogueReader::finish() {
  parser_.finish([this](const CsvRecord& record) { on_record(record); });
  if (!header_seen_) throw InputError(location(source_name_, 0) + "the file is empty");
  if (out_.entries.empty()) {
    throw InputError(location(source_name_, 0) + "no data rows after the header");
  }
  return std::move(out_);
}

void CatalogueReader::on_record(const CsvRecord& record) {
  const auto& fields = record.fields;
  if (!header_seen_) {
    header_seen_ = true;
    for (const std::string& name : fields) header_.emplace_back(trim_spaces(name));
    for (std::size_t column = 0; column < kColumnCount; ++column) {
      const ColumnSpec& spec = column_spec(column);
      column_index_[column] = find_header_column(header_, {}, spec.candidates, spec.required,
                                                 spec.name, source_name_, record.line);
    }
    return;
  }

  if (fields.size() != header_.size()) {
    throw InputError(location(source_name_, record.line) + "expected " +
                     std::to_string(header_.size()) + " fields, got " +
                     std::to_string(fields.size()));
  }
  const auto field = [&](std::size_t column) -> std::string_view {
    const int index = column_index_[column];
    return index < 0 ? std::string_view() : trim_spaces(fields[static_cast<std::size_t>(index)]);
  };

  CatalogueEntry entry;
  entry.id = std::string(field(kId));
  if (entry.id.empty()) {
    throw InputError(
        location(source_name_, record.line, header_[static_cast<std::size_t>(column_index_[kId])]) +
        "expected an id, got an empty field");
  }
  const auto [slot, inserted] = out_.by_id.emplace(entry.id, out_.entries.size());
  if (!inserted) {
    throw InputError(location(source_name_, record.line) + "duplicate id " + quote_value(entry.id) +
                     " (first on line " + std::to_string(lines_[slot->second]) + ")");
  }

  // MovieLens titles carry trailing spaces, anime.csv titles entities: trim after decoding so
  // a decoded &nbsp; stays (it is not an ASCII space).
  entry.title = std::string(trim_spaces(decode_html_entities(field(kTitle))));
  entry.genres = split_genres(field(kGenres));
  entry.type = std::string(field(kType));
  entry.members = parse_members(field(kMembers));
  out_.entries.push_back(std::move(entry));
  lines_.push_back(record.line);
}

Catalogue read_catalogue(std::string_view bytes, std::string source_name) {
  CatalogueReader reader(std::move(source_name));
  reader.feed(bytes);
  return reader.finish();
}

}  // namespace anime2vec
