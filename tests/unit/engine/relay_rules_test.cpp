// The relay's pure rules (RFC 3261 §16): which URI is ours, loose routing,
// Record-Route, Max-Forwards, loop detection.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/engine/relay_rules.hpp"
#include "net/sip/parser.hpp"

using namespace ringdown;
namespace relay = ringdown::actors::relay;
using proto = config::listen_address::protocol;

namespace {

const std::vector<config::listen_address> ours{
    {proto::udp, "127.0.0.1", 16110},
    {proto::tcp, "127.0.0.1", 16110},
    {proto::udp, "::1", 5060},
};

sip::message parse(const std::string& text) {
  sip::message m;
  const auto r = sip::parser{sip::limits{}}.parse(text, m);
  INFO(r.reason);
  REQUIRE(r.error == sip::parse_error::none);
  return m;
}

sip::message request(std::string_view method, std::string_view ruri,
                     std::string_view extra = {}, std::string_view to_tag = {}) {
  std::string text;
  text.append(method).append(" ").append(ruri).append(" SIP/2.0\r\n");
  text += "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK-1\r\n";
  text.append(extra);
  text += "From: <sip:alice@floor.example>;tag=a1\r\n";
  text += "To: <sip:bob@floor.example>";
  if (!to_tag.empty())
    text.append(";tag=").append(to_tag);
  text += "\r\nCall-ID: c1@host\r\n";
  text.append("CSeq: 1 ").append(method).append("\r\n");
  text += "X-Desk: 42\r\n";
  text += "Content-Length: 0\r\n\r\n";
  return parse(text);
}

sip::uri uri(std::string_view text) {
  auto u = sip::uri::parse(text);
  REQUIRE(u);
  return *u;
}

} // namespace

TEST_CASE("names_us compares host and port, ports defaulting", "[engine][relay]") {
  struct row {
    std::string_view text;
    bool ours;
  };
  const std::vector<row> rows{
      {"sip:127.0.0.1:16110;lr", true},
      {"sip:127.0.0.1:16110;transport=tcp;lr", true},
      {"sip:bob@127.0.0.1:16110", true},
      {"sip:127.0.0.1:16111;lr", false},
      {"sip:127.0.0.1;lr", false}, // 5060 on 127.0.0.1: not a listener
      {"sip:[::1];lr", true},      // default 5060
      {"sip:[::1]:5060;lr", true},
      {"sips:[::1];lr", false},           // 5061
      {"sip:[::1];transport=tls", false}, // 5061
      {"sip:10.0.0.1:16110;lr", false},
      {"tel:+441234", false},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    CHECK(relay::names_us(uri(r.text), ours) == r.ours);
  }
}

TEST_CASE("pop_own_routes pops our Route values and finds the next hop",
          "[engine][relay]") {
  SECTION("our Route then another: relayed to the next Route, which stays") {
    auto m = request("BYE", "sip:bob@192.0.2.9:5062",
                     "Route: <sip:127.0.0.1:16110;lr>, <sip:192.0.2.7:5070;lr>\r\n", "b1");
    const auto r = relay::pop_own_routes(m, ours);
    CHECK(r.popped);
    CHECK_FALSE(r.to_us);
    REQUIRE(r.next);
    CHECK(r.next->host == "192.0.2.7");
    CHECK(r.next->port == 5070);
    REQUIRE(m.routes().size() == 1);
    CHECK(m.routes()[0].uri.host == "192.0.2.7");
    CHECK(m.header("X-Desk") == "42");
  }
  SECTION("our Route only: the Request-URI is the next hop") {
    auto m = request("ACK", "sip:bob@192.0.2.9:5062;transport=tcp",
                     "Route: <sip:127.0.0.1:16110;transport=udp;lr>\r\n", "b1");
    const auto r = relay::pop_own_routes(m, ours);
    CHECK(r.popped);
    CHECK_FALSE(r.to_us);
    REQUIRE(r.next);
    CHECK(r.next->proto == proto::tcp);
    CHECK(r.next->host == "192.0.2.9");
    CHECK(r.next->port == 5062);
    CHECK(m.routes().empty());
    CHECK(m.count(sip::header_id::route) == 0);
  }
  SECTION("two own Routes (two listeners) then the Request-URI us: stays here") {
    auto m = request("BYE", "sip:ringdown@127.0.0.1:16110",
                     "Route: <sip:127.0.0.1:16110;lr>\r\nRoute: <sip:[::1];lr>\r\n", "b1");
    const auto r = relay::pop_own_routes(m, ours);
    CHECK(r.popped);
    CHECK(r.to_us);
    CHECK(m.routes().empty());
  }
  SECTION("a top Route of someone else: untouched") {
    auto m = request("BYE", "sip:bob@192.0.2.9",
                     "Route: <sip:192.0.2.7;lr>, <sip:127.0.0.1:16110;lr>\r\n", "b1");
    const auto before = m.serialize();
    const auto r = relay::pop_own_routes(m, ours);
    CHECK_FALSE(r.popped);
    CHECK(r.to_us);
    CHECK(m.serialize() == before);
  }
  SECTION("no Route: untouched") {
    auto m = request("INVITE", "sip:bob@192.0.2.9");
    const auto r = relay::pop_own_routes(m, ours);
    CHECK_FALSE(r.popped);
    CHECK(r.to_us);
  }
  SECTION("next Route by host name: no address") {
    auto m = request("BYE", "sip:bob@192.0.2.9",
                     "Route: <sip:127.0.0.1:16110;lr>, <sip:proxy.example;lr>\r\n", "b1");
    const auto r = relay::pop_own_routes(m, ours);
    CHECK(r.popped);
    CHECK_FALSE(r.to_us);
    CHECK_FALSE(r.next);
  }
  SECTION("our outbound-proxy Route and a domain Request-URI: for us") {
    auto m = request("REGISTER", "sip:floor.example", "Route: <sip:127.0.0.1:16110;lr>\r\n",
                     "r1");
    const auto r = relay::pop_own_routes(m, ours);
    CHECK(r.popped);
    CHECK(r.to_us);
    CHECK(m.routes().empty());
  }
}

TEST_CASE("record_route names the first listener of the request's transport",
          "[engine][relay]") {
  CHECK(relay::record_route(ours, proto::udp) == "<sip:127.0.0.1:16110;transport=udp;lr>");
  CHECK(relay::record_route(ours, proto::tcp) == "<sip:127.0.0.1:16110;transport=tcp;lr>");
  CHECK_FALSE(relay::record_route(ours, proto::tls));
  const std::vector<config::listen_address> v6{{proto::udp, "::1", 5070}};
  CHECK(relay::record_route(v6, proto::udp) == "<sip:[::1]:5070;transport=udp;lr>");
  // What we record-route, we recognise when it comes back as a Route.
  CHECK(relay::names_us(uri("sip:127.0.0.1:16110;transport=tcp;lr"), ours));
}

TEST_CASE("creates_dialog: INVITE, SUBSCRIBE, REFER without To-tag", "[engine][relay]") {
  CHECK(relay::creates_dialog(request("INVITE", "sip:bob@192.0.2.9")));
  CHECK(relay::creates_dialog(request("SUBSCRIBE", "sip:bob@192.0.2.9")));
  CHECK(relay::creates_dialog(request("REFER", "sip:bob@192.0.2.9")));
  CHECK_FALSE(relay::creates_dialog(request("INVITE", "sip:bob@192.0.2.9", {}, "t1")));
  CHECK_FALSE(relay::creates_dialog(request("REFER", "sip:bob@192.0.2.9", {}, "t1")));
  CHECK_FALSE(relay::creates_dialog(request("OPTIONS", "sip:bob@192.0.2.9")));
  CHECK_FALSE(relay::creates_dialog(request("MESSAGE", "sip:bob@192.0.2.9")));
}

TEST_CASE("take_hop decrements Max-Forwards, adds 70, refuses 0", "[engine][relay]") {
  struct row {
    std::string_view header;
    bool ok;
    std::uint32_t after;
  };
  const std::vector<row> rows{
      {"Max-Forwards: 70\r\n", true, 69},
      {"Max-Forwards: 1\r\n", true, 0},
      {"Max-Forwards: 0\r\n", false, 0},
      {"", true, 70},
  };
  for (const auto& r : rows) {
    INFO(r.header);
    auto m = request("INVITE", "sip:bob@192.0.2.9", r.header);
    CHECK(relay::take_hop(m) == r.ok);
    CHECK(m.max_forwards() == r.after);
    CHECK(m.header("X-Desk") == "42");
  }
}

TEST_CASE("our branch marks a loop, not a spiral", "[engine][relay]") {
  const auto in = request("INVITE", "sip:bob@192.0.2.9", "Max-Forwards: 70\r\n");
  const auto branch = relay::relay_branch(in, "u1");
  CHECK(branch.starts_with("z9hG4bK"));
  CHECK(relay::relay_branch(in, "u2") != branch);
  CHECK_FALSE(relay::is_loop(in, ours));

  // The same request back with our Via on it: a loop.
  auto back = in;
  back.prepend_header("Via", "SIP/2.0/UDP 127.0.0.1:16110;branch=" + branch + ";rport");
  back.prepend_header("Via", "SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-other");
  back.set_first(sip::header_id::max_forwards, "68");
  CHECK(relay::is_loop(back, ours));

  // Our branch but another sent-by: not our Via.
  auto foreign = in;
  foreign.prepend_header("Via", "SIP/2.0/UDP 192.0.2.8:16110;branch=" + branch);
  CHECK_FALSE(relay::is_loop(foreign, ours));

  // A spiral: the Request-URI changed on the way (§16.3 step 4).
  auto spiral = request("INVITE", "sip:bob@192.0.2.10", "Max-Forwards: 70\r\n");
  spiral.prepend_header("Via", "SIP/2.0/UDP 127.0.0.1:16110;branch=" + branch);
  CHECK_FALSE(relay::is_loop(spiral, ours));

  // A fresh branch of ours (not a relay branch): not a loop either.
  auto fresh = in;
  fresh.prepend_header("Via", "SIP/2.0/UDP 127.0.0.1:16110;branch=z9hG4bKabc");
  CHECK_FALSE(relay::is_loop(fresh, ours));
}
