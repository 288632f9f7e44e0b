// Loopback tests of the stack's client side over TCP: connection reuse,
// connect failure (RFC 3261 §8.1.3.1 503), inbound flow reuse.

#include <functional>

#include "tests/unit/transport/client_fixture.hpp"

using namespace ringdown;
using namespace ringdown::test;

TEST_CASE("tcp requests to one destination share one connection", "[transport][client]") {
  stack_fixture f;
  f.start();
  tcp::acceptor acceptor{f.io, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  const auto port = acceptor.local_endpoint().port();
  std::vector<std::unique_ptr<tcp_client>> accepted;
  std::function<void()> accept = [&] {
    acceptor.async_accept([&](const boost::system::error_code& ec, tcp::socket s) {
      if (ec)
        return;
      accepted.push_back(std::make_unique<tcp_client>(std::move(s)));
      accept();
    });
  };
  accept();
  std::vector<seen> got;
  const transport::peer dest{transport::protocol::tcp, "127.0.0.1", port, 0};
  for (const auto* id : {"t1@t", "t2@t"})
    f.stack->send_request(request_to("OPTIONS", port, id), dest,
                          [&](const sip::message& r, bool local) {
                            got.push_back({r.status_code(), local, {}});
                          });
  const auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto p = s.find("OPTIONS sip:"); p != std::string::npos;
         p = s.find("OPTIONS sip:", p + 1))
      ++n;
    return n;
  };
  REQUIRE(
      f.run_until([&] { return accepted.size() == 1 && count(accepted[0]->data) == 2; }));
  CHECK(f.stack->connections() == 1);
  const auto& data = accepted[0]->data;
  const auto second = data.find("OPTIONS sip:", 1);
  const auto first_req = parse(f.cfg, data.substr(0, second));
  CHECK(first_req.top_via()->transport == "TCP");
  CHECK(first_req.top_via()->port == f.tcp_port);
  accepted[0]->send(answer(f.cfg, data.substr(0, second), 200));
  accepted[0]->send(answer(f.cfg, data.substr(second), 200));
  REQUIRE(f.run_until([&] { return got.size() == 2; }));
  CHECK(got[0].status == 200);
  CHECK(got[1].status == 200);
  CHECK(accepted.size() == 1);
  CHECK(f.stack->probe().connections_opened == 1);
}

TEST_CASE("tcp connection refused gives a local 503", "[transport][client]") {
  stack_fixture f;
  f.start();
  std::uint16_t port = 0;
  {
    tcp::acceptor probe_port{f.io, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
    port = probe_port.local_endpoint().port();
  } // closed: nothing listens there now
  std::vector<seen> got;
  const auto h =
      f.stack->send_request(request_to("OPTIONS", port, "r1@t"),
                            transport::peer{transport::protocol::tcp, "127.0.0.1", port, 0},
                            [&](const sip::message& r, bool local) {
                              got.push_back({r.status_code(), local, {}});
                            });
  REQUIRE(h.id != 0);
  REQUIRE(f.run_until([&] { return !got.empty(); }));
  CHECK(got.size() == 1);
  CHECK(got[0].status == 503);
  CHECK(got[0].local);
  CHECK(f.run_until([&] { return f.stack->transactions() == 0; }));
}

TEST_CASE("request to an inbound tcp flow reuses it", "[transport][client]") {
  stack_fixture f;
  f.defer = true;
  f.start();
  tcp_client tc{f.io, f.tcp_port};
  tc.send(test::request_text("REGISTER", via_for("TCP", 5060), "", "reg@t"));
  REQUIRE(f.run_until([&] { return f.deferred.size() == 1; }));
  const auto source = f.deferred[0].second.source; // what a registrar keeps
  REQUIRE(source.connection_id != 0);
  std::vector<seen> got;
  f.stack->send_request(request_to("OPTIONS", 5060, "flow@t"), source,
                        [&](const sip::message& r, bool local) {
                          got.push_back({r.status_code(), local, {}});
                        });
  REQUIRE(f.run_until([&] { return tc.data.find("OPTIONS sip:") != std::string::npos; }));
  const auto req = tc.data.substr(tc.data.find("OPTIONS sip:"));
  CHECK(parse(f.cfg, req).top_via()->port == f.tcp_port);
  tc.send(answer(f.cfg, req, 200));
  REQUIRE(f.run_until([&] { return got.size() == 1; }));
  CHECK(got[0].status == 200);
  CHECK(f.stack->connections() == 1);
  CHECK(f.stack->probe().connections_opened == 1);
}
