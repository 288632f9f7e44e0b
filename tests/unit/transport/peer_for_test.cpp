// peer_for: SIP URI → transport destination, IP literals only (no DNS).

#include <catch2/catch.hpp>

#include "net/transport/peer.hpp"

using namespace ringdown;
using transport::protocol;

namespace {
std::optional<transport::peer> of(std::string_view text) {
  const auto u = sip::uri::parse(text);
  REQUIRE(u);
  return transport::peer_for(*u);
}
} // namespace

TEST_CASE("peer_for maps IP literal URIs", "[transport][peer_for]") {
  struct row {
    std::string_view uri;
    protocol proto;
    std::string_view host;
    std::uint16_t port;
  };
  const row rows[] = {
      {"sip:bob@192.0.2.7", protocol::udp, "192.0.2.7", 5060},
      {"sip:bob@192.0.2.7:5080", protocol::udp, "192.0.2.7", 5080},
      {"sip:bob@192.0.2.7;transport=tcp", protocol::tcp, "192.0.2.7", 5060},
      {"sip:bob@192.0.2.7;transport=TLS", protocol::tls, "192.0.2.7", 5061},
      {"sip:bob@192.0.2.7:6000;transport=udp", protocol::udp, "192.0.2.7", 6000},
      {"sips:bob@192.0.2.7", protocol::tls, "192.0.2.7", 5061},
      {"sips:bob@192.0.2.7;transport=tcp", protocol::tls, "192.0.2.7", 5061},
      {"sip:[2001:db8::1]", protocol::udp, "2001:db8::1", 5060},
      {"sip:bob@[::1]:5070;transport=tcp", protocol::tcp, "::1", 5070},
  };
  for (const auto& r : rows) {
    INFO(r.uri);
    const auto p = of(r.uri);
    REQUIRE(p);
    CHECK(p->proto == r.proto);
    CHECK(p->host == r.host);
    CHECK(p->port == r.port);
    CHECK(p->connection_id == 0);
  }
}

TEST_CASE("peer_for refuses what needs DNS or is not served", "[transport][peer_for]") {
  CHECK_FALSE(of("sip:bob@example.com"));
  CHECK_FALSE(of("sip:bob@example.com:5060;transport=tcp"));
  CHECK_FALSE(of("sip:bob@192.0.2.7;transport=sctp"));
  CHECK_FALSE(of("tel:+15551234"));
}
