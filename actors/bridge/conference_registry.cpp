// The registry of a conference room: which part is the room's home
// (conference_actor.cpp has the parts).
#include "actors/bridge/conference_registry.hpp"

#include <string>

#include <caf/all.hpp>

#include "actors/engine/protocol.hpp"
#include "base/logging.hpp"

namespace ringdown::actors {

namespace {

spdlog::logger& logger() {
  static const auto lg = log::get("conference");
  return *lg;
}

struct registry_state {
  static inline const char* name = "conference.registry";
  // Not an aggregate: CAF 0.17 builds a state from the actor's own pointer
  // when it can, and C++20 would let that pointer initialise `home`.
  registry_state() = default;
  caf::actor home;
  std::string home_part;
};

/// `bridge/conference:<room>`: the first part to ask is the room's home
/// until it ends; then the registry ends too (the next part to ask a new
/// one starts the room afresh).
caf::behavior registry_behavior(caf::stateful_actor<registry_state>* self, actor_key key) {
  self->set_down_handler([self, key](const caf::down_msg& d) {
    if (d.source == self->state.home.address()) {
      logger().info("{}: the home part {} ended", key.to_string(), self->state.home_part);
      self->quit();
    }
  });
  return {
      [key](const key_moved& m) {
        // The room's home cannot move: the registry stays until the room
        // ends (rooms started meanwhile find the new owner's registry).
        logger().info("{}: now belongs to node {}; stays until its room ends",
                      key.to_string(), m.owner);
      },
      [self](const conference_home& req) {
        auto& st = self->state;
        if (!st.home) {
          st.home = req.actor;
          st.home_part = req.part;
          self->monitor(st.home);
        }
        return conference_home_is{st.home, st.home_part};
      },
  };
}

} // namespace

caf::actor spawn_conference_registry(caf::actor_system& sys, const actor_key& key) {
  return sys.spawn(registry_behavior, key);
}

} // namespace ringdown::actors
