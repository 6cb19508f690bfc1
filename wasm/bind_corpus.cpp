// Bindings of corpus building: ratings to per-user item sequences and their vocabulary.

#include <memory>
#include <string>
#include <vector>

#include "anime2vec/corpus.hpp"
#include "bindings.hpp"
#include "boundary.hpp"

namespace anime2vec::wasm {
namespace {

CorpusOptions corpus_options(const val& options) {
  CorpusOptions out;
  out.min_user_interactions = static_cast<std::size_t>(
      get_or<double>(options, "minUserInteractions", static_cast<double>(
                                                         out.min_user_interactions)));
  out.min_item_count = static_cast<std::size_t>(
      get_or<double>(options, "minItemCount", static_cast<double>(out.min_item_count)));
  return out;
}

JsCorpus build_corpus_js(const JsRatings& ratings, const val& options) {
  return guarded([&] {
    return JsCorpus{std::make_shared<Corpus>(build_corpus(*ratings.ratings,
                                                          corpus_options(options)))};
  });
}

val corpus_summary(const JsCorpus& self) {
  const Corpus& c = *self.corpus;
  val out = val::object();
  put(out, "users", static_cast<double>(c.sequence_count()));
  put(out, "items", static_cast<double>(c.vocab.size()));
  put(out, "tokens", static_cast<double>(c.token_count()));
  put(out, "usersDropped", static_cast<double>(c.users_dropped));
  put(out, "itemsDropped", static_cast<double>(c.items_dropped));
  put(out, "duplicatesDropped", static_cast<double>(c.duplicates_dropped));
  put(out, "ordered", c.ordered);
  return out;
}

std::string corpus_ids(const JsCorpus& self) { return join(self.corpus->vocab.ids); }

// Counts as doubles: JS numbers hold integers exactly up to 2^53.
val corpus_counts(const JsCorpus& self) {
  const auto& counts = self.corpus->vocab.counts;
  return copy_to_js(std::vector<double>(counts.begin(), counts.end()));
}

}  // namespace
}  // namespace anime2vec::wasm

EMSCRIPTEN_BINDINGS(anime2vec_corpus) {
  using namespace emscripten;
  using namespace anime2vec::wasm;

  class_<JsCorpus>("Corpus")
      .function("summary", &corpus_summary)
      .function("ids", &corpus_ids)
      .function("counts", &corpus_counts);

  function("buildCorpus", &build_corpus_js);
}
