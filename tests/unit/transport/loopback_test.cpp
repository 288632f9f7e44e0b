// In-process loopback tests of the UDP and TCP transports: plain sockets on
// 127.0.0.1 talk to a sip_stack on ephemeral ports; the io_context runs in
// bounded run_for slices until the expected condition holds (no sleeps).

#include "tests/unit/transport/loopback_fixture.hpp"

using namespace ringdown;
using namespace ringdown::test;

TEST_CASE("udp loopback answers OPTIONS with 200 and rport", "[transport][loopback]") {
  stack_fixture f;
  f.start();
  udp_client client{f.io};
  client.send(test::request_text("OPTIONS", via_for("UDP", client.port(), ";rport")),
              f.udp_port);
  REQUIRE(f.run_until([&] { return !client.received.empty(); }));
  const auto& response = client.received.front();
  CHECK(response.starts_with("SIP/2.0 200"));
  CHECK(response.find("rport=" + std::to_string(client.port())) != std::string::npos);
  CHECK(response.find("received=127.0.0.1") != std::string::npos);
  CHECK(response.find("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS") != std::string::npos);
  CHECK(f.stack->probe().messages_in[0] == 1);
  CHECK(f.stack->probe().messages_out[0] == 1);
}

TEST_CASE("udp loopback answers a malformed request and drops garbage",
          "[transport][loopback]") {
  stack_fixture f;
  f.start();
  udp_client client{f.io};
  client.send("\x01\x02 this is not SIP\r\n\r\n", f.udp_port);
  REQUIRE(f.run_until([&] { return f.stack->probe().dropped == 1; }));
  CHECK(client.received.empty());

  auto bad = test::request_text("OPTIONS", via_for("UDP", client.port()));
  bad.replace(bad.find("Content-Length: 0"), 17, "Content-Length: 50");
  client.send(bad, f.udp_port);
  REQUIRE(f.run_until([&] { return !client.received.empty(); }));
  CHECK(client.received.front().starts_with("SIP/2.0 400"));
  CHECK(f.stack->probe().parse_errors_answered == 1);

  client.send(test::request_text("OPTIONS", via_for("UDP", client.port()), "", "c2@t"),
              f.udp_port);
  REQUIRE(f.run_until([&] { return client.received.size() == 2; }));
  CHECK(client.received.back().starts_with("SIP/2.0 200"));
}

TEST_CASE("tcp loopback answers on the same connection and pongs a ping",
          "[transport][loopback]") {
  stack_fixture f;
  f.start();
  tcp_client client{f.io, f.tcp_port};
  const auto local = client.socket.local_endpoint().port();
  client.send(test::request_text("INVITE", via_for("TCP", local)));
  REQUIRE(f.run_until([&] { return client.data.find("\r\n\r\n") != std::string::npos; }));
  CHECK(client.data.starts_with("SIP/2.0 405"));
  CHECK(f.stack->connections() == 1);
  client.data.clear();
  client.send("\r\n\r\n");
  REQUIRE(f.run_until([&] { return client.data == "\r\n"; }));
  CHECK(f.stack->probe().keepalive_pings == 1);
  CHECK(f.stack->probe().messages_out[1] == 1);
}

TEST_CASE("tcp connections beyond connections_max are refused",
          "[transport][loopback][limits]") {
  stack_fixture f;
  f.cfg.transport.connections_max = 1;
  f.start();
  tcp_client first{f.io, f.tcp_port};
  first.send(
      test::request_text("OPTIONS", via_for("TCP", first.socket.local_endpoint().port())));
  REQUIRE(f.run_until([&] { return first.data.starts_with("SIP/2.0 200"); }));
  tcp_client second{f.io, f.tcp_port};
  REQUIRE(f.run_until([&] { return second.eof; }));
  CHECK(f.stack->probe().connections_refused == 1);
  CHECK(f.stack->connections() == 1);
  CHECK_FALSE(first.eof);
}

TEST_CASE("idle tcp connection is closed after connection_idle_s",
          "[transport][loopback][limits]") {
  stack_fixture f;
  f.cfg.transport.connection_idle_s = 2;
  f.start();
  tcp_client client{f.io, f.tcp_port};
  client.send(
      test::request_text("OPTIONS", via_for("TCP", client.socket.local_endpoint().port())));
  REQUIRE(f.run_until([&] { return client.data.starts_with("SIP/2.0 200"); }));
  f.clk.advance(std::chrono::seconds{1});
  f.run_until([] { return false; }, 60); // several sweeps, still within the limit
  CHECK(f.stack->connections() == 1);
  f.clk.advance(std::chrono::seconds{1});
  REQUIRE(f.run_until([&] { return client.eof; }));
  CHECK(f.stack->probe().connections_idle_closed == 1);
  CHECK(f.stack->connections() == 0);
}

TEST_CASE("shutdown closes listeners and connections", "[transport][loopback]") {
  stack_fixture f;
  f.start();
  tcp_client client{f.io, f.tcp_port};
  REQUIRE(f.run_until([&] { return f.stack->connections() == 1; }));
  f.stack->shutdown();
  REQUIRE(f.run_until([&] { return client.eof; }));
  CHECK(f.stack->connections() == 0);
  boost::system::error_code ec;
  tcp::socket late{f.io};
  late.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), f.tcp_port}, ec);
  CHECK(ec);
}
