#include "actors/engine/handover.hpp"

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message_handler.hpp>
#include <caf/message_view.hpp>
#include <caf/sec.hpp>

#include "actors/engine/directory.hpp"
#include "actors/engine/protocol.hpp"
#include "base/logging.hpp"

namespace ringdown::actors {

namespace {

using forward_end_atom = caf::atom_constant<caf::atom("fwdend")>;

} // namespace

void forward_after_handover(caf::event_based_actor* self, directory& dir, actor_key key,
                            const caf::message_handler& local,
                            std::chrono::milliseconds grace) {
  dir.forget(key, self->address());
  self->set_default_handler([&dir, key](caf::scheduled_actor* s,
                                        caf::message_view& x) -> caf::result<caf::message> {
    const caf::actor owner = dir.lookup_or_spawn(key);
    if (!owner || owner.address() == s->address()) {
      log::get("cluster.directory")
          ->warn("{}: a message after the hand-over found no owner", key.to_string());
      return caf::sec::request_receiver_down;
    }
    return s->delegate(owner, x.move_content_to_message());
  });
  self->become(
      local.or_else([](const key_moved&) {}, [self](forward_end_atom) { self->quit(); }));
  self->delayed_send(self, grace, forward_end_atom::value);
}

} // namespace ringdown::actors
