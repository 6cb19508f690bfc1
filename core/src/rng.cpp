#include "anime2vec/rng.hpp"

namespace anime2vec {

std::uint64_t splitmix64(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(std::uint64_t seed, std::uint64_t stream) {
  // Scramble the seed first so that nearby seeds and nearby streams do not start SplitMix64 at
  // neighbouring points of the same sequence; the odd multiplier spreads streams apart.
  std::uint64_t mixer = seed;
  std::uint64_t state = splitmix64(mixer) + stream * 0xd1b54a32d192ed03ULL;
  for (auto& word : s_) word = splitmix64(state);

  // xoshiro's one forbidden state; SplitMix64 practically never yields it.
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
}

}  // namespace anime2vec
