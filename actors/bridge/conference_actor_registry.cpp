// The registry of a conference room: which part is the room's home
// (conference_actor.cpp has the parts).
#include <chrono>
#include <string>

#include <caf/all.hpp>

#include "actors/bridge/conference_registry.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/handover.hpp"
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
  bool handing_over = false;
};

/// The registry's key moved to another node (a node joined or left): the
/// room's home goes to the registry there, so parts that start later find
/// the same home, and this one forwards what still reaches it, then ends.
/// If the registry there has a home of its own already, ours is told to
/// link to it. A registry with no home just forwards.
void hand_over(caf::stateful_actor<registry_state>* self, const actor_key& key,
               directory& dir, const std::string& owner) {
  auto& st = self->state;
  if (st.handing_over)
    return;
  if (!st.home) {
    forward_after_handover(self, dir, key, caf::message_handler{});
    return;
  }
  const caf::actor next = dir.lookup_or_spawn(key);
  if (!next || next.address() == self->address()) {
    logger().warn("{}: the registry of node {} is unreachable: stays here until its room "
                  "ends",
                  key.to_string(), owner);
    return;
  }
  st.handing_over = true;
  self->request(next, std::chrono::seconds{2}, conference_home{st.home_part, st.home})
      .then(
          [self, key, &dir, owner](const conference_home_is& h) {
            auto& s = self->state;
            if (h.home == s.home) {
              logger().info("{}: handed the room's home {} to node {}", key.to_string(),
                            s.home_part, owner);
            } else {
              // A part started at the new owner during the move and became
              // a home there: ours links to it as a part, with the parts
              // linked to ours, and the room is one (a tree of bridges).
              logger().warn("{}: node {} already had home {} for the room; home {} links "
                            "to it",
                            key.to_string(), owner, h.part, s.home_part);
              self->send(s.home, conference_rehome{h.part, h.home});
            }
            self->demonitor(s.home);
            forward_after_handover(self, dir, key, caf::message_handler{});
          },
          [self, key, owner](const caf::error& err) {
            self->state.handing_over = false;
            logger().warn("{}: node {} did not take the room's home ({}): stays here",
                          key.to_string(), owner, caf::to_string(err));
          });
}

/// `bridge/conference:<room>`: the first part to ask is the room's home
/// until it ends; then the registry ends too (the next part to ask a new
/// one starts the room afresh).
caf::behavior registry_behavior(caf::stateful_actor<registry_state>* self, actor_key key,
                                directory* dir) {
  self->set_down_handler([self, key](const caf::down_msg& d) {
    if (d.source == self->state.home.address()) {
      logger().info("{}: the home part {} ended", key.to_string(), self->state.home_part);
      self->quit();
    }
  });
  return {
      [self, key, dir](const key_moved& m) { hand_over(self, key, *dir, m.owner); },
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

caf::actor spawn_conference_registry(caf::actor_system& sys, const actor_key& key,
                                     directory& dir) {
  return sys.spawn(registry_behavior, key, &dir);
}

} // namespace ringdown::actors
