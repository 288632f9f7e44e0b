#include "actors/engine/engine_services.hpp"

#include <string_view>

namespace ringdown::actors {

std::uint64_t actor_seed(const engine_services& services, const actor_key& key) noexcept {
  // FNV-1a over kind and name, mixed into the node's seed by splitmix64's
  // finaliser: distinct actors get unrelated streams, the same run the same.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  };
  mix(static_cast<unsigned char>(key.kind));
  for (const char c : key.name)
    mix(static_cast<unsigned char>(c));
  std::uint64_t z = services.seed ^ h;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

} // namespace ringdown::actors
