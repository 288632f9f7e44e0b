#pragma once

#include <caf/fwd.hpp>

#include "actors/engine/actor_key.hpp"

namespace ringdown::actors {

class directory;

/// `bridge/conference:<room>`, the room's registry (one in the cluster,
/// placed by hashing over every live node): the first part to ask
/// (conference_home) is the room's home until it ends; then the registry
/// ends too. When its key moves to another node (key_moved) it hands the
/// home to the registry there (found through `dir`), so the room stays one
/// room, then forwards for a while and ends. Spawned by spawn_conference
/// for a key without a zone; `dir` outlives it.
caf::actor spawn_conference_registry(caf::actor_system& sys, const actor_key& key,
                                     directory& dir);

} // namespace ringdown::actors
