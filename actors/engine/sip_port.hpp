#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "net/sip/message.hpp"
#include "net/transport/peer.hpp"

namespace ringdown::actors {

/// One request handed to an actor: the parsed message (shared, read-only),
/// its server transaction and where it came from.
struct sip_request_event {
  std::shared_ptr<const sip::message> msg;
  std::uint64_t tx = 0;      ///< server transaction to answer (0 for an ACK)
  std::uint64_t cancels = 0; ///< CANCEL: the INVITE transaction it matches
  transport::peer source;    ///< the sender (transport, address, connection)
};

/// One response to a request an actor sent through `sip_port`.
struct sip_response_event {
  std::shared_ptr<const sip::message> msg;
  std::uint64_t request = 0; ///< the id `send_request` returned
  /// The transaction layer made this response itself: 408 on Timer B/F,
  /// 503 on a transport error (RFC 3261 §8.1.3.1).
  bool local = false;
};

/// The SIP signalling plane as the actors see it (ARCHITECTURE.md §3):
/// answer a server transaction, send a request in a client transaction,
/// send an ACK for a 2xx, cancel an INVITE. Thread-safe and non-blocking:
/// every call queues the work on the SIP I/O thread and returns. Responses
/// come back through the sink given with the request, on the I/O thread
/// (an actor's sink forwards them into its mailbox).
///
/// Production: `sip_gateway` over `transport::sip_stack`. Actor tests: a
/// recording port, no sockets.
class sip_port {
public:
  using response_sink = std::function<void(sip_response_event)>;

  virtual ~sip_port() = default;
  /// Sends `response` in server transaction `tx` (RFC 3261 §17.2).
  virtual void respond(std::uint64_t tx, sip::message response) = 0;
  /// Sends `request` to `destination` in a new client transaction; returns
  /// the request's id (never 0) for `cancel` and the response events.
  virtual std::uint64_t send_request(sip::message request, transport::peer destination,
                                     response_sink sink) = 0;
  /// CANCELs the INVITE sent as `request` (RFC 3261 §9.1: once it has a
  /// provisional response; not at all if it already completed).
  virtual void cancel(std::uint64_t request) = 0;
  /// Sends a message outside any transaction: the ACK for a 2xx (§13.2.2.4).
  virtual void send_stateless(sip::message message, transport::peer destination) = 0;
};

} // namespace ringdown::actors
