#include "io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "anime2vec/error.hpp"

namespace anime2vec::cli {

namespace {

constexpr std::size_t kChunk = 4u << 20;

std::FILE* open_or_throw(const std::string& path, const char* mode) {
  std::FILE* file = std::fopen(path.c_str(), mode);
  if (!file) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
  return file;
}

// Feeds a file to anything with feed(std::string_view), chunk by chunk.
template <typename Reader>
void feed_file(const std::string& path, Reader& reader) {
  std::FILE* file = open_or_throw(path, "rb");
  std::vector<char> buffer(kChunk);
  try {
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file))
      reader.feed(std::string_view(buffer.data(), n));
    if (std::ferror(file)) throw InputError("cannot read '" + path + "': " + std::strerror(errno));
  } catch (...) {
    std::fclose(file);
    throw;
  }
  std::fclose(file);
}

}  // namespace

Ratings load_ratings(const std::string& path, const RatingsOptions& options) {
  RatingsReader reader(path, options);
  feed_file(path, reader);
  return reader.finish();
}

Catalogue load_catalogue(const std::string& path) {
  CatalogueReader reader(path);
  feed_file(path, reader);
  return reader.finish();
}

Embeddings load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return read_word2vec_text(text.str(), path);
}

void save_text(const std::string& path, const std::string& text) {
  std::string temporary = path + ".partial";
  std::FILE* file = open_or_throw(temporary, "wb");
  bool ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  ok = (std::fclose(file) == 0) && ok;
  if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    throw InputError("cannot write '" + path + "': " + reason);
  }
}

std::string sequences_text(const Corpus& corpus) {
  std::string text;
  for (std::size_t u = 0; u < corpus.sequence_count(); ++u) {
    for (std::size_t p = 0; p < corpus.sequence_length(u); ++p) {
      if (p) text += ' ';
      text += corpus.vocab.ids[corpus.sequence_begin(u)[p]];
    }
    text += '\n';
  }
  return text;
}

}  // namespace anime2vec::cli
