#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/member.hpp"

namespace ringdown::cluster {

// Placement of actor keys on nodes (ARCHITECTURE.md §4): rendezvous, or
// highest-random-weight, hashing (Thaler and Ravishankar 1998). Each
// candidate node gets the weight hash(key, node id); the candidates sorted
// by weight, highest first, are the owner and then the replica holders.
// Every node with the same view computes the same list, and when one of n
// nodes joins or leaves only the keys it wins or held, about 1/n, move.
// Pure functions, any thread.

/// A stable 64-bit hash of `data`: FNV-1a from `seed` then the MurmurHash3
/// 64-bit finaliser. Fixed by this code, never std::hash: every process
/// and every build computes the same value.
[[nodiscard]] std::uint64_t stable_hash64(std::string_view data,
                                          std::uint64_t seed = 0) noexcept;

/// The rendezvous weight of `node_id` for `key`.
[[nodiscard]] std::uint64_t placement_weight(std::string_view key,
                                             std::string_view node_id) noexcept;

/// The ids of at most `replicas` distinct candidates, by decreasing weight
/// for `key` (ties by id): owner first, then the replica holders. The
/// order of `candidates` does not matter; duplicate ids count once.
[[nodiscard]] std::vector<std::string> place(std::string_view key,
                                             const std::vector<const member*>& candidates,
                                             std::size_t replicas);

/// The owner rule of the cluster directory (actors/engine/cluster_directory)
/// and of the simulator's checks: among the members of `view` in `zone` that
/// are live (alive or suspect), `excluded` left out (a node stepping down),
/// the one `key` hashes to first; null when there is none. Points into
/// `view`. Zone `any_zone` ("*") takes the live members of every zone (an
/// actor that serves all zones: a conference room's registry).
inline constexpr std::string_view any_zone = "*";
[[nodiscard]] const member* owner_in_zone(std::string_view key, std::string_view zone,
                                          const std::vector<member>& view,
                                          std::string_view excluded = {});

/// The node named after the last '@' of a key that carries a placement
/// hint ("dialog/<call-id>@<node>"); empty when the key has none.
[[nodiscard]] std::string_view placement_hint(std::string_view key) noexcept;

/// As place(), but when the key's hint names a candidate that is alive
/// (not suspect, dead or left) that node is the owner and the others
/// follow by weight; otherwise the hint is ignored.
[[nodiscard]] std::vector<std::string>
place_with_hint(std::string_view key, const std::vector<const member*>& candidates,
                std::size_t replicas);

} // namespace ringdown::cluster
