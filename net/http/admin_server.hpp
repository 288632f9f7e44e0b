#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "net/http/probe.hpp"
#include "net/http/types.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace ringdown::http {

/// Limits and address of the admin HTTP server (config: admin.listen).
struct server_options {
  std::string listen = "127.0.0.1:8080";   ///< IP literal host:port; port 0 = ephemeral
  std::size_t body_max_bytes = 64 * 1024;  ///< larger: 413, then close
  std::size_t header_max_bytes = 8 * 1024; ///< request line + headers; larger: 431
  std::size_t connections_max = 64;        ///< accepted beyond it: closed at once
  std::uint32_t idle_timeout_ms = 10'000;  ///< per read (idle or slow request)
};

struct server_state;

/// The admin plane's HTTP/1.1 server (Boost.Beast, kept out of this
/// header): JSON in and out, keep-alive, the limits of server_options.
/// Routes map (method, "/path/{param}") to handlers (router.hpp); unknown
/// paths answer 404, other methods 405 with Allow, malformed requests 400
/// and a close; every error body is {"error": "..."}. GET /v1/health
/// ({"status":"ok"}) is always there. Logs on the "http" logger.
///
/// Owned by whoever runs the node (ringdownd's run(), a test). Every member
/// function runs on the io_context's thread, and that io_context is run by
/// one thread; counters() may be read from any thread. Connections still
/// open when the server is stopped or destroyed are closed.
class admin_server {
public:
  admin_server(boost::asio::io_context& io, server_options options);
  ~admin_server();
  admin_server(const admin_server&) = delete;
  admin_server& operator=(const admin_server&) = delete;

  /// Adds a route; call before start(). Duplicate routes are an invariant
  /// failure.
  void route(method m, std::string_view pattern, handler h);

  /// Binds options.listen and starts accepting; false with a one-line
  /// reason in `error` (bad address, port in use...).
  bool start(std::string& error);
  /// Stops accepting and closes every open connection. Idempotent.
  void stop();

  /// The bound port (the ephemeral one when listen asked for port 0); 0
  /// before start().
  [[nodiscard]] std::uint16_t port() const;
  /// Connections open now.
  [[nodiscard]] std::size_t connections() const;
  [[nodiscard]] http_counters counters() const;

private:
  class listener;
  boost::asio::io_context& io_;
  std::shared_ptr<server_state> state_;
  std::shared_ptr<listener> listener_;
};

} // namespace ringdown::http
