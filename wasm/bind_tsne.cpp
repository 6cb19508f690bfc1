// Bindings of the resumable t-SNE map: the worker calls step(iterations) in a loop and posts
// each intermediate layout, so the page shows the map settling and can cancel between steps.

#include <memory>
#include <string>

#include "anime2vec/tsne.hpp"
#include "bindings.hpp"
#include "boundary.hpp"

namespace anime2vec::wasm {
namespace {

TsneOptions tsne_options(const val& options) {
  TsneOptions out;
  out.perplexity = get_or<double>(options, "perplexity", out.perplexity);
  out.learning_rate = get_or<double>(options, "learningRate", out.learning_rate);
  out.early_exaggeration = get_or<double>(options, "earlyExaggeration", out.early_exaggeration);
  out.exaggeration_iterations =
      get_or<int>(options, "exaggerationIterations", out.exaggeration_iterations);
  out.iterations = get_or<int>(options, "iterations", out.iterations);
  out.theta = get_or<double>(options, "theta", out.theta);
  out.seed = static_cast<std::uint64_t>(
      get_or<double>(options, "seed", static_cast<double>(out.seed)));
  if (has(options, "init")) out.init = parse_tsne_init(field(options, "init").as<std::string>());
  if (has(options, "metric")) {
    out.metric = parse_tsne_metric(field(options, "metric").as<std::string>());
  }
  return out;
}

val tsne_options_to_js(const TsneOptions& o) {
  val out = val::object();
  put(out, "perplexity", o.perplexity);
  put(out, "learningRate", o.learning_rate);
  put(out, "earlyExaggeration", o.early_exaggeration);
  put(out, "exaggerationIterations", o.exaggeration_iterations);
  put(out, "iterations", o.iterations);
  put(out, "theta", o.theta);
  put(out, "seed", static_cast<double>(o.seed));
  put(out, "init", std::string(tsne_init_name(o.init)));
  put(out, "metric", std::string(tsne_metric_name(o.metric)));
  return out;
}

val tsne_progress_to_js(const TsneProgress& p) {
  val out = val::object();
  put(out, "iteration", p.iteration);
  put(out, "iterations", p.iterations);
  put(out, "exaggerating", p.exaggerating);
  put(out, "finished", p.finished);
  put(out, "cancelled", p.cancelled);
  put(out, "fraction", p.fraction());
  return out;
}

// Holds its embeddings handle so the vectors outlive the run whatever JS deletes first.
class JsTsne {
 public:
  JsTsne(const JsEmbeddings& embeddings, const val& options)
      : embeddings_(embeddings.embeddings),
        tsne_(embeddings_->vectors, tsne_options(options)) {}

  val step(double iterations) {
    return guarded([&] { return tsne_progress_to_js(tsne_.step(static_cast<int>(iterations))); });
  }

  val progress() const { return tsne_progress_to_js(tsne_.progress()); }

  void cancel() { tsne_.cancel(); }

  bool finished() const { return tsne_.finished(); }

  // items × 2, interleaved, as float like the PCA coordinates.
  val layout() const {
    return guarded([&] {
      const Matrix m = tsne_.layout_matrix();
      return copy_to_js(m.data(), static_cast<std::size_t>(m.size()));
    });
  }

  val options() const { return tsne_options_to_js(tsne_.options()); }

 private:
  std::shared_ptr<const Embeddings> embeddings_;
  Tsne tsne_;
};

JsTsne* make_tsne(const JsEmbeddings& embeddings, const val& options) {
  return guarded([&] { return new JsTsne(embeddings, options); });
}

val validated_tsne_options(const val& options) {
  return guarded([&] {
    const TsneOptions o = tsne_options(options);
    o.validate();
    return tsne_options_to_js(o);
  });
}

}  // namespace
}  // namespace anime2vec::wasm

EMSCRIPTEN_BINDINGS(anime2vec_tsne) {
  using namespace emscripten;
  using namespace anime2vec::wasm;

  class_<JsTsne>("Tsne")
      .constructor(&make_tsne, allow_raw_pointers())
      .function("step", &JsTsne::step)
      .function("progress", &JsTsne::progress)
      .function("cancel", &JsTsne::cancel)
      .function("finished", &JsTsne::finished)
      .function("layout", &JsTsne::layout)
      .function("options", &JsTsne::options);

  function("tsneOptions", &validated_tsne_options);
}
