#include "anime2vec/lookup.hpp"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>

#include "anime2vec/error.hpp"

namespace anime2vec {

namespace {

constexpr std::size_t max_listed = 10;

// Looks titles up through by_id directly (what Catalogue::find does).
const CatalogueEntry* entry_of(const Catalogue& catalogue, const std::string& id) {
  const auto found = catalogue.by_id.find(id);
  return found == catalogue.by_id.end() ? nullptr : &catalogue.entries[found->second];
}

std::string trim(const std::string& text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && blank(text[begin])) ++begin;
  while (end > begin && blank(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

// "Cowboy Bebop (id 1), Cowboy Bebop: Tengoku no Tobira (id 5)", at most max_listed entries.
std::string list_items(const std::vector<std::uint32_t>& rows, const Embeddings& embeddings,
                       const Catalogue& catalogue) {
  std::string out;
  for (std::size_t i = 0; i < rows.size() && i < max_listed; ++i) {
    if (i) out += ", ";
    const std::string& id = embeddings.ids[rows[i]];
    const CatalogueEntry* entry = entry_of(catalogue, id);
    out += (entry ? entry->title : id) + " (id " + id + ")";
  }
  if (rows.size() > max_listed) {
    out += ", and " + std::to_string(rows.size() - max_listed) + " more";
  }
  return out;
}

std::string ambiguous(const std::string& query, const std::vector<std::uint32_t>& rows,
                      const Embeddings& embeddings, const Catalogue& catalogue) {
  return quote_value(query) + " matches " + std::to_string(rows.size()) +
         " items: " + list_items(rows, embeddings, catalogue) +
         "; give an id or more of the title";
}

// Words of at least 3 letters or digits, folded.
std::vector<std::string> words_of(const std::string& folded) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i <= folded.size(); ++i) {
    const char c = i < folded.size() ? folded[i] : ' ';
    const bool part = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      static_cast<unsigned char>(c) >= 0x80;
    if (part) {
      word += c;
    } else {
      if (word.size() >= 3) words.push_back(word);
      word.clear();
    }
  }
  return words;
}

// Items whose titles share words with the query: most shared words first, then model order.
std::vector<std::uint32_t> close_items(const std::vector<std::string>& folded_titles,
                                       const std::string& folded_query) {
  const std::vector<std::string> words = words_of(folded_query);
  std::vector<std::pair<std::size_t, std::uint32_t>> scored;  // (shared words, row)
  for (std::size_t row = 0; row < folded_titles.size() && !words.empty(); ++row) {
    std::size_t shared = 0;
    for (const std::string& word : words) {
      if (folded_titles[row].find(word) != std::string::npos) ++shared;
    }
    if (shared) scored.emplace_back(shared, static_cast<std::uint32_t>(row));
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::uint32_t> rows;
  for (std::size_t i = 0; i < scored.size() && i < max_listed; ++i) {
    rows.push_back(scored[i].second);
  }
  return rows;
}

}  // namespace

std::string fold_case(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::uint32_t resolve_item(const std::string& raw_query, const Embeddings& embeddings,
                           const Catalogue* catalogue) {
  const std::string query = trim(raw_query);
  if (query.empty()) throw InputError("empty query: give an item id or a title");

  const long long by_id = embeddings.find(query);
  if (by_id >= 0) return static_cast<std::uint32_t>(by_id);
  if (!catalogue) {
    throw InputError("no item has the id " + quote_value(query) +
                     " (without a catalogue only ids can be looked up)");
  }

  const std::string folded_query = fold_case(query);
  std::vector<std::string> folded_titles(embeddings.size());
  std::unordered_set<std::string> in_model;
  for (std::size_t row = 0; row < embeddings.size(); ++row) {
    const CatalogueEntry* entry = entry_of(*catalogue, embeddings.ids[row]);
    if (entry) folded_titles[row] = fold_case(entry->title);
    in_model.insert(embeddings.ids[row]);
  }

  std::vector<std::uint32_t> equal;
  std::vector<std::uint32_t> containing;
  for (std::size_t row = 0; row < folded_titles.size(); ++row) {
    if (folded_titles[row].empty()) continue;
    if (folded_titles[row] == folded_query) equal.push_back(static_cast<std::uint32_t>(row));
    if (folded_titles[row].find(folded_query) != std::string::npos) {
      containing.push_back(static_cast<std::uint32_t>(row));
    }
  }
  if (equal.size() == 1) return equal.front();
  if (equal.size() > 1) throw InputError(ambiguous(query, equal, embeddings, *catalogue));
  if (containing.size() == 1) return containing.front();
  if (containing.size() > 1) {
    throw InputError(ambiguous(query, containing, embeddings, *catalogue));
  }

  // Nothing in the model. A catalogue entry that matches tells the user why: the item had too
  // few ratings to get a vector (or the catalogue belongs to another data set).
  for (const CatalogueEntry& entry : catalogue->entries) {
    if (in_model.count(entry.id)) continue;
    if (entry.id == query || fold_case(entry.title) == folded_query) {
      throw InputError("no item matches " + quote_value(query) + ": " + entry.title + " (id " +
                       entry.id + ") is in the catalogue but has no vector in the model");
    }
  }

  const std::vector<std::uint32_t> close = close_items(folded_titles, folded_query);
  std::string message = "no item matches " + quote_value(query);
  if (!close.empty()) message += "; close titles: " + list_items(close, embeddings, *catalogue);
  throw InputError(message);
}

}  // namespace anime2vec
