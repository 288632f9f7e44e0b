#pragma once

#include <cstdint>
#include <limits>

namespace ringdown {

/// Seeded pseudo-random generator (xoshiro256**, seeded through splitmix64).
/// The only source of randomness in Ringdown: ids, jitter, gossip targets all
/// draw from an injected `rng`, so a seed replays a run exactly. Not
/// thread-safe: each thread or actor owns its own instance.
class rng {
public:
  using result_type = std::uint64_t;

  explicit rng(std::uint64_t seed);

  /// Seed from the operating system's entropy (production start-up only).
  static rng from_entropy();

  result_type operator()() noexcept;
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept {
    return std::numeric_limits<result_type>::max();
  }

  /// Uniform integer in [0, bound) without modulo bias; bound > 0.
  std::uint64_t below(std::uint64_t bound) noexcept;
  /// Uniform double in [0, 1).
  double unit() noexcept;
  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }

private:
  std::uint64_t s_[4];
  std::uint64_t seed_;
};

} // namespace ringdown
