#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "anime2vec/rng.hpp"

using anime2vec::Rng;

namespace {

std::vector<std::uint64_t> draws(Rng rng, int count) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < count; ++i) out.push_back(rng.next_u64());
  return out;
}

/// Pearson's statistic of `samples` draws of below(n) against the uniform distribution.
double chi_square_of_below(Rng& rng, std::uint32_t n, int samples) {
  std::vector<double> histogram(n, 0.0);
  for (int i = 0; i < samples; ++i) {
    const std::uint32_t value = rng.below(n);
    REQUIRE(value < n);
    histogram[value] += 1;
  }
  const double expected = static_cast<double>(samples) / n;
  double chi = 0;
  for (double observed : histogram) chi += (observed - expected) * (observed - expected) / expected;
  return chi;
}

}  // namespace

TEST_CASE("the same seed and stream give the same sequence", "[rng]") {
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xffffffffffffffffULL}) {
    CHECK(draws(Rng(seed, 3), 100) == draws(Rng(seed, 3), 100));
  }
}

TEST_CASE("different seeds and different streams give different sequences", "[rng]") {
  const auto base = draws(Rng(1, 0), 64);
  CHECK(draws(Rng(2, 0), 64) != base);
  CHECK(draws(Rng(1, 1), 64) != base);
  CHECK(draws(Rng(0, 0), 64) != base);

  // No two of many (seed, stream) pairs share even their first draw.
  std::vector<std::uint64_t> firsts;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    for (std::uint64_t stream = 0; stream < 20; ++stream) {
      firsts.push_back(Rng(seed, stream).next_u64());
    }
  }
  std::sort(firsts.begin(), firsts.end());
  CHECK(std::adjacent_find(firsts.begin(), firsts.end()) == firsts.end());
}

TEST_CASE("splitmix64 advances its state and scrambles it", "[rng]") {
  std::uint64_t state = 0;
  const std::uint64_t a = anime2vec::splitmix64(state);
  const std::uint64_t b = anime2vec::splitmix64(state);
  CHECK(state != 0);
  CHECK(a != b);
  CHECK(a != 0);
}

TEST_CASE("uniform draws lie from 0 up to but excluding 1 and average one half", "[rng]") {
  Rng rng(7);
  const int count = 200000;
  double sum = 0;
  double sum_float = 0;
  for (int i = 0; i < count; ++i) {
    const double u = rng.uniform();
    const float f = rng.uniform_float();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(f >= 0.0f);
    REQUIRE(f < 1.0f);
    sum += u;
    sum_float += f;
  }
  // The mean of n uniforms has standard deviation 0.289 / sqrt(n) ~ 0.00065: allow 6 of them.
  CHECK(sum / count == Approx(0.5).margin(0.004));
  CHECK(sum_float / count == Approx(0.5).margin(0.004));
}

TEST_CASE("below(n) stays in range and is roughly uniform", "[rng]") {
  Rng rng(11, 2);
  for (std::uint32_t n : {2u, 3u, 7u, 10u, 100u, 1000u}) {
    const int samples = 100000;
    const double chi = chi_square_of_below(rng, n, samples);
    // The statistic has mean n-1 and standard deviation sqrt(2(n-1)): a loose bound.
    const double degrees = n - 1.0;
    INFO("n = " << n << ", chi-square = " << chi);
    CHECK(chi < degrees + 6 * std::sqrt(2 * degrees) + 10);
  }
}

TEST_CASE("below handles the edges of its range", "[rng]") {
  Rng rng(5);
  for (int i = 0; i < 1000; ++i) REQUIRE(rng.below(1) == 0);
  CHECK(rng.below(0) == 0);

  // A bound near 2^32 exercises the rejection branch; results must still be below it.
  const std::uint32_t big = 0xfffffff0u;
  bool above_half = false;
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t value = rng.below(big);
    REQUIRE(value < big);
    above_half = above_half || value > big / 2;
  }
  CHECK(above_half);
}
