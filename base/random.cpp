#include "base/random.hpp"

#include <random>

#include "base/assert.hpp"

namespace ringdown {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) noexcept {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
  return (x << k) | (x >> (64 - k));
}

} // namespace

rng::rng(std::uint64_t seed) : seed_(seed) {
  std::uint64_t x = seed;
  for (auto& s : s_)
    s = splitmix64(x);
}

rng rng::from_entropy() {
  std::random_device rd;
  std::uint64_t seed = (std::uint64_t{rd()} << 32) ^ rd();
  return rng{seed};
}

rng::result_type rng::operator()() noexcept {
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

std::uint64_t rng::below(std::uint64_t bound) noexcept {
  RINGDOWN_ASSERT(bound > 0, "rng::below needs a positive bound");
  // Lemire's nearly divisionless method.
  __uint128_t m = static_cast<__uint128_t>((*this)()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = -bound % bound;
    while (low < threshold) {
      m = static_cast<__uint128_t>((*this)()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double rng::unit() noexcept {
  return static_cast<double>((*this)() >> 11) * 0x1.0p-53;
}

} // namespace ringdown
