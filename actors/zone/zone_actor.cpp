// The zone actor (`zone/<zone>`): what the zone decides alone among all
// the calls of the node — today trunk admission (call_admission control,
// RFC 3261 §21.5.4 503 + Retry-After), over call::trunk_admission.

#include <caf/all.hpp>

#include "actors/call/trunk_admission.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/handover.hpp"
#include "actors/engine/protocol.hpp"
#include "base/logging.hpp"
#include "storage/provisioning_store.hpp"

namespace ringdown::actors {

namespace {

spdlog::logger& logger() {
  static const auto lg = log::get("zone");
  return *lg;
}

struct zone_state {
  static inline const char* name = "zone";
  call::trunk_admission admission;
  std::string zone;
  engine_services* services = nullptr;
  std::uint64_t admitted = 0; ///< slots taken and not yet given back
  std::string moved_to;       ///< key_moved: hand over once no slot is taken
};

/// The zone's key moved to another node: with no call holding a trunk
/// slot the actor hands over (the new owner starts from zero; this one
/// forwards late messages for a while, then quits); otherwise it
/// counts the slots back first.
void hand_over_if_idle(caf::stateful_actor<zone_state>* self) {
  auto& st = self->state;
  if (st.moved_to.empty() || st.admitted > 0)
    return;
  logger().info("zone {}: handed over to node {}", st.zone, st.moved_to);
  forward_after_handover(self, *st.services->dir, actor_key{actor_kind::zone, st.zone},
                         caf::message_handler{});
}

caf::behavior zone_behavior(caf::stateful_actor<zone_state>* self, actor_key key,
                            engine_services* services) {
  self->state.zone = key.name;
  self->state.services = services;
  return {
      [self, services](const trunk_admit& req) {
        auto& st = self->state;
        // Limits come from the provisioning at each admission, so a
        // re-applied file resizes a trunk without dropping its calls.
        const auto trunk = services->provisioning->trunk(req.trunk);
        if (!trunk || trunk->zone != st.zone)
          return trunk_verdict{false, 404, 0};
        st.admission.configure(trunk->name, trunk->calls_max);
        const auto v = st.admission.admit(trunk->name);
        if (v.admitted)
          ++st.admitted;
        if (!v.admitted)
          logger().info("zone {}: trunk {} full ({} calls): {}", st.zone, trunk->name,
                        st.admission.current(trunk->name), v.status);
        return trunk_verdict{v.admitted, v.status, v.retry_after_s};
      },
      [self](const trunk_release& rel) {
        auto& st = self->state;
        st.admission.release(rel.trunk);
        if (st.admitted > 0)
          --st.admitted;
        hand_over_if_idle(self);
      },
      [self](const key_moved& m) {
        self->state.moved_to = m.owner;
        hand_over_if_idle(self);
      },
  };
}

} // namespace

caf::actor spawn_zone(caf::actor_system& sys, const actor_key& key,
                      engine_services& services) {
  return sys.spawn(zone_behavior, key, &services);
}

} // namespace ringdown::actors
