#pragma once
// Item vectors with their ids, and the word2vec text format they are saved in.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace anime2vec {

/// Row-major so that one item's vector is contiguous.
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Item vectors: row i belongs to ids[i].
struct Embeddings {
  std::vector<std::string> ids;
  Matrix vectors;

  std::size_t size() const { return ids.size(); }
  std::size_t dimension() const { return static_cast<std::size_t>(vectors.cols()); }

  /// Row of an id, or -1.
  long long find(const std::string& id) const;
};

/// Writes the word2vec text format: a "count dimension" line, then one line per item: the id and
/// its values, space-separated, each printed with 9 significant digits so that reading the file
/// back gives the same floats. gensim's KeyedVectors.load_word2vec_format reads it. An id holding
/// white space is an InputError (the format cannot represent it).
void write_word2vec_text(std::ostream& out, const Embeddings& embeddings);

/// The same as a string (for the page's export).
std::string word2vec_text(const Embeddings& embeddings);

/// Reads the word2vec text format. Errors name the source, line and value (a short row, a
/// non-number, a count that does not match the header).
Embeddings read_word2vec_text(std::string_view text, std::string_view source_name);

}  // namespace anime2vec
