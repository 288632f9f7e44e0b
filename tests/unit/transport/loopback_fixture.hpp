#pragma once

// Shared by the loopback tests: a sip_stack with ringdownd's responder on
// 127.0.0.1 ephemeral ports, plain UDP/TCP client sockets, and a bounded
// run loop (the io_context runs in 5 ms slices until a condition holds).

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include "apps/ringdownd/request_responder.hpp"
#include "base/clock.hpp"
#include "base/random.hpp"
#include "net/transport/sip_stack.hpp"
#include "tests/unit/transport/sip_text.hpp"

namespace ringdown::test {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using protocol = config::listen_address::protocol;

struct stack_fixture {
  asio::io_context io;
  manual_clock clk;
  config::node_config cfg;
  rng gen{7};
  id_generator ids{gen, "test"};
  ringdownd::request_responder responder{ids, "Ringdown/test"};
  std::unique_ptr<transport::sip_stack> stack;
  std::uint16_t udp_port = 0;
  std::uint16_t tcp_port = 0;
  int tu_calls = 0;
  bool defer = false; ///< keep requests in `deferred` instead of answering
  std::vector<std::pair<sip::message, transport::server_tx_handle>> deferred;

  void answer_deferred() {
    for (auto& [request, tx] : deferred)
      if (auto response = responder.respond(request, tx.cancels != 0))
        stack->respond(tx, *response);
    deferred.clear();
  }

  void start() {
    stack = std::make_unique<transport::sip_stack>(
        io, cfg, clk, ids,
        [this](const sip::message& request, transport::server_tx_handle tx) {
          ++tu_calls;
          if (defer) {
            deferred.emplace_back(request, tx);
            return;
          }
          if (auto response = responder.respond(request, tx.cancels != 0))
            stack->respond(tx, *response);
        });
    std::string error;
    REQUIRE(stack->listen({protocol::udp, "127.0.0.1", 0}, error));
    REQUIRE(stack->listen({protocol::tcp, "127.0.0.1", 0}, error));
    for (const auto& l : stack->listeners())
      (l.proto == protocol::udp ? udp_port : tcp_port) = l.port;
    REQUIRE(udp_port != 0);
    REQUIRE(tcp_port != 0);
  }

  /// Runs the io_context in 5 ms slices until `done()` or ~5 s of slices.
  template <class Pred>
  bool run_until(Pred done, int slices = 1000) {
    for (int i = 0; i < slices && !done(); ++i) {
      io.restart();
      io.run_for(std::chrono::milliseconds{5});
    }
    return done();
  }
};

/// A UDP client socket collecting every datagram it receives.
struct udp_client {
  explicit udp_client(asio::io_context& io)
      : socket(io, udp::endpoint{asio::ip::make_address("127.0.0.1"), 0}) {
    receive();
  }
  void receive() {
    socket.async_receive_from(asio::buffer(buffer), from,
                              [this](const boost::system::error_code& ec, std::size_t n) {
                                if (ec)
                                  return;
                                received.emplace_back(buffer.data(), n);
                                receive();
                              });
  }
  void send(const std::string& text, std::uint16_t port) {
    socket.send_to(asio::buffer(text),
                   udp::endpoint{asio::ip::make_address("127.0.0.1"), port});
  }
  [[nodiscard]] std::uint16_t port() const { return socket.local_endpoint().port(); }
  udp::socket socket;
  udp::endpoint from;
  std::array<char, 65'536> buffer{};
  std::vector<std::string> received;
};

/// A TCP client socket accumulating what it reads until EOF.
struct tcp_client {
  tcp_client(asio::io_context& io, std::uint16_t port) : socket(io) {
    socket.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
    read();
  }
  explicit tcp_client(tcp::socket accepted) : socket(std::move(accepted)) { read(); }
  void read() {
    socket.async_read_some(asio::buffer(buffer),
                           [this](const boost::system::error_code& ec, std::size_t n) {
                             if (ec) {
                               eof = true;
                               return;
                             }
                             data.append(buffer.data(), n);
                             read();
                           });
  }
  void send(const std::string& text) { asio::write(socket, asio::buffer(text)); }
  tcp::socket socket;
  std::array<char, 16'384> buffer{};
  std::string data;
  bool eof = false;
};

inline std::string via_for(std::string_view proto, std::uint16_t port,
                           std::string_view params = "") {
  std::string v{"SIP/2.0/"};
  v += proto;
  v += " 127.0.0.1:" + std::to_string(port) + ";branch=z9hG4bK" + std::to_string(port);
  v += params;
  return v;
}

} // namespace ringdown::test
