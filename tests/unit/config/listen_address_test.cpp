#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "config/config.hpp"

using namespace ringdown::config;

TEST_CASE("config listen_address: parses and prints proto host port", "[config][listen]") {
  struct row {
    std::string_view text;
    listen_address::protocol proto;
    std::string_view host;
    std::uint16_t port;
  };
  const std::vector<row> rows = {
      {"udp:127.0.0.1:5060", listen_address::protocol::udp, "127.0.0.1", 5060},
      {"tcp:0.0.0.0:1", listen_address::protocol::tcp, "0.0.0.0", 1},
      {"tls:[::1]:65535", listen_address::protocol::tls, "::1", 65535},
      {"udp:[fe80::1:2]:5060", listen_address::protocol::udp, "fe80::1:2", 5060},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    listen_address addr;
    REQUIRE(listen_address::parse(r.text, addr));
    CHECK(addr.proto == r.proto);
    CHECK(addr.host == r.host);
    CHECK(addr.port == r.port);
    CHECK(addr.to_string() == r.text);
  }
}

TEST_CASE("config listen_address: refuses malformed text", "[config][listen]") {
  for (std::string_view text : {"",
                                "udp",
                                "udp:",
                                "udp:127.0.0.1",
                                "udp:127.0.0.1:",
                                "udp::5060",
                                "sctp:127.0.0.1:5060",
                                "UDP:127.0.0.1:5060",
                                "udp:127.0.0.1:0",
                                "udp:127.0.0.1:65536",
                                "udp:127.0.0.1:50x",
                                "udp:127.0.0.1:-1",
                                "udp:::1:5060",
                                "udp:[::1]5060",
                                "udp:[::1:5060",
                                "udp:localhost:5060",
                                "udp:256.0.0.1:5060",
                                "udp:[127.0.0.1]:5060",
                                "udp:[zz::1]:5060",
                                "tcp:1.2.3:5060"}) {
    INFO(text);
    listen_address addr;
    CHECK_FALSE(listen_address::parse(text, addr));
  }
}
