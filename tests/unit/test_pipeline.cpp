// The whole native pipeline on a generated example: sample → reader → corpus → trainer →
// neighbours, checked against the structure the generator planted.

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "anime2vec/corpus.hpp"
#include "anime2vec/neighbours.hpp"
#include "anime2vec/ratings.hpp"
#include "anime2vec/sample.hpp"
#include "anime2vec/skipgram.hpp"

using namespace anime2vec;

TEST_CASE("franchise items find a sibling among their 5 nearest neighbours") {
  SampleOptions sample_options;
  sample_options.users = 3000;
  sample_options.seed = 11;
  Sample sample = generate_sample(sample_options);

  Ratings ratings = read_ratings(sample.ratings_csv, "ratings.csv");
  Corpus corpus = build_corpus(ratings);
  Trainer trainer(corpus, TrainOptions{});
  trainer.run();
  Embeddings model = trainer.embeddings();
  NeighbourIndex index(model.vectors);

  std::unordered_map<std::string, std::size_t> franchise_of;
  for (std::size_t f = 0; f < sample.franchises.size(); ++f)
    for (const std::string& id : sample.franchises[f]) franchise_of[id] = f;

  std::size_t checked = 0, with_sibling = 0;
  for (std::uint32_t item = 0; item < model.size(); ++item) {
    auto it = franchise_of.find(model.ids[item]);
    if (it == franchise_of.end()) continue;
    ++checked;
    for (const Neighbour& n : index.for_item(item, 5)) {
      auto other = franchise_of.find(model.ids[n.index]);
      if (other != franchise_of.end() && other->second == it->second) {
        ++with_sibling;
        break;
      }
    }
  }
  INFO(with_sibling << " of " << checked << " franchise items have a sibling in their top 5");
  REQUIRE(checked >= 100);
  CHECK(with_sibling >= 0.9 * static_cast<double>(checked));
}

TEST_CASE("one thread and one seed give bit-identical vectors from the sample's bytes") {
  SampleOptions sample_options;
  sample_options.users = 400;
  Sample sample = generate_sample(sample_options);
  Corpus corpus = build_corpus(read_ratings(sample.ratings_csv, "ratings.csv"));
  TrainOptions options;
  options.epochs = 2;
  Trainer a(corpus, options), b(corpus, options);
  a.run();
  while (!b.finished()) b.step(777);
  CHECK(a.input_vectors() == b.input_vectors());
  options.seed = 2;
  Trainer c(corpus, options);
  c.run();
  CHECK_FALSE(a.input_vectors() == c.input_vectors());
}
