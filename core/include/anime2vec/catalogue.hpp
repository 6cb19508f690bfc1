#pragma once
// Item catalogues: the Kaggle anime.csv (anime_id,name,genre,type,episodes,rating,members) and
// MovieLens movies.csv (movieId,title,genres with '|'). Titles get their HTML entities decoded.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "anime2vec/csv.hpp"

namespace anime2vec {

struct CatalogueEntry {
  std::string id;
  std::string title;                ///< HTML entities decoded, surrounding spaces trimmed
  std::vector<std::string> genres;  ///< split on ',' or '|', trimmed; "(no genres listed)" dropped
  std::string type;                 ///< TV, Movie, OVA, ... ; empty when the file has none
  long long members = -1;           ///< community size when the file has it, else -1
};

struct Catalogue {
  std::vector<CatalogueEntry> entries;  ///< in file order
  std::unordered_map<std::string, std::size_t> by_id;

  /// The entry for an item id, or nullptr.
  const CatalogueEntry* find(const std::string& id) const;

  /// The title for an id, or the id itself when the catalogue does not know it (or the title
  /// is empty).
  std::string title_or_id(const std::string& id) const;
};

/// Reads a catalogue from byte chunks. Columns by header name: id from anime_id, movieId,
/// item_id, itemId, item, id; title from name, title; genres from genre, genres; type from type;
/// members from members. A duplicate id is an InputError naming both lines; so are a missing
/// id or title column, an empty id, a row with the wrong field count, an empty file and a
/// header without rows. members that is not a plain integer reads as -1 (catalogues are
/// descriptive). Ids lose surrounding spaces.
class CatalogueReader {
 public:
  explicit CatalogueReader(std::string source_name);
  void feed(std::string_view bytes);
  Catalogue finish();
  std::size_t bytes_fed() const { return parser_.bytes_fed(); }

 private:
  void on_record(const CsvRecord& record);

  std::string source_name_;
  CsvParser parser_;
  Catalogue out_;
  std::vector<int> column_index_;    // id, title, genres, type, members or -1
  std::vector<std::size_t> lines_;   // line of each entry, for duplicate-id messages
  std::vector<std::string> header_;  // trimmed column names
  bool header_seen_ = false;
};

Catalogue read_catalogue(std::string_view bytes, std::string source_name = "catalogue");

/// Decodes the HTML character references found in anime.csv titles: &#039; &#NNN; &#xHH;
/// &amp; &quot; &lt; &gt; &apos; &nbsp;. Unknown or malformed references stay as they are.
std::string decode_html_entities(std::string_view text);

}  // namespace anime2vec
