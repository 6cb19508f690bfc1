#pragma once
// The project's own random number generator. std::*_distribution algorithms differ between
// libstdc++ (native) and libc++ (Emscripten), so every draw is defined here to give the same
// bits on both.

#include <cstdint>

namespace anime2vec {

/// SplitMix64 step: used to expand a seed into state and to derive per-thread seeds.
std::uint64_t splitmix64(std::uint64_t& state);

/// xoshiro256** generator with simple, fully specified draws.
class Rng {
 public:
  /// Seeds the state from (seed, stream) through SplitMix64; different streams (for example
  /// thread indices) give independent sequences.
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0);

  std::uint64_t next_u64();
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform();

  /// Uniform in [0, 1) with 24 random bits.
  float uniform_float();

  /// Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method).
  std::uint32_t below(std::uint32_t n);

 private:
  std::uint64_t s_[4];
};

}  // namespace anime2vec
