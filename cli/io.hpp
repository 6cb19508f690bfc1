#pragma once
// File access for the CLI: the core reads byte chunks, the CLI opens the files.

#include <string>

#include "anime2vec/catalogue.hpp"
#include "anime2vec/corpus.hpp"
#include "anime2vec/embeddings.hpp"
#include "anime2vec/ratings.hpp"

namespace anime2vec::cli {

/// Reads a ratings file in 4 MiB chunks. Errors name the path.
Ratings load_ratings(const std::string& path, const RatingsOptions& options);

Catalogue load_catalogue(const std::string& path);

Embeddings load_model(const std::string& path);

/// Writes text to a file, replacing it only once everything is written (through a temporary
/// file and a rename), so a failed run never leaves half a model behind.
void save_text(const std::string& path, const std::string& text);

/// One line per user: the item ids of its sequence, space-separated (for other trainers, as
/// `train --export-sequences` and `evaluate --export-train` write them).
std::string sequences_text(const Corpus& corpus);

}  // namespace anime2vec::cli
