#pragma once

// Internal to the stream transport: includes Asio and OpenSSL, so only
// stream_transport.cpp and stream_connection.cpp include it.

#include <deque>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/sip/stream_framer.hpp"
#include "net/transport/transport.hpp"

namespace ringdown::transport {

class stream_connection;

/// What a connection reports to the transport that owns it.
class connection_owner {
public:
  virtual void on_message(const stream_connection& c, std::string_view bytes) = 0;
  virtual void on_closed(const stream_connection& c) = 0;

protected:
  ~connection_owner() = default;
};

/// One TCP or TLS connection (RFC 3261 §18.3): reads, cuts the stream into
/// messages with `sip::stream_framer`, answers RFC 5626 CRLFCRLF pings with
/// CRLF, and writes queued messages in order. Owned (shared) by its
/// `stream_transport` and by its pending Asio handlers; I/O thread only.
class stream_connection : public std::enable_shared_from_this<stream_connection> {
public:
  using tcp = boost::asio::ip::tcp;
  using tls_stream = boost::asio::ssl::stream<tcp::socket>;
  /// Bytes queued for writing beyond which the connection is closed.
  static constexpr std::size_t write_queue_bytes_max = 4U << 20U;

  /// `tls` non-null makes it a TLS connection. `owner_alive` turns false
  /// when the owner is destroyed; the connection then never calls it.
  stream_connection(connection_owner& owner, std::shared_ptr<bool> owner_alive,
                    const transport_context& ctx, peer remote, tcp::socket socket,
                    boost::asio::ssl::context* tls);

  /// Accepted connection: TLS handshake (bounded) if TLS, then reading.
  void start_server();
  /// Outbound connection: connect, TLS handshake if TLS, then reading.
  void start_client(const tcp::endpoint& to);
  /// Queues bytes; sent once the connection is established.
  void write(std::string bytes);
  /// Closes the socket and tells the owner; idempotent.
  void close();

  [[nodiscard]] std::uint64_t id() const noexcept { return remote_.connection_id; }
  [[nodiscard]] const peer& remote() const noexcept { return remote_; }
  [[nodiscard]] time_point last_active() const noexcept { return last_active_; }
  /// True once connected (and TLS-handshaken); stays true after close.
  [[nodiscard]] bool was_established() const noexcept { return established_; }

private:
  template <class F>
  void with_stream(F&& f) {
    if (tls_)
      f(*tls_);
    else
      f(socket_);
  }
  tcp::socket& lowest() { return tls_ ? tls_->next_layer() : socket_; }
  void handshake(boost::asio::ssl::stream_base::handshake_type type);
  void established();
  void read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void write_next();
  void touch() { last_active_ = ctx_.clk.now(); }

  connection_owner& owner_;
  std::shared_ptr<bool> owner_alive_;
  transport_context ctx_;
  peer remote_;
  tcp::socket socket_;
  std::unique_ptr<tls_stream> tls_;
  boost::asio::steady_timer handshake_timer_;
  sip::stream_framer framer_;
  std::array<char, 16'384> read_buffer_{};
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  time_point last_active_;
  bool open_ = false;
  bool established_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

} // namespace ringdown::transport
