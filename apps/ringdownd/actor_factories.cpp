#include "apps/ringdownd/actor_factories.hpp"

#include <caf/actor.hpp>

#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"

namespace ringdown::ringdownd {

void register_actor_factories(actors::local_directory& dir,
                              actors::engine_services& services) {
  using actors::actor_kind;
  auto* s = &services;
  // registrar
  dir.set_factory(actor_kind::registrar,
                  [s](caf::actor_system& sys, const actors::actor_key& k) {
                    return actors::spawn_registrar(sys, k, *s);
                  });
  // dialog
  dir.set_factory(actor_kind::dialog,
                  [s](caf::actor_system& sys, const actors::actor_key& k) {
                    return actors::spawn_call(sys, k, *s);
                  });
  // zone
  dir.set_factory(actor_kind::zone,
                  [s](caf::actor_system& sys, const actors::actor_key& k) {
                    return actors::spawn_zone(sys, k, *s);
                  });
  // bridge: conference parts
  dir.set_factory(actor_kind::bridge,
                  [s](caf::actor_system& sys, const actors::actor_key& k) {
                    return actors::spawn_conference(sys, k, *s);
                  });
  // line
  dir.set_factory(actor_kind::line,
                  [s](caf::actor_system& sys, const actors::actor_key& k) {
                    return actors::spawn_line(sys, k, *s);
                  });
}

} // namespace ringdown::ringdownd
