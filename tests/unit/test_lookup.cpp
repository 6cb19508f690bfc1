#include "anime2vec/lookup.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "anime2vec/error.hpp"

using namespace anime2vec;

namespace {

Catalogue make_catalogue(const std::vector<std::pair<std::string, std::string>>& rows) {
  Catalogue catalogue;
  for (const auto& [id, title] : rows) {
    CatalogueEntry entry;
    entry.id = id;
    entry.title = title;
    catalogue.by_id[id] = catalogue.entries.size();
    catalogue.entries.push_back(entry);
  }
  return catalogue;
}

Embeddings make_model(const std::vector<std::string>& ids) {
  Embeddings e;
  e.ids = ids;
  e.vectors = Matrix::Zero(static_cast<Eigen::Index>(ids.size()), 2);
  return e;
}

std::string lookup_error(const std::string& query, const Embeddings& model,
                         const Catalogue* catalogue) {
  try {
    resolve_item(query, model, catalogue);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

// A catalogue in the shape of anime.csv, and a model holding most of its items (row order is
// not id order, like a vocabulary sorted by popularity).
const Catalogue catalogue = make_catalogue({
    {"1", "Cowboy Bebop"},
    {"5", "Cowboy Bebop: Tengoku no Tobira"},
    {"17", "Cowboy Bebop: Yose Atsume Blues"},
    {"164", "Mononoke Hime"},
    {"199", "Sen to Chihiro no Kamikakushi"},
    {"22399", "Saru Kani Gassen"},
    {"30059", "Saru Kani Gassen"},
    {"431", "Howl no Ugoku Shiro"},
    {"4000", "Tiger & Bunny"},
    {"9999", "Not Trained At All"},
});
const Embeddings model =
    make_model({"164", "1", "199", "5", "17", "22399", "30059", "431", "4000"});

}  // namespace

TEST_CASE("an exact id wins over titles", "[lookup]") {
  CHECK(resolve_item("164", model, &catalogue) == 0);
  CHECK(resolve_item("17", model, &catalogue) == 4);
  CHECK(resolve_item("  199 ", model, &catalogue) == 2);
  CHECK(resolve_item("431", model, nullptr) == 7);
}

TEST_CASE("a title matches ignoring ASCII case", "[lookup]") {
  CHECK(resolve_item("Mononoke Hime", model, &catalogue) == 0);
  CHECK(resolve_item("mononoke HIME", model, &catalogue) == 0);
  // The exact title beats the longer titles that contain it.
  CHECK(resolve_item("cowboy bebop", model, &catalogue) == 1);
}

TEST_CASE("a unique substring of a title matches", "[lookup]") {
  CHECK(resolve_item("chihiro", model, &catalogue) == 2);
  CHECK(resolve_item("TENGOKU", model, &catalogue) == 3);
  CHECK(resolve_item("& bun", model, &catalogue) == 8);
}

TEST_CASE("an ambiguous substring lists the candidates with their ids", "[lookup]") {
  CHECK(lookup_error("bebop", model, &catalogue) ==
        "'bebop' matches 3 items: Cowboy Bebop (id 1), Cowboy Bebop: Tengoku no Tobira (id 5), "
        "Cowboy Bebop: Yose Atsume Blues (id 17); give an id or more of the title");
}

TEST_CASE("a title shared by two items is ambiguous", "[lookup]") {
  CHECK(lookup_error("saru kani gassen", model, &catalogue) ==
        "'saru kani gassen' matches 2 items: Saru Kani Gassen (id 22399), Saru Kani Gassen "
        "(id 30059); give an id or more of the title");
}

TEST_CASE("an ambiguous query lists at most 10 candidates and counts the rest", "[lookup]") {
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<std::string> ids;
  for (int i = 1; i <= 13; ++i) {
    rows.emplace_back(std::to_string(100 + i), "Gintama " + std::to_string(i));
    ids.push_back(std::to_string(100 + i));
  }
  const Catalogue many = make_catalogue(rows);
  const std::string expected =
      "'gintama' matches 13 items: Gintama 1 (id 101), Gintama 2 (id 102), Gintama 3 (id 103), "
      "Gintama 4 (id 104), Gintama 5 (id 105), Gintama 6 (id 106), Gintama 7 (id 107), "
      "Gintama 8 (id 108), Gintama 9 (id 109), Gintama 10 (id 110), and 3 more; give an id or "
      "more of the title";
  CHECK(lookup_error("gintama", make_model(ids), &many) == expected);
}

TEST_CASE("an unknown query says so and offers titles sharing a word", "[lookup]") {
  CHECK(lookup_error("xyz", model, &catalogue) == "no item matches 'xyz'");
  CHECK(lookup_error("Howl's Moving Castle", model, &catalogue) ==
        "no item matches 'Howl's Moving Castle'; close titles: Howl no Ugoku Shiro (id 431)");
  CHECK(lookup_error("bebop tobira movie", model, &catalogue) ==
        "no item matches 'bebop tobira movie'; close titles: Cowboy Bebop: Tengoku no Tobira "
        "(id 5), Cowboy Bebop (id 1), Cowboy Bebop: Yose Atsume Blues (id 17)");
}

TEST_CASE("a catalogue item without a vector is named as such", "[lookup]") {
  CHECK(lookup_error("not trained at all", model, &catalogue) ==
        "no item matches 'not trained at all': Not Trained At All (id 9999) is in the catalogue "
        "but has no vector in the model");
  CHECK(lookup_error("9999", model, &catalogue) ==
        "no item matches '9999': Not Trained At All (id 9999) is in the catalogue but has no "
        "vector in the model");
}

TEST_CASE("without a catalogue only ids resolve", "[lookup]") {
  CHECK(lookup_error("Mononoke Hime", model, nullptr) ==
        "no item has the id 'Mononoke Hime' (without a catalogue only ids can be looked up)");
  CHECK(lookup_error("   ", model, &catalogue) == "empty query: give an item id or a title");
}

TEST_CASE("case folding touches ASCII letters only", "[lookup]") {
  CHECK(fold_case("Gintama\xC2\xB0 ABC xyz 09") == "gintama\xC2\xB0 abc xyz 09");
  CHECK(fold_case("\xC3\x89t\xC3\xA9") == "\xC3\x89t\xC3\xA9");
}
