#include "base/errc.hpp"

#include <catch2/catch.hpp>

TEST_CASE("errc plugs into std::error_code", "[base][errc]") {
  std::error_code ec = ringdown::errc::timeout;
  CHECK(ec);
  CHECK(ec.category().name() == std::string{"ringdown"});
  CHECK(ec.message() == "timeout");
  CHECK(ec == ringdown::errc::timeout);
  CHECK(ec != ringdown::errc::parse_error);
  std::error_code ok = ringdown::errc::ok;
  CHECK_FALSE(ok);
}
