// Bindings of the resumable skip-gram trainer: the worker calls step(budget) in a loop, posts
// progress between steps and can cancel between them.

#include <memory>
#include <string>

#include "anime2vec/presets.hpp"
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
    out.window_mode = parse_window_mode(field(options, "windowMode").as<std::string>());
  }
  out.forward = get_or<bool>(options, "forward", out.forward);
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
  put(out, "epoch", p.epoch);
  put(out, "epochs", p.epochs);
  put(out, "tokensDone", static_cast<double>(p.tokens_done));
  put(out, "tokensTotal", static_cast<double>(p.tokens_total));
  put(out, "learningRate", p.learning_rate);
  put(out, "loss", p.loss);
  put(out, "pairs", static_cast<double>(p.pairs));
  put(out, "finished", p.finished);
  put(out, "cancelled", p.cancelled);
  put(out, "fraction", p.fraction());
  return out;
}

val options_to_js(const TrainOptions& o) {
  val out = val::object();
  put(out, "dimension", o.dimension);
  put(out, "window", o.window);
  put(out, "windowMode", std::string(window_mode_name(o.window_mode)));
  put(out, "forward", o.forward);
  put(out, "negatives", o.negatives);
  put(out, "nsExponent", o.ns_exponent);
  put(out, "subsample", o.subsample);
  put(out, "epochs", o.epochs);
  put(out, "learningRate", o.learning_rate);
  put(out, "minLearningRate", o.min_learning_rate);
  put(out, "threads", o.threads);
  put(out, "seed", static_cast<double>(o.seed));
  return out;
}

JsTrainer* make_trainer(const JsCorpus& corpus, const val& options) {
  return guarded([&] { return new JsTrainer(corpus, options); });
}

// The options after defaults and validation, as the page shows them.
val validated_options(const val& options) {
  return guarded([&] {
    const TrainOptions o = train_options(options);
    o.validate();
    return options_to_js(o);
  });
}

// The named presets of the core, in its order: { name, summary, options, ioScoring, recency },
// so the page fills its form from the core's settings rather than copies of them.
val presets_js() {
  val out = val::array();
  for (const Preset& p : presets()) {
    val entry = val::object();
    put(entry, "name", p.name);
    put(entry, "summary", p.summary);
    put(entry, "options", options_to_js(p.options));
    put(entry, "ioScoring", p.io_scoring);
    put(entry, "recency", p.recency);
    out.call<void>("push", entry);
  }
  return out;
}

}  // namespace

JsTrainer::JsTrainer(const JsCorpus& corpus, const val& options)
    : corpus_(corpus.corpus), trainer_(*corpus_, train_options(options)) {}

val JsTrainer::step(double token_budget) {
  return guarded([&] {
    return progress_to_js(trainer_.step(static_cast<std::uint64_t>(token_budget)));
  });
}

val JsTrainer::progress() const { return progress_to_js(trainer_.progress()); }

void JsTrainer::cancel() { trainer_.cancel(); }

bool JsTrainer::finished() const { return trainer_.finished(); }

val JsTrainer::options() const { return options_to_js(trainer_.options()); }

JsEmbeddings JsTrainer::embeddings() const {
  return guarded([&] {
    return JsEmbeddings{std::make_shared<Embeddings>(trainer_.embeddings())};
  });
}

JsEmbeddings JsTrainer::output_embeddings() const {
  return guarded([&] {
    auto out = std::make_shared<Embeddings>();
    out->ids = corpus_->vocab.ids;
    out->vectors = trainer_.output_vectors();
    return JsEmbeddings{std::move(out)};
  });
}

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
      .function("options", &JsTrainer::options)
      .function("embeddings", &JsTrainer::embeddings)
      .function("outputEmbeddings", &JsTrainer::output_embeddings);

  function("trainOptions", &validated_options);
  function("presets", &presets_js);
}
