#include "cluster/placement.hpp"

#include <algorithm>
#include <utility>

namespace ringdown::cluster {
namespace {

constexpr std::uint64_t fnv_offset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t fnv_prime = 0x100000001b3ULL;

constexpr std::uint64_t fmix64(std::uint64_t k) noexcept {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

struct weighted {
  std::uint64_t weight;
  const member* m;
};

// Highest weight first, then smallest id: a total order on distinct ids.
bool heavier(const weighted& a, const weighted& b) noexcept {
  if (a.weight != b.weight)
    return a.weight > b.weight;
  return a.m->id < b.m->id;
}

std::vector<std::string> ranked(std::string_view key,
                                const std::vector<const member*>& candidates,
                                std::size_t replicas, std::string_view first) {
  std::vector<std::string> out;
  if (replicas == 0)
    return out;
  const std::uint64_t key_hash = stable_hash64(key);
  std::vector<weighted> all;
  all.reserve(candidates.size());
  for (const member* m : candidates)
    if (m != nullptr && m->id != first)
      all.push_back({fmix64(key_hash ^ stable_hash64(m->id, fnv_prime)), m});
  std::sort(all.begin(), all.end(), heavier);
  out.reserve(std::min(replicas, all.size() + 1));
  if (!first.empty())
    out.emplace_back(first);
  for (const auto& w : all) {
    if (out.size() >= replicas)
      break;
    if (out.empty() || out.back() != w.m->id) // equal ids are adjacent
      out.push_back(w.m->id);
  }
  return out;
}

} // namespace

std::uint64_t stable_hash64(std::string_view data, std::uint64_t seed) noexcept {
  std::uint64_t h = fnv_offset ^ seed;
  for (const char c : data) {
    h ^= static_cast<std::uint8_t>(c);
    h *= fnv_prime;
  }
  return fmix64(h);
}

std::uint64_t placement_weight(std::string_view key, std::string_view node_id) noexcept {
  return fmix64(stable_hash64(key) ^ stable_hash64(node_id, fnv_prime));
}

std::vector<std::string> place(std::string_view key,
                               const std::vector<const member*>& candidates,
                               std::size_t replicas) {
  return ranked(key, candidates, replicas, {});
}

std::string_view placement_hint(std::string_view key) noexcept {
  const auto at = key.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : key.substr(at + 1);
}

std::vector<std::string> place_with_hint(std::string_view key,
                                         const std::vector<const member*>& candidates,
                                         std::size_t replicas) {
  const std::string_view hint = placement_hint(key);
  if (!hint.empty()) {
    const bool usable =
        std::any_of(candidates.begin(), candidates.end(), [&](const member* m) {
          return m != nullptr && m->id == hint && m->state == member_state::alive;
        });
    if (usable)
      return ranked(key, candidates, replicas, hint);
  }
  return ranked(key, candidates, replicas, {});
}

const member* owner_in_zone(std::string_view key, std::string_view zone,
                            const std::vector<member>& view, std::string_view excluded) {
  std::vector<const member*> candidates;
  for (const auto& m : view)
    if ((zone == any_zone || m.zone == zone) && is_live(m.state) &&
        (excluded.empty() || m.id != excluded))
      candidates.push_back(&m);
  const auto owner = place(key, candidates, 1);
  if (owner.empty())
    return nullptr;
  for (const member* m : candidates)
    if (m->id == owner.front())
      return m;
  return nullptr;
}

} // namespace ringdown::cluster
