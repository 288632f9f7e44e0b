#pragma once

namespace ringdown::actors {
class local_directory;
struct engine_services;
} // namespace ringdown::actors

namespace ringdown::ringdownd {

/// Registers the factory of every domain actor kind with the node's
/// directory (ARCHITECTURE.md §2); `services` outlives the directory.
void register_actor_factories(actors::local_directory& dir,
                              actors::engine_services& services);

} // namespace ringdown::ringdownd
