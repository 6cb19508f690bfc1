// Bindings of what is done with trained vectors: reading them out, the word2vec text file,
// nearest neighbours and the PCA map coordinates.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "anime2vec/embeddings.hpp"
#include "anime2vec/neighbours.hpp"
#include "anime2vec/pca.hpp"
#include "anime2vec/profile.hpp"
#include "bindings.hpp"
#include "boundary.hpp"

namespace anime2vec::wasm {
namespace {

double embeddings_size(const JsEmbeddings& self) {
  return static_cast<double>(self.embeddings->size());
}

double embeddings_dimension(const JsEmbeddings& self) {
  return static_cast<double>(self.embeddings->dimension());
}

std::string embeddings_ids(const JsEmbeddings& self) { return join(self.embeddings->ids); }

// Row-major items × dimension, copied out.
val embeddings_vectors(const JsEmbeddings& self) {
  const Matrix& m = self.embeddings->vectors;
  return copy_to_js(m.data(), static_cast<std::size_t>(m.size()));
}

// The word2vec text file as UTF-8 bytes, ready for a Blob or a TextDecoder.
val embeddings_word2vec_text(const JsEmbeddings& self) {
  return guarded([&] {
    const std::string text = word2vec_text(*self.embeddings);
    return copy_to_js(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  });
}

val neighbours_to_js(const std::vector<Neighbour>& neighbours) {
  std::vector<std::uint32_t> indices;
  std::vector<float> scores;
  indices.reserve(neighbours.size());
  scores.reserve(neighbours.size());
  for (const Neighbour& n : neighbours) {
    indices.push_back(n.index);
    scores.push_back(n.score);
  }
  val out = val::object();
  put(out, "indices", copy_to_js(indices));
  put(out, "scores", copy_to_js(scores));
  return out;
}

class JsNeighbourIndex {
 public:
  explicit JsNeighbourIndex(const JsEmbeddings& embeddings)
      : index_(embeddings.embeddings->vectors) {}

  val for_item(double item, double k) const {
    return guarded([&] {
      check_item(item);
      return neighbours_to_js(
          index_.for_item(static_cast<std::uint32_t>(item), static_cast<std::size_t>(k)));
    });
  }

  // items: array of rows; weights: optional array, one per item (negative pulls away).
  val for_items(const val& items, double k, const val& weights) const {
    return guarded([&] {
      const auto rows = from_js_array<double>(items);
      std::vector<std::uint32_t> indices;
      for (double row : rows) {
        check_item(row);
        indices.push_back(static_cast<std::uint32_t>(row));
      }
      return neighbours_to_js(index_.for_items(indices, static_cast<std::size_t>(k),
                                               from_js_array<float>(weights)));
    });
  }

  // The page's "My list": items (rows) and scores (one per item: a number 1..10, or null for
  // none). Returns { indices, scores, because }, because[r] the listed row explaining rank r.
  val for_profile(const val& items, const val& scores, double k) const {
    return guarded([&] { return profile_query(items, scores, k, nullptr); });
  }

  // The same scored input·output: `output` holds the trainer's output vectors.
  val for_profile_io(const val& items, const val& scores, double k,
                     const JsEmbeddings& output) const {
    return guarded([&] { return profile_query(items, scores, k, &output.embeddings->vectors); });
  }

  double size() const { return static_cast<double>(index_.size()); }

 private:
  val profile_query(const val& items, const val& scores, double k, const Matrix* output) const {
    const auto rows = from_js_array<double>(items);
    const auto length =
        scores.isUndefined() || scores.isNull() ? 0 : field(scores, "length").as<std::size_t>();
    if (length != 0 && length != rows.size()) {
      throw std::invalid_argument("a profile got " + std::to_string(length) + " scores for " +
                                  std::to_string(rows.size()) + " items");
    }
    std::vector<ProfileEntry> profile;
    for (std::size_t t = 0; t < rows.size(); ++t) {
      check_item(rows[t]);
      ProfileEntry entry{static_cast<std::uint32_t>(rows[t]), std::nullopt};
      if (length) {
        const val score = scores[t];
        if (!score.isNull() && !score.isUndefined()) entry.score = score.as<double>();
      }
      profile.push_back(entry);
    }
    const auto found =
        recommend_for_profile(index_, profile, static_cast<std::size_t>(k), output);
    std::vector<std::uint32_t> indices;
    std::vector<float> values;
    std::vector<std::uint32_t> because;
    for (const ProfileRecommendation& r : found) {
      indices.push_back(r.index);
      values.push_back(r.score);
      because.push_back(r.because);
    }
    val out = val::object();
    put(out, "indices", copy_to_js(indices));
    put(out, "scores", copy_to_js(values));
    put(out, "because", copy_to_js(because));
    return out;
  }

  // Out-of-range rows would read past the matrix: reject them at the boundary.
  void check_item(double item) const {
    if (!(item >= 0 && item < static_cast<double>(index_.size())) ||
        item != static_cast<double>(static_cast<std::uint32_t>(item))) {
      throw std::out_of_range("item row " + std::to_string(item) + " is not in 0.." +
                              std::to_string(index_.size()));
    }
  }

  NeighbourIndex index_;
};

JsNeighbourIndex* make_neighbour_index(const JsEmbeddings& embeddings) {
  return guarded([&] { return new JsNeighbourIndex(embeddings); });
}

// coordinates: Float32Array, items × components row-major; explained and variances: arrays.
val pca_js(const JsEmbeddings& embeddings, double components) {
  return guarded([&] {
    const PcaResult result = pca(embeddings.embeddings->vectors,
                                 static_cast<std::size_t>(components));
    val out = val::object();
    put(out, "coordinates", copy_to_js(result.coordinates.data(),
                                      static_cast<std::size_t>(result.coordinates.size())));
    put(out, "components", components);
    put(out, "explained", to_js_array(result.explained));
    put(out, "variances", to_js_array(result.variances));
    return out;
  });
}

}  // namespace
}  // namespace anime2vec::wasm

EMSCRIPTEN_BINDINGS(anime2vec_embeddings) {
  using namespace emscripten;
  using namespace anime2vec::wasm;

  class_<JsEmbeddings>("Embeddings")
      .function("size", &embeddings_size)
      .function("dimension", &embeddings_dimension)
      .function("ids", &embeddings_ids)
      .function("vectors", &embeddings_vectors)
      .function("word2vecText", &embeddings_word2vec_text);

  class_<JsNeighbourIndex>("NeighbourIndex")
      .constructor(&make_neighbour_index, allow_raw_pointers())
      .function("forItem", &JsNeighbourIndex::for_item)
      .function("forItems", &JsNeighbourIndex::for_items)
      .function("forProfile", &JsNeighbourIndex::for_profile)
      .function("forProfileIo", &JsNeighbourIndex::for_profile_io)
      .function("size", &JsNeighbourIndex::size);

  function("pca", &pca_js);
}
