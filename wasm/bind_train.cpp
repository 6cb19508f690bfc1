// Bindings of the resumable skip-gram trainer: the worker calls step(budget) in a loop, posts
// progress between steps and can cancel between them.

#include <memory>
#include <string>

#include "anime2vec/skipgram.hpp"
#include "bindings.hpp"
#include "boundary.hpp"

namespace anime2vec::wasm {
namespace {

TrainOptions train_options(const val& options) {
  TrainOptions out;
  out.dimension = get_or<int>(options, "dimension", out.dimension);
  out.window = get_or<int>(options, "window", out.window);
  if (has(options, "windowMode")) {
    out.window_mode = parse_window_mode(options["windowMode"].as<std::string>());
  }
  out.negatives = get_or<int>(options, "negatives", out.negatives);
  out.ns_exponent = get_or<double>(options, "nsExponent", out.ns_exponent);
  out.subsample = get_or<double>(options, "subsample", out.subsample);
  out.epochs = get_or<int>(options, "epochs", out.epochs);
  out.learning_rate = get_or<float>(options, "learningRate", out.learning_rate);
  out.min_learning_rate = get_or<float>(options, "minLearningRate", out.min_learning_rate);
  out.threads = get_or<int>(options, "threads", out.threads);
  // JS numbers hold integers exactly up to 2^53, which bounds the seeds the page can give.
  out.seed = static_cast<std::uint64_t>(
      get_or<double>(options, "seed", static_cast<double>(out.seed)));
  return out;
}

val progress_to_js(const TrainProgress& p) {
  val out = val::object();
  out.set("epoch", p.epoch);
  out.set("epochs", p.epochs);
  out.set("tokensDone", static_cast<double>(p.tokens_done));
  out.set("tokensTotal", static_cast<double>(p.tokens_total));
  out.set("learningRate", p.learning_rate);
  out.set("loss", p.loss);
  out.set("pairs", static_cast<double>(p.pairs));
  out.set("finished", p.finished);
  out.set("cancelled", p.cancelled);
  out.set("fraction", p.fraction());
  return out;
}

// Owns its corpus handle: the core Trainer keeps a reference to the corpus.
class JsTrainer {
 public:
  JsTrainer(const JsCorpus& corpus, const val& options)
      : corpus_(corpus.corpus), trainer_(*corpus_, train_options(options)) {}

  val step(double token_budget) {
    return guarded([&] {
      return progress_to_js(trainer_.step(static_cast<std::uint64_t>(token_budget)));
    });
  }

  val progress() const { return progress_to_js(trainer_.progress()); }

  void cancel() { trainer_.cancel(); }

  bool finished() const { return trainer_.finished(); }

  JsEmbeddings embeddings() const {
    return guarded([&] { return JsEmbeddings{std::make_shared<Embeddings>(
                             trainer_.embeddings())}; });
  }

 private:
  std::shared_ptr<const Corpus> corpus_;
  Trainer trainer_;
};

JsTrainer* make_trainer(const JsCorpus& corpus, const val& options) {
  return guarded([&] { return new JsTrainer(corpus, options); });
}

// The options after defaults and validation, as the page shows them.
val validated_options(const val& options) {
  return guarded([&] {
    const TrainOptions o = train_options(options);
    o.validate();
    val out = val::object();
    out.set("dimension", o.dimension);
    out.set("window", o.window);
    out.set("windowMode", std::string(window_mode_name(o.window_mode)));
    out.set("negatives", o.negatives);
    out.set("nsExponent", o.ns_exponent);
    out.set("subsample", o.subsample);
    out.set("epochs", o.epochs);
    out.set("learningRate", o.learning_rate);
    out.set("minLearningRate", o.min_learning_rate);
    out.set("threads", o.threads);
    out.set("seed", static_cast<double>(o.seed));
    return out;
  });
}

}  // namespace
}  // namespace anime2vec::wasm

EMSCRIPTEN_BINDINGS(anime2vec_train) {
  using namespace emscripten;
  using namespace anime2vec::wasm;

  class_<JsTrainer>("Trainer")
      .constructor(&make_trainer, allow_raw_pointers())
      .function("step", &JsTrainer::step)
      .function("progress", &JsTrainer::progress)
      .function("cancel", &JsTrainer::cancel)
      .function("finished", &JsTrainer::finished)
      .function("embeddings", &JsTrainer::embeddings);

  function("trainOptions", &validated_options);
}
