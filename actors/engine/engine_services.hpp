#pragma once

#include <cstdint>
#include <string>

#include <caf/fwd.hpp>

#include "actors/engine/actor_key.hpp"
#include "base/clock.hpp"
#include "config/config.hpp"

namespace ringdown::storage {
class provisioning_store;
class binding_store;
class cdr_store;
class cdr_writer;
} // namespace ringdown::storage

namespace ringdown::rtp {
class media_engine;
}

namespace ringdown::bridge {
class conference_roster;
}

namespace ringdown::actors {

class sip_port;
class directory;

/// What every actor of one node reaches: the signalling plane, the
/// directory, the stores and time. Built once by the node (ringdownd) or a
/// test; every pointer outlives the actor system. All members are safe to
/// use from any actor's thread: sip_port and directory are thread-safe,
/// the stores sit on RocksDB (thread-safe reads and writes), the clock is
/// read-only. Actors never share an `rng` or `id_generator`: each one
/// seeds its own from `seed` and its key (`actor_seed`), so a run is
/// reproducible from one seed (ARCHITECTURE.md §5).
struct engine_services {
  sip_port* port = nullptr;
  directory* dir = nullptr;
  storage::provisioning_store* provisioning = nullptr;
  storage::binding_store* bindings = nullptr;
  storage::cdr_store* cdrs = nullptr;
  /// Where calls hand their CDRs (group commit); never blocks a caller.
  storage::cdr_writer* cdr_log = nullptr;
  const clock* clk = nullptr;
  /// The media plane; null when calls relay SDP unchanged (no [media]).
  rtp::media_engine* media = nullptr;
  /// The conference parts the node runs, for the admin API; may be null.
  bridge::conference_roster* conferences = nullptr;
  const config::node_config* node = nullptr; ///< node id, zone, SIP timers
  std::uint64_t seed = 0;
  /// The node's own SIP address for Contact/Via-less headers it writes
  /// (first listener, e.g. "udp:127.0.0.1:5060" → sip:127.0.0.1:5060).
  std::string local_host;
  std::uint16_t local_port = 5060;
  std::string local_transport = "udp";
};

/// The seed of the actor with `key`: `services.seed` mixed with the key.
[[nodiscard]] std::uint64_t actor_seed(const engine_services& services,
                                       const actor_key& key) noexcept;

// -- the factories of the domain actors (one per actor_kind) -------------
// Each lives beside its actor (actors/<kind>/<kind>_actor.cpp) and is
// registered with the directory by the node.

/// `registrar/<zone>`: REGISTER of the zone's resources, and the contact
/// lookups of calls (registrar_protocol.hpp).
caf::actor spawn_registrar(caf::actor_system& sys, const actor_key& key,
                           engine_services& services);

/// `zone/<zone>`: the zone's authority over shared resources of its own,
/// today the trunks' concurrent-call admission (trunk_admit/_release).
caf::actor spawn_zone(caf::actor_system& sys, const actor_key& key,
                      engine_services& services);

/// `line/<line-uri>`: one shared line, its appearances and subscribers.
caf::actor spawn_line(caf::actor_system& sys, const actor_key& key,
                      engine_services& services);

/// `bridge/conference:<room>@<zone>`: a zone's part of a conference
/// (actors/bridge/conference_actor.cpp).
caf::actor spawn_conference(caf::actor_system& sys, const actor_key& key,
                            engine_services& services);

/// `dialog/<call-id>`: one B2BUA call, spawned by its first INVITE.
caf::actor spawn_call(caf::actor_system& sys, const actor_key& key,
                      engine_services& services);

} // namespace ringdown::actors
