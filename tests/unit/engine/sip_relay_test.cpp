// sip_relay over a real sip_stack on 127.0.0.1 (RFC 3261 §16): raw UDP
// sockets play the upstream caller and the downstream owner node.
#include <string>

#include <catch2/catch.hpp>

#include "actors/engine/relay_rules.hpp"
#include "actors/engine/sip_relay.hpp"
#include "tests/unit/transport/client_fixture.hpp"

using namespace ringdown;
using namespace ringdown::test;

namespace {

std::string invite_from(std::uint16_t from_port, std::uint16_t to_port,
                        std::string_view call_id, std::string_view extra_via = {}) {
  std::string text =
      "INVITE sip:desk@127.0.0.1:" + std::to_string(to_port) + " SIP/2.0\r\n";
  text += "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(from_port) + ";branch=z9hG4bK-";
  text.append(call_id).append("\r\n");
  if (!extra_via.empty())
    text.append("Via: ").append(extra_via).append("\r\n");
  text += "Max-Forwards: 70\r\n";
  text += "From: <sip:trader@127.0.0.1>;tag=f1\r\n";
  text += "To: <sip:desk@127.0.0.1>\r\n";
  text.append("Call-ID: ").append(call_id).append("\r\n");
  text += "CSeq: 1 INVITE\r\n";
  text += "X-Desk: 42\r\n";
  text += "Content-Length: 0\r\n\r\n";
  return text;
}

/// The responses with status `status` among what `c` received.
std::vector<sip::message> responses(const config::node_config& cfg, const udp_client& c,
                                    int status) {
  std::vector<sip::message> out;
  for (const auto& text : c.received) {
    auto m = parse(cfg, text);
    if (m.is_response() && m.status_code() == status)
      out.push_back(std::move(m));
  }
  return out;
}

} // namespace

TEST_CASE("relay: bounded table, final frees the entry, loops get 482",
          "[engine][relay][loopback]") {
  stack_fixture f;
  f.defer = true;
  f.start();
  actors::gateway_counters counters;
  actors::sip_relay relay{*f.stack, f.ids, counters, 1};
  udp_client upstream{f.io};
  udp_client downstream{f.io};
  const auto hand_over = [&] {
    REQUIRE(f.run_until([&] { return f.deferred.size() == 1; }));
    auto [request, tx] = f.deferred.front();
    f.deferred.clear();
    relay.relay(request, tx, udp_peer(downstream.port()));
  };

  upstream.send(invite_from(upstream.port(), f.udp_port, "r1"), f.udp_port);
  hand_over();
  REQUIRE(f.run_until([&] { return downstream.received.size() == 1; }));
  const auto sent = parse(f.cfg, downstream.received[0]);
  CHECK(sent.header("X-Desk") == "42");
  CHECK(sent.max_forwards() == 69u);
  CHECK(sent.top_via()->branch().starts_with("z9hG4bKrl"));
  REQUIRE(sent.record_routes().size() == 1);
  CHECK(sent.record_routes()[0].uri.port == f.udp_port);
  CHECK(relay.active() == 1);

  SECTION("beyond the limit: 503 with Retry-After") {
    upstream.send(invite_from(upstream.port(), f.udp_port, "r2"), f.udp_port);
    hand_over();
    REQUIRE(f.run_until([&] { return !responses(f.cfg, upstream, 503).empty(); }));
    const auto refused = responses(f.cfg, upstream, 503).front();
    CHECK(refused.call_id() == "r2");
    CHECK(refused.header("Retry-After") == "5");
    CHECK(counters.relays_refused == 1);
    CHECK(downstream.received.size() == 1);
  }
  SECTION("the final response goes up without our Via and frees the entry") {
    downstream.send(answer(f.cfg, downstream.received[0], 486), f.udp_port);
    REQUIRE(f.run_until([&] { return !responses(f.cfg, upstream, 486).empty(); }));
    const auto busy = responses(f.cfg, upstream, 486).front();
    CHECK(busy.count(sip::header_id::via) == 1);
    CHECK(busy.top_via()->port == upstream.port());
    CHECK(relay.active() == 0);
    CHECK(counters.relayed_responses == 1);
  }
  SECTION("the request back with our branch on it: 482") {
    // What the loop would bring back: our Via, from the relay of r3 itself.
    const auto first = parse(f.cfg, invite_from(upstream.port(), f.udp_port, "r3"));
    const std::string ours = "SIP/2.0/UDP 127.0.0.1:" + std::to_string(f.udp_port) +
                             ";branch=" + actors::relay::relay_branch(first, "x");
    upstream.send(invite_from(upstream.port(), f.udp_port, "r3", ours), f.udp_port);
    hand_over();
    REQUIRE(f.run_until([&] { return !responses(f.cfg, upstream, 482).empty(); }));
    CHECK(counters.loops == 1);
    CHECK(downstream.received.size() == 1);
  }
}
