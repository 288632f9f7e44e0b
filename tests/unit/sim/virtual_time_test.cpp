#include <catch2/catch.hpp>

#include "sim/virtual_time.hpp"

using namespace ringdown;

TEST_CASE("virtual time prints as milliseconds with microseconds", "[sim]") {
  CHECK(sim::format_virtual_time(std::chrono::microseconds{12345}) == "12.345ms");
  CHECK(sim::format_virtual_time(duration{0}) == "0.000ms");
}
