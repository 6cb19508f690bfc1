#pragma once
// The JS-facing handles shared between binding files. Each holds its core object through a
// shared_ptr, so JS can delete() handles in any order: a trainer keeps its corpus alive, an
// index its vectors.

#include <emscripten/val.h>

#include <memory>

#include "anime2vec/catalogue.hpp"
#include "anime2vec/corpus.hpp"
#include "anime2vec/embeddings.hpp"
#include "anime2vec/ratings.hpp"
#include "anime2vec/skipgram.hpp"

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

/// The resumable trainer (methods in bind_train.cpp). Owns its corpus handle: the core Trainer
/// keeps a reference to the corpus.
class JsTrainer {
 public:
  JsTrainer(const JsCorpus& corpus, const emscripten::val& options);

  emscripten::val step(double token_budget);
  emscripten::val progress() const;
  void cancel();
  bool finished() const;

  /// The options the trainer uses: an automatic window mode shows the mode it resolved to.
  emscripten::val options() const;

  JsEmbeddings embeddings() const;

  /// The output (context) vectors with the same ids, for input·output scoring.
  JsEmbeddings output_embeddings() const;

  /// For the evaluation binding: the core trainer and the corpus it trains on.
  const Trainer& trainer() const { return trainer_; }
  const Corpus& corpus() const { return *corpus_; }

 private:
  std::shared_ptr<const Corpus> corpus_;
  Trainer trainer_;
};

}  // namespace anime2vec::wasm
