#pragma once

#include <chrono>

#include <caf/fwd.hpp>

#include "actors/engine/actor_key.hpp"

namespace ringdown::actors {

class directory;

/// How long an actor that handed its key over keeps forwarding.
inline constexpr std::chrono::seconds handover_forward_grace{5};

/// Turns an actor that handed its key over to another node into a
/// forwarder for `grace`, then it quits. The directory forgets it at once
/// (the next lookup of the key here goes to the owner, or spawns anew if
/// the key comes back). Every message still sent to it, by a caller that
/// looked the key up before the view changed, is delegated to the key's
/// current owner through `dir`, so the caller gets the owner's answer:
/// re-routed, not lost (a message that finds no owner gets the error
/// `request_receiver_down`). `local` handles first what must not leave
/// the node (a SIP transaction of our stack, a response to one, the
/// actor's own timers); further `key_moved` messages are dropped. `dir`
/// outlives the actor.
void forward_after_handover(caf::event_based_actor* self, directory& dir, actor_key key,
                            const caf::message_handler& local,
                            std::chrono::milliseconds grace = handover_forward_grace);

} // namespace ringdown::actors
