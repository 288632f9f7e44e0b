// Loopback tests of the stack's client side over UDP (RFC 3261 §17.1,
// §9.1, §13.2.2.4, §8.1.3.1, RFC 6026 §7.3): a raw UDP peer on 127.0.0.1
// answers (or ignores) what the stack sends.

#include "tests/unit/transport/client_fixture.hpp"

using namespace ringdown;
using namespace ringdown::test;

TEST_CASE("client OPTIONS over udp is answered 200", "[transport][client]") {
  stack_fixture f;
  f.start();
  udp_client peer{f.io};
  std::vector<seen> got;
  const auto h =
      f.stack->send_request(request_to("OPTIONS", peer.port(), "o1@t"),
                            udp_peer(peer.port()), [&](const sip::message& r, bool local) {
                              got.push_back({r.status_code(), local, {}});
                            });
  REQUIRE(h.id != 0);
  REQUIRE(f.run_until([&] { return peer.received.size() == 1; }));
  const auto req = parse(f.cfg, peer.received[0]);
  const auto via = req.top_via();
  REQUIRE(via);
  CHECK(via->transport == "UDP");
  CHECK(via->port == f.udp_port);
  CHECK(via->branch().starts_with("z9hG4bK"));
  CHECK(via->has_rport());
  peer.send(answer(f.cfg, peer.received[0], 200), f.udp_port);
  REQUIRE(f.run_until([&] { return got.size() == 1; }));
  CHECK(got[0].status == 200);
  CHECK_FALSE(got[0].local);
  CHECK(f.stack->probe().stray_responses == 0);
}

TEST_CASE("unanswered udp request is retransmitted then times out 408",
          "[transport][client]") {
  stack_fixture f;
  f.cfg.timers.t1_ms = 10; // Timer F = 64*T1 = 640 ms
  f.cfg.timers.t2_ms = 40;
  f.start();
  udp_client peer{f.io};
  std::vector<seen> got;
  f.stack->send_request(request_to("OPTIONS", peer.port(), "o2@t"), udp_peer(peer.port()),
                        [&](const sip::message& r, bool local) {
                          got.push_back({r.status_code(), local, std::string{r.call_id()}});
                        });
  REQUIRE(f.run_until([&] { return !got.empty(); }));
  REQUIRE(got.size() == 1);
  CHECK(got[0].status == 408);
  CHECK(got[0].local);
  CHECK(got[0].text == "o2@t");
  REQUIRE(peer.received.size() >= 3); // Timer E: 10, 20, 40, 40... ms
  CHECK(peer.received[1] == peer.received[0]);
  CHECK(f.run_until([&] { return f.stack->transactions() == 0; }));
}

TEST_CASE("client INVITE gets 180 then 200 and the ACK goes stateless",
          "[transport][client]") {
  stack_fixture f;
  f.start();
  udp_client peer{f.io};
  std::vector<seen> got;
  f.stack->send_request(request_to("INVITE", peer.port(), "i1@t"), udp_peer(peer.port()),
                        [&](const sip::message& r, bool local) {
                          got.push_back({r.status_code(), local, r.serialize()});
                        });
  REQUIRE(f.run_until([&] { return peer.received.size() == 1; }));
  peer.send(answer(f.cfg, peer.received[0], 180), f.udp_port);
  peer.send(answer(f.cfg, peer.received[0], 200), f.udp_port);
  REQUIRE(f.run_until([&] { return got.size() == 2; }));
  CHECK(got[0].status == 180);
  CHECK(got[1].status == 200);
  // RFC 6026 §8.4: a retransmitted 2xx is passed up too.
  peer.send(answer(f.cfg, peer.received[0], 200), f.udp_port);
  REQUIRE(f.run_until([&] { return got.size() == 3; }));
  CHECK(got[2].status == 200);

  sip::message_builder ack{"ACK", "sip:bob@127.0.0.1:" + std::to_string(peer.port())};
  ack.header("Max-Forwards", "70");
  ack.header("From", "<sip:alice@127.0.0.1>;tag=a1");
  ack.header("To", "<sip:bob@127.0.0.1>;tag=b1");
  ack.header("Call-ID", "i1@t");
  ack.header("CSeq", "1 ACK");
  f.stack->send_stateless(ack.build(), udp_peer(peer.port()));
  REQUIRE(f.run_until([&] { return peer.received.size() == 2; }));
  const auto invite = parse(f.cfg, peer.received[0]);
  const auto sent = parse(f.cfg, peer.received[1]);
  CHECK(sent.method() == sip::method::ack);
  REQUIRE(sent.top_via());
  CHECK(sent.top_via()->port == f.udp_port);
  CHECK(sent.top_via()->branch() != invite.top_via()->branch());
  CHECK(f.stack->probe().stray_responses == 0);
}

TEST_CASE("CANCEL waits for 180 and the INVITE ends 487", "[transport][client]") {
  stack_fixture f;
  f.start();
  udp_client peer{f.io};
  std::vector<seen> got;
  const auto h =
      f.stack->send_request(request_to("INVITE", peer.port(), "c1@t"),
                            udp_peer(peer.port()), [&](const sip::message& r, bool local) {
                              got.push_back({r.status_code(), local, {}});
                            });
  REQUIRE(f.run_until([&] { return peer.received.size() == 1; }));
  f.stack->cancel(h); // no provisional yet: held back (RFC 3261 §9.1)
  peer.send(answer(f.cfg, peer.received[0], 180), f.udp_port);
  REQUIRE(f.run_until([&] { return peer.received.size() == 2; }));
  const auto invite = parse(f.cfg, peer.received[0]);
  const auto cancel = parse(f.cfg, peer.received[1]);
  REQUIRE(got.size() == 1);
  CHECK(got[0].status == 180);
  CHECK(cancel.method() == sip::method::cancel);
  CHECK(cancel.top_via()->branch() == invite.top_via()->branch());
  CHECK(cancel.cseq()->number == invite.cseq()->number);
  CHECK(cancel.call_id() == invite.call_id());
  CHECK(cancel.request_uri_text() == invite.request_uri_text());
  CHECK(cancel.header(sip::header_id::route) == invite.header(sip::header_id::route));
  peer.send(answer(f.cfg, peer.received[1], 200), f.udp_port);
  peer.send(answer(f.cfg, peer.received[0], 487), f.udp_port);
  REQUIRE(f.run_until([&] { return got.size() == 2 && peer.received.size() == 3; }));
  CHECK(got[1].status == 487);
  CHECK_FALSE(got[1].local);
  const auto ack = parse(f.cfg, peer.received[2]); // §17.1.1.3, same branch
  CHECK(ack.method() == sip::method::ack);
  CHECK(ack.top_via()->branch() == invite.top_via()->branch());
  CHECK(f.stack->probe().stray_responses == 0); // the CANCEL's 200 matched
}

TEST_CASE("request to a protocol without listener is refused", "[transport][client]") {
  stack_fixture f;
  f.start();
  int calls = 0;
  const auto h =
      f.stack->send_request(request_to("OPTIONS", 5061, "n1@t"),
                            transport::peer{transport::protocol::tls, "127.0.0.1", 5061, 0},
                            [&](const sip::message&, bool) { ++calls; });
  CHECK(h.id == 0);
  CHECK(f.stack->transactions() == 0);
  CHECK(calls == 0);
}

TEST_CASE("a proxy's own branch is used for our Via, once", "[transport][client]") {
  stack_fixture f;
  f.start();
  udp_client peer{f.io};
  std::vector<seen> got;
  const auto sink = [&](const sip::message& r, bool local) {
    got.push_back({r.status_code(), local, {}});
  };
  const std::string branch = "z9hG4bKrl0123456789abcdef.x1";
  const auto h = f.stack->send_request(request_to("OPTIONS", peer.port(), "b1@t"),
                                       udp_peer(peer.port()), sink, branch);
  REQUIRE(h.id != 0);
  REQUIRE(f.run_until([&] { return peer.received.size() == 1; }));
  const auto req = parse(f.cfg, peer.received[0]);
  REQUIRE(req.top_via());
  CHECK(req.top_via()->branch() == branch);
  CHECK(req.top_via()->port == f.udp_port);
  // RFC 3261 §17.1.3: a second client transaction may not share the branch.
  const auto again = f.stack->send_request(request_to("OPTIONS", peer.port(), "b2@t"),
                                           udp_peer(peer.port()), sink, branch);
  CHECK(again.id == 0);
  peer.send(answer(f.cfg, peer.received[0], 200), f.udp_port);
  REQUIRE(f.run_until([&] { return got.size() == 1; }));
  CHECK(got[0].status == 200);
}

TEST_CASE("server handle carries the source peer", "[transport][client]") {
  stack_fixture f;
  f.defer = true;
  f.start();
  udp_client client{f.io};
  client.send(test::request_text("OPTIONS", via_for("UDP", client.port())), f.udp_port);
  REQUIRE(f.run_until([&] { return f.deferred.size() == 1; }));
  const auto& src = f.deferred[0].second.source;
  CHECK(src.proto == transport::protocol::udp);
  CHECK(src.host == "127.0.0.1");
  CHECK(src.port == client.port());

  tcp_client tc{f.io, f.tcp_port};
  tc.send(test::request_text("OPTIONS", via_for("TCP", 5060), "", "tcp@t"));
  REQUIRE(f.run_until([&] { return f.deferred.size() == 2; }));
  const auto& tsrc = f.deferred[1].second.source;
  CHECK(tsrc.proto == transport::protocol::tcp);
  CHECK(tsrc.port == tc.socket.local_endpoint().port());
  CHECK(tsrc.connection_id != 0);
}

TEST_CASE("stray responses are counted and a stray INVITE 2xx goes to the core",
          "[transport][client]") {
  stack_fixture f;
  f.start();
  int stray_2xx = 0;
  f.stack->on_stray_2xx([&](const sip::message& r) {
    CHECK(r.status_code() == 200);
    ++stray_2xx;
  });
  udp_client peer{f.io};
  const auto invite = test::request_text(
      "INVITE", "SIP/2.0/UDP 127.0.0.1:" + std::to_string(f.udp_port) + ";branch=z9hG4bKx1",
      "", "s1@t");
  peer.send(answer(f.cfg, invite, 180), f.udp_port);
  REQUIRE(f.run_until([&] { return f.stack->probe().stray_responses == 1; }));
  CHECK(stray_2xx == 0);
  peer.send(answer(f.cfg, invite, 200), f.udp_port);
  REQUIRE(f.run_until([&] { return stray_2xx == 1; }));
  CHECK(f.stack->probe().stray_responses == 2);
  CHECK(f.tu_calls == 0);
}
