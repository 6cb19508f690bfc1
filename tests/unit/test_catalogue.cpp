#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "anime2vec/catalogue.hpp"
#include "anime2vec/error.hpp"

using anime2vec::Catalogue;
using anime2vec::CatalogueReader;
using anime2vec::decode_html_entities;
using anime2vec::InputError;
using anime2vec::read_catalogue;

namespace {

using Strings = std::vector<std::string>;

std::string error_text(std::string_view bytes, const char* source = "anime.csv") {
  try {
    read_catalogue(bytes, source);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

const char* const kAnime =
    "anime_id,name,genre,type,episodes,rating,members\r\n"
    "9969,Gintama&#039;,\"Action, Comedy, Historical, Parody, Samurai, Sci-Fi, Shounen\","
    "TV,51,9.16,151266\r\n"
    "2251,Tiger &amp; Bunny,\"Action, Comedy\",TV,Unknown,,\r\n"
    "5,\"Cowboy Bebop: Tengoku no Tobira\",,Movie,1,8.4,abc\r\n"
    "28977,Gintama\xC2\xB0,Action,,51,9.25,114262\r\n";

const char* const kMovies =
    "movieId,title,genres\r\n"
    "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\r\n"
    "11,\"American President, The (1995)\",Comedy|Drama|Romance\r\n"
    "114335,La cravate (1957),(no genres listed)\r\n"
    "32160,Twentieth Century (1934) ,Comedy\r\n";

}  // namespace

TEST_CASE("an anime.csv catalogue decodes titles, splits genres on commas and reads members",
          "[catalogue]") {
  const Catalogue c = read_catalogue(kAnime, "anime.csv");
  REQUIRE(c.entries.size() == 4);

  const auto& gintama = c.entries[0];
  CHECK(gintama.id == "9969");
  CHECK(gintama.title == "Gintama'");
  CHECK(gintama.genres ==
        Strings{"Action", "Comedy", "Historical", "Parody", "Samurai", "Sci-Fi", "Shounen"});
  CHECK(gintama.type == "TV");
  CHECK(gintama.members == 151266);

  CHECK(c.entries[1].title == "Tiger & Bunny");
  CHECK(c.entries[1].members == -1);  // empty
  CHECK(c.entries[2].genres.empty());
  CHECK(c.entries[2].members == -1);  // not a number: descriptive, so no error
  CHECK(c.entries[3].title == "Gintama\xC2\xB0");
  CHECK(c.entries[3].type.empty());
}

TEST_CASE(
    "a MovieLens catalogue splits genres on bars, drops the no-genre marker and trims "
    "titles",
    "[catalogue]") {
  const Catalogue c = read_catalogue(kMovies, "movies.csv");
  REQUIRE(c.entries.size() == 4);
  CHECK(c.entries[0].genres == Strings{"Adventure", "Animation", "Children", "Comedy", "Fantasy"});
  CHECK(c.entries[1].title == "American President, The (1995)");
  CHECK(c.entries[2].genres.empty());
  CHECK(c.entries[3].title == "Twentieth Century (1934)");
  CHECK(c.entries[3].type.empty());
  CHECK(c.entries[3].members == -1);
}

TEST_CASE("find and title_or_id look ids up and fall back to the id", "[catalogue]") {
  const Catalogue c = read_catalogue(kMovies, "movies.csv");
  REQUIRE(c.find("11") != nullptr);
  CHECK(c.find("11")->title == "American President, The (1995)");
  CHECK(c.find("12") == nullptr);
  CHECK(c.title_or_id("1") == "Toy Story (1995)");
  CHECK(c.title_or_id("999999") == "999999");

  const Catalogue untitled = read_catalogue("id,title\n7,  \n");
  CHECK(untitled.title_or_id("7") == "7");
}

TEST_CASE("HTML character references found in titles are decoded", "[catalogue]") {
  CHECK(decode_html_entities("Gintama&#039;") == "Gintama'");
  CHECK(decode_html_entities("&quot;Bungaku Shoujo&quot; Movie") == "\"Bungaku Shoujo\" Movie");
  CHECK(decode_html_entities("Tiger &amp; Bunny") == "Tiger & Bunny");
  CHECK(decode_html_entities("a &gt; b &lt; c") == "a > b < c");
  CHECK(decode_html_entities("it&apos;s&nbsp;here") == "it's\xC2\xA0here");
  CHECK(decode_html_entities("&#x27;&#X41;&#233;&#128512;") == "'A\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(decode_html_entities("&amp;#039;") == "&#039;");  // one pass, as a browser does
  CHECK(decode_html_entities("no entities") == "no entities");
}

TEST_CASE("unknown or malformed references stay as they are", "[catalogue]") {
  for (const char* text : {"AT&T", "&foo;", "&amp", "&#;", "&#x;", "&#0;", "&#xD800;", "&#x110000;",
                           "&#12a;", "&#99999999;", "& amp;", "&&", "a&"}) {
    INFO(text);
    CHECK(decode_html_entities(text) == text);
  }
  CHECK(decode_html_entities("&&amp;") == "&&");
}

TEST_CASE("a duplicate id is an error naming both lines", "[catalogue]") {
  CHECK(error_text("anime_id,name\n20,Naruto\n21,One Piece\n\n20,Naruto again\n") ==
        "anime.csv line 5: duplicate id '20' (first on line 2)");
}

TEST_CASE("a missing id or title column is an error naming the columns found", "[catalogue]") {
  CHECK(error_text("name,genre\nNaruto,Action\n", "movies.csv") ==
        "movies.csv line 1: no id column (expected one of anime_id, movieId, item_id, itemId, "
        "item, id; found name, genre)");
  CHECK(error_text("movieId,genres\n1,Drama\n", "movies.csv") ==
        "movies.csv line 1: no title column (expected one of name, title; found movieId, "
        "genres)");
}

TEST_CASE("malformed catalogue rows and empty files are errors", "[catalogue]") {
  CHECK(error_text("anime_id,name\n20,Naruto,extra\n") ==
        "anime.csv line 2: expected 2 fields, got 3");
  CHECK(error_text("anime_id,name\n ,Naruto\n") ==
        "anime.csv line 2, column anime_id: expected an id, got an empty field");
  CHECK(error_text("") == "anime.csv: the file is empty");
  CHECK(error_text("anime_id,name\r\n") == "anime.csv: no data rows after the header");
}

TEST_CASE("a catalogue reads the same in every chunk size", "[catalogue]") {
  const std::string bytes = kAnime;
  const Catalogue whole = read_catalogue(bytes);
  for (std::size_t chunk = 1; chunk <= bytes.size(); ++chunk) {
    INFO("chunk size " << chunk);
    CatalogueReader reader("anime.csv");
    for (std::size_t i = 0; i < bytes.size(); i += chunk) {
      reader.feed(std::string_view(bytes).substr(i, chunk));
    }
    const Catalogue c = reader.finish();
    REQUIRE(c.entries.size() == whole.entries.size());
    for (std::size_t e = 0; e < c.entries.size(); ++e) {
      CHECK(c.entries[e].id == whole.entries[e].id);
      CHECK(c.entries[e].title == whole.entries[e].title);
      CHECK(c.entries[e].genres == whole.entries[e].genres);
      CHECK(c.entries[e].type == whole.entries[e].type);
      CHECK(c.entries[e].members == whole.entries[e].members);
    }
    CHECK(c.by_id == whole.by_id);
  }
}
