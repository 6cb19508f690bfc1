#pragma once
// The JS-facing handles shared between binding files. Each holds its core object through a
// shared_ptr, so JS can delete() handles in any order: a trainer keeps its corpus alive, an
// index its vectors.

#include <memory>

#include "anime2vec/catalogue.hpp"
#include "anime2vec/corpus.hpp"
#include "anime2vec/embeddings.hpp"
#include "anime2vec/ratings.hpp"

namespace anime2vec::wasm {

struct JsRatings {
  std::shared_ptr<const Ratings> ratings;
};

struct JsCatalogue {
  std::shared_ptr<const Catalogue> catalogue;
};

struct JsCorpus {
  std::shared_ptr<const Corpus> corpus;
};

struct JsEmbeddings {
  std::shared_ptr<const Embeddings> embeddings;
};

}  // namespace anime2vec::wasm
