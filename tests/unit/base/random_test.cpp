#include "base/random.hpp"

#include <array>

#include <catch2/catch.hpp>

using ringdown::rng;

TEST_CASE("rng: the same seed gives the same sequence", "[base][random]") {
  rng a{42}, b{42}, c{43};
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a();
    CHECK(x == b());
    differs |= x != c();
  }
  CHECK(differs);
}

TEST_CASE("rng: below() stays in range and covers it", "[base][random]") {
  rng g{7};
  std::array<int, 10> hits{};
  for (int i = 0; i < 10'000; ++i) {
    const auto v = g.below(10);
    REQUIRE(v < 10);
    ++hits[v];
  }
  for (int h : hits)
    CHECK(h > 800); // expected 1000 each
}

TEST_CASE("rng: unit() lies in the half-open unit interval", "[base][random]") {
  rng g{1};
  for (int i = 0; i < 1000; ++i) {
    const double u = g.unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
}
