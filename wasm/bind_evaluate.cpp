// Bindings of the evaluation protocol (shared/EVAL.md) behind the page's "measure quality"
// step: the leave-last-out split of the loaded ratings, its training corpus, the two baselines,
// and the metrics of a trainer trained on that corpus (so no held-out item leaks into it).

#include <memory>
#include <stdexcept>
#include <string>

#include "anime2vec/evaluate.hpp"
#include "bindings.hpp"
#include "boundary.hpp"

namespace anime2vec::wasm {
namespace {

val metrics_to_js(const EvalMetrics& m) {
  val out = val::object();
  put(out, "hr10", m.hr10);
  put(out, "ndcg10", m.ndcg10);
  put(out, "mrr", m.mrr);
  put(out, "coverage10", m.coverage10);
  put(out, "users", static_cast<double>(m.users));
  return out;
}

class JsEvalSplit {
 public:
  explicit JsEvalSplit(const JsRatings& ratings)
      : split_(std::make_shared<EvalSplit>(leave_last_out(*ratings.ratings))),
        corpus_(std::make_shared<Corpus>(split_->corpus())) {}

  val summary() const {
    val out = val::object();
    put(out, "users", static_cast<double>(split_->users.size()));
    put(out, "evaluatedUsers", static_cast<double>(split_->evaluated_users()));
    put(out, "items", static_cast<double>(split_->item_ids.size()));
    put(out, "tokens", static_cast<double>(corpus_->token_count()));
    put(out, "ordered", split_->ordered);
    return out;
  }

  // The users' training sequences (held-out items removed), for the Trainer.
  JsCorpus corpus() const { return JsCorpus{corpus_}; }

  val popularity(const std::string& query) const {
    return guarded(
        [&] { return metrics_to_js(evaluate_popularity(*split_, parse_eval_query(query))); });
  }

  // recency: the next-item query's (evaluate.hpp), 0 for the last item alone; the core
  // validates it.
  val item_knn(const std::string& query, double recency) const {
    return guarded([&] {
      return metrics_to_js(evaluate_item_knn(*split_, parse_eval_query(query), recency));
    });
  }

  // io_scoring: rank by the query's input vector · items' output vectors instead of cosine;
  // recency as for item_knn.
  val trained(const JsTrainer& trainer, const std::string& query, bool io_scoring,
              double recency) const {
    return guarded([&] {
      // Only a trainer on this split's corpus has rows in the split's item order and has never
      // seen a held-out item.
      if (&trainer.corpus() != corpus_.get()) {
        throw std::invalid_argument("the trainer was not trained on this split's corpus");
      }
      const Trainer& t = trainer.trainer();
      return metrics_to_js(evaluate_embeddings(*split_, t.input_vectors(), parse_eval_query(query),
                                               io_scoring ? &t.output_vectors() : nullptr,
                                               recency));
    });
  }

 private:
  std::shared_ptr<const EvalSplit> split_;
  std::shared_ptr<const Corpus> corpus_;
};

JsEvalSplit* make_eval_split(const JsRatings& ratings) {
  return guarded([&] { return new JsEvalSplit(ratings); });
}

// So the page can reject a bad recency before training, with the core's message.
void validate_recency(double recency) {
  guarded([&] { check_recency(recency); });
}

}  // namespace
}  // namespace anime2vec::wasm

EMSCRIPTEN_BINDINGS(anime2vec_evaluate) {
  using namespace emscripten;
  using namespace anime2vec::wasm;

  class_<JsEvalSplit>("EvalSplit")
      .constructor(&make_eval_split, allow_raw_pointers())
      .function("summary", &JsEvalSplit::summary)
      .function("corpus", &JsEvalSplit::corpus)
      .function("popularity", &JsEvalSplit::popularity)
      .function("itemKnn", &JsEvalSplit::item_knn)
      .function("trained", &JsEvalSplit::trained);

  function("checkRecency", &validate_recency);
}
