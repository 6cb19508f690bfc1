#pragma once
// Resolving what a user types ("Mononoke Hime", "164", "bebop") to an item of a model.

#include <cstdint>
#include <string>
#include <vector>

#include "anime2vec/catalogue.hpp"
#include "anime2vec/embeddings.hpp"

namespace anime2vec {

/// Finds the row of `query` in `embeddings`: an exact id first; then, with a catalogue, a title
/// equal ignoring case (among items of the model), then a unique case-insensitive substring of a
/// title. An unknown or ambiguous query is an InputError that lists up to 10 candidates with
/// their ids.
std::uint32_t resolve_item(const std::string& query, const Embeddings& embeddings,
                           const Catalogue* catalogue);

/// ASCII case folding used by title matching (non-ASCII bytes are kept as they are).
std::string fold_case(const std::string& text);

}  // namespace anime2vec
