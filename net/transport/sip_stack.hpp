#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/ids.hpp"
#include "config/config.hpp"
#include "net/sip/message.hpp"
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
};

/// The SIP stack of one node: the transports (UDP, TCP, TLS listeners),
/// the parser, Via stamping (RFC 3261 §18.2.1, RFC 3581), response routing
/// (§18.2.2) and the server transactions (§17.2, `sip::transaction_table`
/// driven here: its timers become Asio timers, its sends go to the
/// transport the request came on), tied together. Retransmitted requests
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

  /// Stops accepting and receiving, closes every connection, cancels every
  /// timer. Idempotent; the io_context then runs out of work.
  void shutdown();

  [[nodiscard]] const transport_probe& probe() const noexcept;
  /// Open TCP/TLS connections over all listeners.
  [[nodiscard]] std::size_t connections() const noexcept;
  /// Server transactions not yet terminated (RFC 3261 §17.2).
  [[nodiscard]] std::size_t transactions() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace ringdown::transport
