#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "base/host_port.hpp"

using namespace ringdown;

TEST_CASE("split_host_port takes IP literals only", "[base][host_port]") {
  std::string host;
  std::uint16_t port = 0;
  CHECK(split_host_port("127.0.0.12:7946", host, port));
  CHECK(host == "127.0.0.12");
  CHECK(port == 7946);
  CHECK(split_host_port("[::1]:7000", host, port));
  CHECK(host == "::1");
  CHECK(port == 7000);
  CHECK_FALSE(split_host_port("localhost:7946", host, port));
  CHECK_FALSE(split_host_port("127.0.0.1:0", host, port));
  CHECK_FALSE(split_host_port("127.0.0.1:65536", host, port));
  CHECK_FALSE(split_host_port("127.0.0.1", host, port));
  CHECK_FALSE(split_host_port("::1:7000", host, port));
  CHECK_FALSE(split_host_port("[127.0.0.1]:7000", host, port));
  CHECK_FALSE(split_host_port(":7000", host, port));
  CHECK_FALSE(split_host_port("127.0.0.1:7x", host, port));
}

TEST_CASE("append_host_port brackets IPv6 so split_host_port reads it back",
          "[base][host_port]") {
  std::string text;
  append_host_port(text, "::1", 5060);
  CHECK(text == "[::1]:5060");
  std::string host;
  std::uint16_t port = 0;
  REQUIRE(split_host_port(text, host, port));
  CHECK(host == "::1");
  CHECK(port == 5060);
}
