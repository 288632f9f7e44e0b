#include "base/clock.hpp"

#include <catch2/catch.hpp>

using namespace ringdown;
using namespace std::chrono_literals;

TEST_CASE("manual clock moves only when told", "[base][clock]") {
  manual_clock c;
  const auto t0 = c.now();
  const auto w0 = c.wall_ms();
  CHECK(c.now() == t0);
  c.advance(1500ms);
  CHECK(c.now() - t0 == 1500ms);
  CHECK(c.wall_ms() - w0 == 1500);
  c.set(t0 + 10s);
  CHECK(c.now() - t0 == 10s);
}

TEST_CASE("real clock is monotonic", "[base][clock]") {
  real_clock c;
  const auto a = c.now();
  const auto b = c.now();
  CHECK(b >= a);
  CHECK(c.wall_ms() > 1'600'000'000'000);
}
