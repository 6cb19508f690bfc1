// Binding of the example generator behind the page's "Generate example" button.

#include <cstdint>
#include <string>

#include "anime2vec/sample.hpp"
#include "boundary.hpp"

namespace anime2vec::wasm {
namespace {

val bytes_to_js(const std::string& text) {
  return copy_to_js(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

// ratingsCsv and animeCsv as UTF-8 bytes (fed back through the readers like an uploaded
// file), franchises as arrays of anime ids.
val generate_sample_js(const val& options) {
  return guarded([&] {
    SampleOptions o;
    o.users = static_cast<std::size_t>(get_or<double>(options, "users",
                                                      static_cast<double>(o.users)));
    o.franchises = static_cast<std::size_t>(
        get_or<double>(options, "franchises", static_cast<double>(o.franchises)));
    o.standalone = static_cast<std::size_t>(
        get_or<double>(options, "standalone", static_cast<double>(o.standalone)));
    o.seed = static_cast<std::uint64_t>(get_or<double>(options, "seed",
                                                       static_cast<double>(o.seed)));
    o.validate();
    const Sample sample = generate_sample(o);

    val franchises = val::array();
    for (const auto& franchise : sample.franchises) {
      val ids = val::array();
      for (const auto& id : franchise) ids.call<void>("push", id);
      franchises.call<void>("push", ids);
    }
    val out = val::object();
    put(out, "ratingsCsv", bytes_to_js(sample.ratings_csv));
    put(out, "animeCsv", bytes_to_js(sample.anime_csv));
    put(out, "franchises", franchises);
    return out;
  });
}

}  // namespace
}  // namespace anime2vec::wasm

EMSCRIPTEN_BINDINGS(anime2vec_sample) {
  emscripten::function("generateSample", &anime2vec::wasm::generate_sample_js);
}
