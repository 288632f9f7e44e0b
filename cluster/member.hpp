#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "cluster/types.hpp"

namespace ringdown::cluster {

/// Longest member id, zone name and address a member record may carry
/// (the codec refuses longer ones; a record must fit a UDP datagram).
inline constexpr std::size_t member_id_bytes_max = 64;
inline constexpr std::size_t zone_bytes_max = 64;
inline constexpr std::size_t address_bytes_max = 128;

/// Where a node listens, each "host:port": SIP, the cluster's own UDP
/// (SWIM), the admin HTTP plane and the media plane. Plain value.
struct member_addresses {
  std::string sip, cluster, admin, media;

  bool operator==(const member_addresses&) const = default;
};

/// One node as membership sees it (ARCHITECTURE.md §4): its id, its zone,
/// its addresses, its SWIM state and incarnation (Das et al. 2002 §4.2: a
/// member's own counter, raised only by the member itself to refute a
/// suspicion). Plain value; every node keeps a copy of each in its
/// members_table.
struct member {
  std::string id;
  std::string zone;
  member_addresses addresses;
  member_state state = member_state::alive;
  std::uint64_t incarnation = 0;

  bool operator==(const member&) const = default;
};

/// Alive or suspect: still a member (a suspect is one until confirmed).
[[nodiscard]] constexpr bool is_live(member_state s) noexcept {
  return s == member_state::alive || s == member_state::suspect;
}

/// The id is non-empty and every field is within its limit.
[[nodiscard]] bool well_formed(const member& m) noexcept;

} // namespace ringdown::cluster
