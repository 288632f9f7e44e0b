#pragma once

#include <memory>
#include <variant>
#include <vector>

#include "base/clock.hpp"
#include "net/sip/message.hpp"
#include "net/sip/timer.hpp"

/// Inputs and outputs of the RFC 3261 §17 transaction state machines
/// (`*_client_stm`, `*_server_stm`). All plain data.
///
/// How a shell (the transport thread driving a `transaction_table`) uses the
/// effects, in the order they come:
/// - `send_message`: hand the message to the transport the transaction
///   belongs to. A client transaction's requests (and the ACK it builds for
///   a non-2xx final) go to the destination the TU chose when it started the
///   transaction; a server transaction's responses go where RFC 3261 §18.2.2
///   / RFC 3581 §4 say (the connection the request came on when reliable).
///   A failure to send is fed back as `transport_error`.
/// - `arm_timer{name, deadline}`: start one real timer for `deadline`; when
///   it expires feed `timer_fired{name}` back with the clock's now. Arming a
///   name that is already armed replaces it: cancel the old real timer.
/// - `cancel_timer{name}`: cancel that real timer (the machine emits it only
///   for armed names; a `timer_fired` for a name not armed is ignored).
/// - `pass_to_tu`: give the message to the transaction user (the core).
/// - `tu_timeout` / `tu_transport_error`: tell the TU the transaction failed
///   (Timer B/F/H expiry, §17.1.4/§17.2.4 transport failure).
/// - `terminated`: always last; every timer was cancelled before it. Forget
///   the transaction.
namespace ringdown::sip {

/// Messages are shared read-only between a machine and its effects, so a
/// retransmission does not copy the message.
using message_ptr = std::shared_ptr<const message>;

// -- effects ----------------------------------------------------------------
struct send_message {
  message_ptr msg;
};
struct arm_timer {
  timer_name name;
  time_point deadline;
};
struct cancel_timer {
  timer_name name;
};
struct pass_to_tu {
  message_ptr msg;
};
struct tu_timeout {};
struct tu_transport_error {};
struct terminated {};

using transaction_effect = std::variant<send_message, arm_timer, cancel_timer, pass_to_tu,
                                        tu_timeout, tu_transport_error, terminated>;
using transaction_effects = std::vector<transaction_effect>;

// -- events -----------------------------------------------------------------
/// A response from the network matched to a client transaction (§17.1.3).
struct response_received {
  message_ptr msg;
};
/// A request from the network matched to a server transaction (§17.2.3): a
/// retransmission of the request, or the ACK of an INVITE transaction.
struct request_received {
  message_ptr msg;
};
/// A response the TU sends through a server transaction.
struct tu_response {
  message_ptr msg;
};
/// A timer armed by `arm_timer` expired.
struct timer_fired {
  timer_name name;
};
/// The transport failed to send the transaction's last message.
struct transport_error {};

using client_event = std::variant<response_received, timer_fired, transport_error>;
using server_event =
    std::variant<request_received, tu_response, timer_fired, transport_error>;

/// Wraps a message for the machines.
inline message_ptr share(message m) {
  return std::make_shared<const message>(std::move(m));
}

} // namespace ringdown::sip
