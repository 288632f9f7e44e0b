// Loopback tests of the stack's server transactions (RFC 3261 §17.2):
// retransmissions, CANCEL matching, ACK absorption, timers, and response
// routing over a new or reused TCP connection (§18.2.2).

#include <functional>

#include "tests/unit/transport/loopback_fixture.hpp"

using namespace ringdown;
using namespace ringdown::test;

namespace {
std::string to_tag_of(const std::string& response) {
  const auto to = response.find("\r\nTo:");
  const auto tag = response.find(";tag=", to);
  const auto end = response.find_first_of(";>\r", tag + 5);
  return response.substr(tag + 5, end - tag - 5);
}
} // namespace

TEST_CASE("udp retransmitted INVITE is answered by its transaction",
          "[transport][loopback][tx]") {
  stack_fixture f;
  f.start();
  udp_client client{f.io};
  const auto invite =
      test::request_text("INVITE", via_for("UDP", client.port()), "", "inv@t");
  client.send(invite, f.udp_port);
  REQUIRE(f.run_until([&] { return client.received.size() == 1; }));
  client.send(invite, f.udp_port);
  REQUIRE(f.run_until([&] { return client.received.size() == 2; }));
  CHECK(client.received[0].starts_with("SIP/2.0 405"));
  CHECK(client.received[1] == client.received[0]);
  CHECK(f.tu_calls == 1);
  CHECK(f.stack->transactions() == 1);

  // CANCEL of the (already answered) INVITE matches it: 200 (RFC 3261 9.2).
  auto cancel = invite;
  cancel.replace(0, 6, "CANCEL");
  cancel.replace(cancel.find("CSeq: 7 INVITE"), 14, "CSeq: 7 CANCEL");
  client.send(cancel, f.udp_port);
  REQUIRE(f.run_until([&] { return client.received.size() == 3; }));
  CHECK(client.received[2].starts_with("SIP/2.0 200"));
  CHECK(client.received[2].find("CSeq: 7 CANCEL") != std::string::npos);

  // The ACK for the 405 is absorbed by the INVITE transaction.
  auto ack = test::request_text("ACK", via_for("UDP", client.port()), "", "inv@t");
  ack.replace(ack.find("To: <sip:ringdown@127.0.0.1>"), 28,
              "To: <sip:ringdown@127.0.0.1>;tag=" + to_tag_of(client.received[0]));
  client.send(ack, f.udp_port);
  const auto in_before = f.stack->probe().messages_in[0].load();
  REQUIRE(f.run_until([&] { return f.stack->probe().messages_in[0] == in_before + 1; }));
  f.run_until([] { return false; }, 20);
  CHECK(client.received.size() == 3);
  CHECK(f.tu_calls == 2); // the INVITE and the CANCEL, not the ACK
}

TEST_CASE("udp CANCEL matching no transaction gets 481", "[transport][loopback][tx]") {
  stack_fixture f;
  f.start();
  udp_client client{f.io};
  client.send(test::request_text("CANCEL", via_for("UDP", client.port())), f.udp_port);
  REQUIRE(f.run_until([&] { return client.received.size() == 1; }));
  CHECK(client.received[0].starts_with("SIP/2.0 481"));
}

TEST_CASE("transaction timers run on the io_context", "[transport][loopback][tx]") {
  stack_fixture f;
  f.cfg.timers.t1_ms = 10; // Timer G every 10 ms and up, H and J after 640 ms
  f.cfg.timers.t2_ms = 40;
  f.start();
  udp_client client{f.io};
  client.send(test::request_text("OPTIONS", via_for("UDP", client.port()), "", "j@t"),
              f.udp_port);
  client.send(
      test::request_text("INVITE", via_for("UDP", client.port() + 1, ";rport"), "", "g@t"),
      f.udp_port);
  REQUIRE(f.run_until([&] { return client.received.size() >= 2; }));
  CHECK(f.stack->transactions() == 2);
  // No ACK: Timer G retransmits the 405 (RFC 3261 17.2.1) until Timer H.
  REQUIRE(f.run_until([&] { return client.received.size() >= 4; }));
  std::size_t invites = 0;
  for (const auto& r : client.received)
    invites += r.starts_with("SIP/2.0 405") ? 1 : 0;
  CHECK(invites >= 3);
  // Timers J and H end both transactions.
  REQUIRE(f.run_until([&] { return f.stack->transactions() == 0; }));
}

TEST_CASE("tcp response opens a connection to sent-by and reuses it",
          "[transport][loopback][reuse]") {
  stack_fixture f;
  f.defer = true;
  f.start();
  // The client's "listening" side: where its Via sent-by points.
  tcp::acceptor acceptor{f.io, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  const auto sent_by_port = acceptor.local_endpoint().port();
  std::vector<std::unique_ptr<tcp_client>> accepted;
  int accepts = 0;
  std::function<void()> accept_next = [&] {
    acceptor.async_accept([&](const boost::system::error_code& ec, tcp::socket s) {
      if (ec)
        return;
      ++accepts;
      auto c = std::make_unique<tcp_client>(std::move(s));
      accepted.push_back(std::move(c));
      accept_next();
    });
  };
  accept_next();

  for (int i = 0; i < 2; ++i) {
    tcp_client client{f.io, f.tcp_port};
    client.send(test::request_text("OPTIONS", via_for("TCP", sent_by_port), "",
                                   "reuse" + std::to_string(i) + "@t"));
    REQUIRE(f.run_until([&] { return f.deferred.size() == 1; }));
    // The request's connection goes away before the answer (RFC 3261 18.2.2).
    client.socket.close();
    REQUIRE(f.run_until([&] { return client.eof; })); // its read handler has run
    REQUIRE(f.run_until([&] { return f.stack->connections() == (i == 0 ? 0U : 1U); }));
    f.answer_deferred();
    REQUIRE(f.run_until([&] {
      return !accepted.empty() && accepted.front()->data.find("reuse" + std::to_string(i) +
                                                              "@t") != std::string::npos;
    }));
  }
  CHECK(accepts == 1); // the second response reused the connection the first opened
  CHECK(accepted.front()->data.starts_with("SIP/2.0 200"));
  CHECK(f.stack->probe().connections_opened == 3);
}

TEST_CASE("unroutable response ends its transaction with a transport error",
          "[transport][loopback][tx]") {
  stack_fixture f;
  f.start();
  udp_client client{f.io};
  // maddr names a host: no DNS here, so the response cannot be sent.
  client.send(
      test::request_text("OPTIONS",
                         "SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKun;maddr=bad.invalid"),
      f.udp_port);
  REQUIRE(f.run_until([&] { return f.tu_calls == 1; }));
  CHECK(f.stack->probe().dropped == 1);
  CHECK(f.stack->transactions() == 0); // §17.2.4: terminated at once
  CHECK(client.received.empty());
}
