#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "net/http/admin_server.hpp"

namespace ringdown::http::test {

/// An admin_server on 127.0.0.1 (ephemeral port) whose io_context runs on a
/// thread of its own while the test talks to it over blocking sockets.
/// Routes are added by `setup` before the server starts.
class server_fixture {
public:
  template <typename Setup>
  explicit server_fixture(server_options options, Setup setup) {
    options.listen = "127.0.0.1:0";
    server_.emplace(io_, std::move(options));
    setup(*server_);
    std::string error;
    started_ = server_->start(error);
    error_ = error;
    port_ = server_->port();
    thread_ = std::thread{[this] { io_.run(); }};
  }

  ~server_fixture() {
    boost::asio::post(io_, [this] {
      server_.reset();
      io_.stop();
    });
    thread_.join();
  }

  server_fixture(const server_fixture&) = delete;
  server_fixture& operator=(const server_fixture&) = delete;

  [[nodiscard]] bool started() const { return started_; }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// Counters are atomics: safe to read from the test's thread.
  [[nodiscard]] http_counters counters() const { return server_->counters(); }

private:
  boost::asio::io_context io_;
  std::optional<admin_server> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
  bool started_ = false;
  std::string error_;
};

/// True once `done()` holds, polling for at most ~2 s: for what the server
/// counts just after the client has seen its effect (a close).
template <typename Done>
bool eventually(Done done) {
  for (int i = 0; i < 200 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  return done();
}

/// A blocking TCP client on 127.0.0.1 with a receive timeout.
class client {
public:
  explicit client(std::uint16_t port);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  [[nodiscard]] bool connected() const { return fd_ >= 0; }
  bool send(std::string_view bytes);

  struct reply {
    int status = 0;
    std::string head; ///< status line and headers
    std::string body;
    [[nodiscard]] std::string header(std::string_view name) const;
  };
  /// The next response (status 0 when none came: closed, reset, timeout).
  reply read_reply();
  /// True when the server closed the connection (EOF or reset) within the
  /// receive timeout and sent nothing more.
  bool closed_by_server();
  void close();

private:
  int fd_ = -1;
  std::string pending_;
};

} // namespace ringdown::http::test
