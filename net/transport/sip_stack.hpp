#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/ids.hpp"
#include "config/config.hpp"
#include "net/sip/message.hpp"
#include "net/transport/peer.hpp"
#include "net/transport/transport_probe.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace ringdown::transport {

/// Names one server transaction the transaction user must answer through
/// `sip_stack::respond`. Plain value; stale handles are ignored.
struct server_tx_handle {
  std::uint64_t id = 0;
  /// For a CANCEL: the live INVITE server transaction it matches (RFC 3261
  /// §9.2), 0 when none.
  std::uint64_t cancels = 0;
  /// Where the request came from: protocol, address, port and, for TCP/TLS,
  /// the connection (a request sent to this peer reuses that flow while it
  /// is open). A registrar stores it with the binding.
  peer source;
};

/// Names one client transaction started by `sip_stack::send_request`; for
/// `sip_stack::cancel`. Plain value; 0 = none; stale handles are ignored.
struct client_tx_handle {
  std::uint64_t id = 0;
};

/// The SIP stack of one node: the transports (UDP, TCP, TLS listeners),
/// the parser, Via stamping (RFC 3261 §18.2.1, RFC 3581), response routing
/// (§18.2.2) and the transactions (§17, `sip::transaction_table` driven
/// here: its timers become Asio timers; a server transaction's sends go to
/// the transport the request came on, a client transaction's to the
/// destination the TU chose), tied together. Retransmitted requests
/// are absorbed by their transaction and never reach the handler.
///
/// Threading: everything runs on the one thread that runs the io_context
/// passed in (ringdownd runs it on its main thread). The request handler is
/// called on that thread and may call `respond` at once or later, on that
/// thread. Only `probe()` may be read from other threads.
///
/// Malformed messages never reach the handler: answerable requests get the
/// parser's 400/413/414, the rest are dropped and counted. Beyond
/// cfg.transactions_max live transactions a new request gets 503.
class sip_stack {
public:
  /// A new server transaction's request (ACKs that match no transaction
  /// come with a zero handle and need no answer).
  using request_handler =
      std::function<void(const sip::message& request, server_tx_handle tx)>;
  /// A response passed up by a client transaction: every 1xx, the final,
  /// and for INVITE the RFC 6026 Accepted-state 2xx retransmissions.
  /// `local` is true for a response the stack synthesized from the request
  /// (RFC 3261 §8.1.3.1): 408 on Timer B/F expiry, 503 on a transport
  /// error (no listener for the protocol, connect or TLS failure, send
  /// failure); it is then the transaction's last call.
  using response_handler = std::function<void(const sip::message& response, bool local)>;

  /// `ids` supplies To-tags for the stack's own error responses; all the
  /// references must outlive the stack.
  sip_stack(boost::asio::io_context& io, const config::node_config& cfg,
            const ringdown::clock& clk, id_generator& ids, request_handler on_request);
  ~sip_stack();
  sip_stack(const sip_stack&) = delete;
  sip_stack& operator=(const sip_stack&) = delete;

  /// Opens one listener; false with `error` naming the address on failure.
  bool listen(const config::listen_address& where, std::string& error);
  /// The bound listeners, actual ports filled in.
  [[nodiscard]] std::vector<config::listen_address> listeners() const;

  /// Sends `response` in transaction `tx`, to the address RFC 3261 §18.2.2
  /// and RFC 3581 §4 give. A final response completes the transaction.
  void respond(server_tx_handle tx, const sip::message& response);

  /// Starts a client transaction (RFC 3261 §17.1): prepends a top Via
  /// (transport of `destination`, sent-by = our listener of that protocol,
  /// a fresh z9hG4bK branch, rport), then sends the request: UDP from the
  /// listening socket (Timer A/E retransmissions), TCP/TLS over the
  /// connection `destination.connection_id` or an open one to its
  /// address, else a new one (messages queue while it connects). The
  /// request must not be ACK (use `send_stateless`). A zero handle when
  /// there is no listener of that protocol, the table is full or the
  /// request is malformed; `on_response` is then never called. A send failure is reported
  /// as a local 503, later. A non-empty `branch` (z9hG4bK..., unique) is
  /// used for our Via instead of a fresh one: a proxy's loop-detecting
  /// branch (RFC 3261 §16.6 step 8); a duplicate gives a zero handle.
  client_tx_handle send_request(sip::message request, const peer& destination,
                                response_handler on_response, std::string_view branch = {});
  /// CANCELs an INVITE client transaction (RFC 3261 §9.1): the CANCEL
  /// (same Request-URI, Call-ID, From, To, CSeq number, top Via, Route) is
  /// its own non-INVITE transaction to the same destination, sent once a
  /// provisional response has arrived (at once if one has). No CANCEL when
  /// the INVITE has a final response; a second call is ignored. The
  /// CANCEL's own 200 is not passed up; the INVITE's 487 is.
  void cancel(client_tx_handle tx);
  /// Sends outside any transaction: the ACK of a 2xx (§13.2.2.4,
  /// §17.1.1.3) or a response. A request gets a top Via stamped as in
  /// `send_request` (new branch); a response is sent as given.
  void send_stateless(const sip::message& request_or_response, const peer& destination);
  /// Receives every 2xx to an INVITE that matches no client transaction
  /// (RFC 6026 §7.3: the core may ACK it); other stray responses are
  /// counted (`probe().stray_responses`) and dropped.
  void on_stray_2xx(std::function<void(const sip::message& response)> handler);

  /// Stops accepting and receiving, closes every connection, cancels every
  /// timer. Idempotent; the io_context then runs out of work.
  void shutdown();

  [[nodiscard]] const transport_probe& probe() const noexcept;
  /// Open TCP/TLS connections over all listeners.
  [[nodiscard]] std::size_t connections() const noexcept;
  /// Transactions (client and server) not yet terminated (RFC 3261 §17).
  [[nodiscard]] std::size_t transactions() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace ringdown::transport
