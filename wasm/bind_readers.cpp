// Bindings of the chunked ratings and catalogue readers.

#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "anime2vec/catalogue.hpp"
#include "anime2vec/ratings.hpp"
#include "boundary.hpp"
#include "bindings.hpp"

namespace anime2vec::wasm {
namespace {

RatingsOptions ratings_options(const val& options) {
  RatingsOptions out;
  if (has(options, "columns")) {
    const val columns = field(options, "columns");
    out.columns.user = get_or<std::string>(columns, "user", "");
    out.columns.item = get_or<std::string>(columns, "item", "");
    out.columns.rating = get_or<std::string>(columns, "rating", "");
    out.columns.timestamp = get_or<std::string>(columns, "timestamp", "");
  }
  if (has(options, "minRating")) out.min_rating = field(options, "minRating").as<double>();
  out.skip_bad_rows = get_or<bool>(options, "skipBadRows", false);
  return out;
}

class JsRatingsReader {
 public:
  JsRatingsReader(const std::string& source_name, const val& options)
      : reader_(source_name, ratings_options(options)) {}

  val staging(std::size_t size) { return staging_.view(size); }

  void feed(std::size_t size) {
    guarded([&] { reader_.feed(staging_.first(size)); });
  }

  JsRatings finish() {
    staging_.release();
    return guarded([&] { return JsRatings{std::make_shared<Ratings>(reader_.finish())}; });
  }

  double bytes_fed() const { return static_cast<double>(reader_.bytes_fed()); }

 private:
  RatingsReader reader_;
  StagingBuffer staging_;
};

JsRatingsReader* make_ratings_reader(const std::string& source_name, const val& options) {
  return guarded([&] { return new JsRatingsReader(source_name, options); });
}

val ratings_summary(const JsRatings& self) {
  const Ratings& r = *self.ratings;
  val out = val::object();
  put(out, "rowsRead", static_cast<double>(r.rows_read));
  put(out, "interactions", static_cast<double>(r.size()));
  put(out, "users", static_cast<double>(r.user_ids.size()));
  put(out, "items", static_cast<double>(r.item_ids.size()));
  put(out, "watched", static_cast<double>(r.rows_watched));
  put(out, "belowMinRating", static_cast<double>(r.rows_below_min_rating));
  put(out, "skipped", static_cast<double>(r.rows_skipped));
  val examples = val::array();
  for (const auto& message : r.skipped_examples) examples.call<void>("push", message);
  put(out, "skippedExamples", examples);
  put(out, "hasRating", r.has_rating);
  put(out, "hasTimestamp", r.has_timestamp);
  return out;
}

class JsCatalogueReader {
 public:
  explicit JsCatalogueReader(const std::string& source_name) : reader_(source_name) {}

  val staging(std::size_t size) { return staging_.view(size); }

  void feed(std::size_t size) {
    guarded([&] { reader_.feed(staging_.first(size)); });
  }

  JsCatalogue finish() {
    staging_.release();
    return guarded([&] { return JsCatalogue{std::make_shared<Catalogue>(reader_.finish())}; });
  }

  double bytes_fed() const { return static_cast<double>(reader_.bytes_fed()); }

 private:
  CatalogueReader reader_;
  StagingBuffer staging_;
};

JsCatalogueReader* make_catalogue_reader(const std::string& source_name) {
  return guarded([&] { return new JsCatalogueReader(source_name); });
}

double catalogue_size(const JsCatalogue& self) {
  return static_cast<double>(self.catalogue->entries.size());
}

// For items given as ids joined by kSeparator: titles, types and genres joined the same way
// (one item's genres joined by '\x1e'), members (-1 when unknown) and whether the catalogue
// has the item at all.
val catalogue_describe(const JsCatalogue& self, const std::string& joined_ids) {
  return guarded([&] {
    std::string titles;
    std::string types;
    std::string genres;
    std::vector<double> members;
    std::vector<std::uint8_t> found;
    std::size_t start = 0;
    while (start <= joined_ids.size() && !joined_ids.empty()) {
      std::size_t end = joined_ids.find(kSeparator, start);
      if (end == std::string::npos) end = joined_ids.size();
      const std::string id = joined_ids.substr(start, end - start);
      const CatalogueEntry* entry = self.catalogue->find(id);
      if (!members.empty()) {
        titles += kSeparator;
        types += kSeparator;
        genres += kSeparator;
      }
      titles += entry ? entry->title : id;
      if (entry) {
        types += entry->type;
        for (std::size_t g = 0; g < entry->genres.size(); ++g) {
          if (g) genres += '\x1e';
          genres += entry->genres[g];
        }
      }
      members.push_back(entry ? static_cast<double>(entry->members) : -1.0);
      found.push_back(entry ? 1 : 0);
      start = end + 1;
    }
    val out = val::object();
    put(out, "titles", titles);
    put(out, "types", types);
    put(out, "genres", genres);
    put(out, "members", copy_to_js(members));
    put(out, "found", copy_to_js(found));
    return out;
  });
}

}  // namespace
}  // namespace anime2vec::wasm

EMSCRIPTEN_BINDINGS(anime2vec_readers) {
  using namespace emscripten;
  using namespace anime2vec::wasm;

  class_<JsRatings>("Ratings").function("summary", &ratings_summary);

  class_<JsRatingsReader>("RatingsReader")
      .constructor(&make_ratings_reader, allow_raw_pointers())
      .function("staging", &JsRatingsReader::staging)
      .function("feed", &JsRatingsReader::feed)
      .function("finish", &JsRatingsReader::finish)
      .function("bytesFed", &JsRatingsReader::bytes_fed);

  class_<JsCatalogue>("Catalogue")
      .function("size", &catalogue_size)
      .function("describe", &catalogue_describe);

  class_<JsCatalogueReader>("CatalogueReader")
      .constructor(&make_catalogue_reader, allow_raw_pointers())
      .function("staging", &JsCatalogueReader::staging)
      .function("feed", &JsCatalogueReader::feed)
      .function("finish", &JsCatalogueReader::finish)
      .function("bytesFed", &JsCatalogueReader::bytes_fed);
}
