#pragma once
// The project's own random number generator. std::*_distribution algorithms differ between
// libstdc++ (native) and libc++ (Emscripten), so every draw is defined here to give the same
// bits on both.

#include <cstdint>

namespace anime2vec {

/// SplitMix64 step: used to expand a seed into state and to derive per-thread seeds.
std::uint64_t splitmix64(std::uint64_t& state);

/// xoshiro256** generator with simple, fully specified draws. The draws are defined inline
/// because the trainer makes several per trained pair.
class Rng {
 public:
  /// Seeds the state from (seed, stream) through SplitMix64; different streams (for example
  /// thread indices) give independent sequences.
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0);

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform in [0, 1) with 24 random bits.
  float uniform_float() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }

  /// Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method). below(0) is 0.
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t product = static_cast<std::uint64_t>(next_u32()) * n;
    auto low = static_cast<std::uint32_t>(product);
    if (low < n) {
      // Reject the few low words that would make some results one draw more likely.
      const std::uint32_t threshold = (0u - n) % n;
      while (low < threshold) {
        product = static_cast<std::uint64_t>(next_u32()) * n;
        low = static_cast<std::uint32_t>(product);
      }
    }
    return static_cast<std::uint32_t>(product >> 32);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t s_[4];
};

}  // namespace anime2vec
