#pragma once

#include <caf/fwd.hpp>

#include "actors/engine/actor_key.hpp"

namespace ringdown::actors {

/// `bridge/conference:<room>`, the room's registry (one in the cluster,
/// placed by hashing over every live node): the first part to ask
/// (conference_home) is the room's home until it ends; then the registry
/// ends too. Spawned by spawn_conference for a key without a zone.
caf::actor spawn_conference_registry(caf::actor_system& sys, const actor_key& key);

} // namespace ringdown::actors
