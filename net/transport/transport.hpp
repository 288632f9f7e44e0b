#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "config/config.hpp"
#include "net/transport/peer.hpp"
#include "net/transport/transport_probe.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace ringdown::transport {

/// Called on the I/O thread with one complete message: a datagram, or a
/// frame cut from a stream by `sip::stream_framer`. `from.connection_id`
/// names the stream connection it arrived on. `bytes` is valid only during
/// the call.
using receive_handler = std::function<void(const peer& from, std::string_view bytes)>;
/// Called on the I/O thread when an outbound stream connection closes
/// before it was ever established (connect refused, TLS handshake failed or
/// timed out): what was queued on it was never sent.
using connect_failed_handler = std::function<void(std::uint64_t connection_id)>;

/// What every transport borrows from the `sip_stack` that owns it.
struct transport_context {
  boost::asio::io_context& io;
  const config::node_config& cfg;
  const ringdown::clock& clk;
  transport_probe& probe;
  receive_handler on_receive;
  connect_failed_handler on_connect_failed;
  /// The next stream connection id, shared by every transport of the stack
  /// so that an id names one connection stack-wide.
  std::uint64_t& next_connection_id;
};

/// One SIP listener (RFC 3261 §18): a bound UDP socket, or a TCP/TLS
/// acceptor with its table of connections. Owned by the `sip_stack`; lives
/// on the single I/O thread that runs the io_context (no locking inside).
class transport {
public:
  virtual ~transport() = default;
  transport() = default;
  transport(const transport&) = delete;
  transport& operator=(const transport&) = delete;

  [[nodiscard]] virtual protocol proto() const noexcept = 0;
  /// The bound address (the actual port when port 0 was asked).
  [[nodiscard]] virtual config::listen_address local() const = 0;
  /// Queues one message to `to`. Stream transports reuse the connection
  /// `to.connection_id` if it is still open, else an open connection to
  /// to.host:to.port, else connect a new one (refused beyond
  /// connections_max). Returns false when the message could not even be
  /// queued (no IP address, closed, over a limit); later asynchronous
  /// failures are only counted (and a connection that never opened is
  /// reported through `on_connect_failed`). `used`, when non-null, gets the
  /// connection the bytes were queued on (0 for UDP). Never throws.
  virtual bool send(const peer& to, std::string bytes, std::uint64_t* used) = 0;
  /// Stops accepting and receiving and closes every connection.
  virtual void close() = 0;
  /// True when stream connection `id` belongs to this transport and is open.
  [[nodiscard]] virtual bool has_connection(std::uint64_t id) const noexcept = 0;
  /// Number of open connections (0 for UDP).
  [[nodiscard]] virtual std::size_t connections() const noexcept = 0;
};

/// Binds a UDP listener; nullptr and `error` set when binding fails.
std::unique_ptr<transport> make_udp_transport(const transport_context& ctx,
                                              const config::listen_address& where,
                                              std::string& error);
/// Binds a TCP or TLS listener (TLS: TLS 1.2 minimum, certificate and key
/// from cfg.tls_certificate / cfg.tls_private_key); nullptr and `error`
/// set when binding or loading the certificate fails.
std::unique_ptr<transport> make_stream_transport(const transport_context& ctx,
                                                 const config::listen_address& where,
                                                 std::string& error);

} // namespace ringdown::transport
