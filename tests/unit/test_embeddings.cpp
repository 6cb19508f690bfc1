#include "anime2vec/embeddings.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>

#include "anime2vec/error.hpp"
#include "anime2vec/rng.hpp"

using namespace anime2vec;

namespace {

std::uint32_t bits_of(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

float float_from_bits(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Any finite float: random bit patterns cover every exponent, subnormals and both signs.
float random_finite_float(Rng& rng) {
  for (;;) {
    const float value = float_from_bits(rng.next_u32());
    if (std::isfinite(value)) return value;
  }
}

Embeddings random_embeddings(Rng& rng, std::size_t count, std::size_t dimension) {
  Embeddings e;
  e.vectors.resize(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(dimension));
  for (std::size_t i = 0; i < count; ++i) {
    e.ids.push_back(std::to_string(1000 + 7 * i));
    for (std::size_t j = 0; j < dimension; ++j) {
      e.vectors(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          random_finite_float(rng);
    }
  }
  return e;
}

std::string read_error(const std::string& text) {
  try {
    read_word2vec_text(text, "model.txt");
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a written model reads back with bitwise identical values", "[embeddings]") {
  Rng rng(11);
  Embeddings original = random_embeddings(rng, 300, 17);
  // Values a printer is most likely to get wrong.
  const float specials[] = {0.0f,
                            -0.0f,
                            1.0f,
                            -1.0f,
                            0.1f,
                            1e-45f,
                            -1e-45f,
                            std::numeric_limits<float>::min(),
                            std::numeric_limits<float>::max(),
                            -std::numeric_limits<float>::max(),
                            16777217.0f,
                            3.40282e38f,
                            1.17549e-38f,
                            123456789.0f,
                            0.333333343f,
                            -2.5e-10f,
                            7e22f};
  for (std::size_t j = 0; j < sizeof specials / sizeof specials[0]; ++j) {
    original.vectors(0, static_cast<Eigen::Index>(j)) = specials[j];
  }

  const std::string text = word2vec_text(original);
  const Embeddings read = read_word2vec_text(text, "model.txt");

  REQUIRE(read.ids == original.ids);
  REQUIRE(read.vectors.rows() == original.vectors.rows());
  REQUIRE(read.vectors.cols() == original.vectors.cols());
  std::size_t differing = 0;
  for (Eigen::Index i = 0; i < original.vectors.rows(); ++i) {
    for (Eigen::Index j = 0; j < original.vectors.cols(); ++j) {
      if (bits_of(read.vectors(i, j)) != bits_of(original.vectors(i, j))) ++differing;
    }
  }
  CHECK(differing == 0);
}

TEST_CASE("the number parser agrees bit for bit with strtof on random decimals",
          "[embeddings]") {
  // The reader's fast path is checked against the C library on decimals of every shape the
  // writer and other tools produce: 1 to 17 digits, with and without exponents.
  Rng rng(5);
  std::string text;
  std::vector<std::string> tokens;
  for (int i = 0; i < 20000; ++i) {
    std::string token = rng.below(2) ? "-" : "";
    const std::uint32_t digits = 1 + rng.below(17);
    const std::uint32_t point = rng.below(digits + 1);
    for (std::uint32_t d = 0; d < digits; ++d) {
      if (d == point && d > 0) token += '.';
      token += static_cast<char>('0' + rng.below(10));
    }
    if (rng.below(2)) token += "e" + std::to_string(static_cast<int>(rng.below(90)) - 50);
    tokens.push_back(token);
  }
  text = std::to_string(tokens.size()) + " 1\n";
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    text += "i" + std::to_string(i) + " " + tokens[i] + "\n";
  }

  const Embeddings read = read_word2vec_text(text, "numbers.txt");
  std::size_t differing = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const float expected = std::strtof(tokens[i].c_str(), nullptr);
    if (bits_of(read.vectors(static_cast<Eigen::Index>(i), 0)) != bits_of(expected)) {
      ++differing;
      UNSCOPED_INFO(tokens[i]);
    }
  }
  CHECK(differing == 0);
}

TEST_CASE("the text format has a header line, then one id and its values per line",
          "[embeddings]") {
  Embeddings e;
  e.ids = {"5114", "9253"};
  e.vectors.resize(2, 3);
  e.vectors << 0.5f, -1.25f, 3.0f, 0.1f, 1e-7f, -0.0f;

  std::ostringstream stream;
  write_word2vec_text(stream, e);
  CHECK(stream.str() == "2 3\n5114 0.5 -1.25 3\n9253 0.100000001 1.00000001e-07 -0\n");
  CHECK(word2vec_text(e) == stream.str());
}

TEST_CASE("the reader accepts CRLF lines, tabs, trailing blanks and a final blank line",
          "[embeddings]") {
  const Embeddings e =
      read_word2vec_text("2 2\r\n10 1 2 \r\nabc\t-3\t4.5\r\n\r\n", "model.txt");
  REQUIRE(e.ids == std::vector<std::string>{"10", "abc"});
  CHECK(e.vectors(0, 0) == 1.0f);
  CHECK(e.vectors(0, 1) == 2.0f);
  CHECK(e.vectors(1, 0) == -3.0f);
  CHECK(e.vectors(1, 1) == 4.5f);
}

TEST_CASE("find gives the row of an id, or -1", "[embeddings]") {
  Embeddings e;
  e.ids = {"1", "20", "300"};
  e.vectors = Matrix::Zero(3, 2);
  CHECK(e.find("20") == 1);
  CHECK(e.find("300") == 2);
  CHECK(e.find("2") == -1);
  CHECK(e.find("") == -1);
}

TEST_CASE("reader errors name the source, the line and the offending value", "[embeddings]") {
  CHECK(read_error("") == "model.txt: the file is empty, expected a header 'count dimension'");
  CHECK(read_error("two 3\n") ==
        "model.txt line 1: expected a header 'count dimension' (two whole numbers, dimension "
        "above 0), got 'two 3'");
  CHECK(read_error("1 0\na\n") ==
        "model.txt line 1: expected a header 'count dimension' (two whole numbers, dimension "
        "above 0), got '1 0'");
  CHECK(read_error("2 3 4\n") ==
        "model.txt line 1: expected a header 'count dimension' (two whole numbers, dimension "
        "above 0), got '2 3 4'");
  CHECK(read_error("2 3\na 1 2 3\nb 1 2\n") ==
        "model.txt line 3: item 'b' has 2 values, expected 3 (the header's dimension)");
  CHECK(read_error("2 3\na 1 2 3 4\nb 1 2 3\n") ==
        "model.txt line 2: item 'a' has 4 values, expected 3 (the header's dimension)");
  CHECK(read_error("1 3\na 1 x2 3\n") ==
        "model.txt line 2: value 2 of item 'a': expected a number, got 'x2'");
  CHECK(read_error("1 2\na 1 2.5.1\n") ==
        "model.txt line 2: value 2 of item 'a': expected a number, got '2.5.1'");
  CHECK(read_error("3 1\na 1\nb 2\n") ==
        "model.txt: the header announces 3 items but the file holds 2");
  CHECK(read_error("1 1\na 1\nb 2\n") ==
        "model.txt line 3: item 'b' is one more than the 1 items the header announces");
  CHECK(read_error("3 1\na 1\nb 2\na 3\n") ==
        "model.txt line 4: item 'a' appears twice (first on line 2)");
}

TEST_CASE("writing refuses ids the format cannot represent", "[embeddings]") {
  Embeddings e;
  e.ids = {"ok", "Cowboy Bebop"};
  e.vectors = Matrix::Zero(2, 2);
  std::ostringstream stream;
  CHECK_THROWS_WITH(write_word2vec_text(stream, e),
                    "item id 'Cowboy Bebop' holds white space: the word2vec text format cannot "
                    "represent it");
  e.ids[1] = "tab\there";
  CHECK_THROWS_WITH(word2vec_text(e),
                    "item id 'tab\\there' holds white space: the word2vec text format cannot "
                    "represent it");
  e.ids[1] = "";
  CHECK_THROWS_AS(word2vec_text(e), InputError);
  e.ids[1] = "fine";
  CHECK_NOTHROW(word2vec_text(e));
}
