#include <catch2/catch.hpp>

#include "net/sip/parser.hpp"
#include "net/transport/response_route.hpp"
#include "tests/unit/transport/sip_text.hpp"

using namespace ringdown;
using transport::peer;
using transport::protocol;

namespace {

struct route_case {
  const char* name;
  protocol proto;
  const char* via;
  peer expected;
};

sip::message parse(const std::string& text) {
  sip::limits lim;
  sip::parser p{lim};
  sip::message m;
  const auto r = p.parse(text, m);
  REQUIRE(r.ok());
  return m;
}

} // namespace

TEST_CASE("response destination follows RFC 3261 18.2.2 and RFC 3581",
          "[transport][route]") {
  const peer source_udp{protocol::udp, "192.0.2.9", 40000, 0};
  const route_case cases[] = {
      {"sent-by",
       protocol::udp,
       "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1",
       {protocol::udp, "10.0.0.1", 5070, 0}},
      {"sent-by default port",
       protocol::udp,
       "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1",
       {protocol::udp, "10.0.0.1", 5060, 0}},
      {"received uses sent-by port",
       protocol::udp,
       "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;received=192.0.2.9",
       {protocol::udp, "192.0.2.9", 5070, 0}},
      {"received default port",
       protocol::udp,
       "SIP/2.0/UDP host.example;branch=z9hG4bK1;received=192.0.2.9",
       {protocol::udp, "192.0.2.9", 5060, 0}},
      {"received and rport",
       protocol::udp,
       "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;received=192.0.2.9;rport=40000",
       {protocol::udp, "192.0.2.9", 40000, 0}},
      {"maddr wins over received",
       protocol::udp,
       "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;maddr=239.1.1.1;received=192.0.2.9",
       {protocol::udp, "239.1.1.1", 5070, 0}},
      {"ipv6 sent-by",
       protocol::udp,
       "SIP/2.0/UDP [2001:db8::1]:5072;branch=z9hG4bK1",
       {protocol::udp, "2001:db8::1", 5072, 0}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto via = sip::via::parse(c.via);
    REQUIRE(via);
    const auto dest = transport::response_destination(*via, source_udp);
    CHECK(dest.proto == c.expected.proto);
    CHECK(dest.host == c.expected.host);
    CHECK(dest.port == c.expected.port);
    CHECK(dest.connection_id == 0);
  }
}

TEST_CASE("response over a reliable transport reuses the connection",
          "[transport][route]") {
  const peer source{protocol::tcp, "192.0.2.9", 40001, 17};
  const auto via = sip::via::parse("SIP/2.0/TCP 10.0.0.1:5070;branch=z9hG4bK1;"
                                   "received=192.0.2.9;rport=40001");
  REQUIRE(via);
  const auto dest = transport::response_destination(*via, source);
  CHECK(dest.proto == protocol::tcp);
  CHECK(dest.connection_id == 17);
  // Should the connection be gone: received address, sent-by port (18.2.2).
  CHECK(dest.host == "192.0.2.9");
  CHECK(dest.port == 5070);

  const peer tls_source{protocol::tls, "192.0.2.9", 40002, 3};
  const auto tls_via = sip::via::parse("SIP/2.0/TLS 192.0.2.9;branch=z9hG4bK1");
  REQUIRE(tls_via);
  const auto tls_dest = transport::response_destination(*tls_via, tls_source);
  CHECK(tls_dest.connection_id == 3);
  CHECK(tls_dest.port == 5061);
}

TEST_CASE("stamp_received adds received when the sent-by differs", "[transport][stamp]") {
  auto m =
      parse(test::request_text("OPTIONS", "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1"));
  const peer source{protocol::udp, "192.0.2.9", 40000, 0};
  REQUIRE(transport::stamp_received(m, source));
  const auto stamped = parse(m.serialize());
  const auto via = stamped.top_via();
  REQUIRE(via);
  CHECK(via->received() == "192.0.2.9");
  CHECK_FALSE(via->has_rport());
  CHECK(via->host == "10.0.0.1");
}

TEST_CASE("stamp_received leaves a matching sent-by alone", "[transport][stamp]") {
  auto m =
      parse(test::request_text("OPTIONS", "SIP/2.0/UDP 192.0.2.9:5070;branch=z9hG4bK1"));
  const peer source{protocol::udp, "192.0.2.9", 5070, 0};
  CHECK_FALSE(transport::stamp_received(m, source));
  CHECK(m.serialize() == std::string{m.raw()});
}

TEST_CASE("stamp_received fills rport and received per RFC 3581", "[transport][stamp]") {
  auto m = parse(
      test::request_text("OPTIONS", "SIP/2.0/UDP 192.0.2.9:5070;rport;branch=z9hG4bK1"));
  const peer source{protocol::udp, "192.0.2.9", 41234, 0};
  REQUIRE(transport::stamp_received(m, source));
  const auto stamped = parse(m.serialize());
  const auto via = stamped.top_via();
  REQUIRE(via);
  CHECK(via->rport() == std::optional<std::uint16_t>{41234});
  // RFC 3581 §4: received even when equal to the sent-by host.
  CHECK(via->received() == "192.0.2.9");
  CHECK(via->branch() == "z9hG4bK1");
}
