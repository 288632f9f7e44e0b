#include <array>
#include <vector>

#include <catch2/catch.hpp>

#include "net/rtp/mixer.hpp"

using namespace ringdown::rtp;

namespace {

frame constant(std::int16_t v) {
  frame f{};
  f.fill(v);
  return f;
}

bool all_equal(const frame& f, std::int16_t v) {
  for (std::int16_t s : f) {
    if (s != v) {
      return false;
    }
  }
  return true;
}

} // namespace

TEST_CASE("N-1 mix of three legs: each hears the other two", "[rtp][mixer]") {
  frame a = constant(100), b = constant(-30), c{};
  for (std::size_t k = 0; k < frame_samples; ++k) {
    c[k] = static_cast<std::int16_t>(k);
  }
  std::array<const frame*, 3> in{&a, &b, &c};
  std::array<frame, 3> out{};
  std::array<frame*, 3> outp{&out[0], &out[1], &out[2]};
  std::array<std::int32_t, frame_samples> scratch{};
  mix_n_minus_1(in, outp, scratch);
  for (std::size_t k = 0; k < frame_samples; ++k) {
    const int ck = static_cast<int>(k);
    REQUIRE(out[0][k] == -30 + ck);
    REQUIRE(out[1][k] == 100 + ck);
    REQUIRE(out[2][k] == 70);
  }
}

TEST_CASE("N-1 mix saturates at the int16 limits", "[rtp][mixer]") {
  frame a = constant(30000), b = constant(30000), c = constant(10000);
  frame d = constant(-30000), e = constant(-30000), f = constant(-10000);
  std::array<std::int32_t, frame_samples> scratch{};
  std::array<frame, 3> out{};
  std::array<frame*, 3> outp{&out[0], &out[1], &out[2]};
  std::array<const frame*, 3> hi{&a, &b, &c};
  mix_n_minus_1(hi, outp, scratch);
  CHECK(all_equal(out[0], 32767)); // 30000 + 10000 clipped
  CHECK(all_equal(out[1], 32767));
  CHECK(all_equal(out[2], 32767)); // 60000 clipped
  std::array<const frame*, 3> lo{&d, &e, &f};
  mix_n_minus_1(lo, outp, scratch);
  CHECK(all_equal(out[0], -32768));
  CHECK(all_equal(out[2], -32768));
  // Opposite signs cancel in int32 before clipping.
  std::array<const frame*, 3> mixed{&a, &d, &c};
  mix_n_minus_1(mixed, outp, scratch);
  CHECK(all_equal(out[0], -20000));
  CHECK(all_equal(out[1], 32767));
  CHECK(all_equal(out[2], 0));
}

TEST_CASE("N-1 mix skips null inputs and outputs", "[rtp][mixer]") {
  frame a = constant(5), c = constant(7);
  std::array<const frame*, 3> in{&a, nullptr, &c};
  frame o0 = constant(99), o1 = constant(99);
  std::array<frame*, 3> outp{&o0, &o1, nullptr};
  std::array<std::int32_t, frame_samples> scratch{};
  mix_n_minus_1(in, outp, scratch);
  CHECK(all_equal(o0, 7));
  CHECK(all_equal(o1, 12)); // a silent leg hears everyone
}

TEST_CASE("a single leg hears silence", "[rtp][mixer]") {
  frame a = constant(1234);
  frame out = constant(1);
  std::array<const frame*, 1> in{&a};
  std::array<frame*, 1> outp{&out};
  std::array<std::int32_t, frame_samples> scratch{};
  mix_n_minus_1(in, outp, scratch);
  CHECK(all_equal(out, 0));
  // In place: the output replaces the leg's own input.
  std::array<frame*, 1> inplace{&a};
  mix_n_minus_1(in, inplace, scratch);
  CHECK(all_equal(a, 0));
}

TEST_CASE("N-1 mix of ten legs, in place", "[rtp][mixer]") {
  constexpr std::size_t legs = 10;
  std::vector<frame> frames(legs);
  std::vector<const frame*> in(legs);
  std::vector<frame*> outp(legs);
  for (std::size_t i = 0; i < legs; ++i) {
    for (std::size_t k = 0; k < frame_samples; ++k) {
      frames[i][k] = static_cast<std::int16_t>((i + 1) * 100 + k);
    }
    in[i] = &frames[i];
    outp[i] = &frames[i];
  }
  std::array<std::int32_t, frame_samples> scratch{};
  mix_n_minus_1(in, outp, scratch);
  for (std::size_t i = 0; i < legs; ++i) {
    for (std::size_t k = 0; k < frame_samples; ++k) {
      // Sum over j != i of ((j + 1) * 100 + k) = 5500 - (i + 1) * 100 + 9k.
      const int expected = 5500 - static_cast<int>(i + 1) * 100 + 9 * static_cast<int>(k);
      REQUIRE(frames[i][k] == expected);
    }
  }
}

TEST_CASE("add_saturating lays a tone over a mix", "[rtp][mixer]") {
  frame mix = constant(32000);
  frame tone = constant(1000);
  add_saturating(mix, tone);
  CHECK(all_equal(mix, 32767));
  frame low = constant(-32000);
  frame neg = constant(-1000);
  add_saturating(low, neg);
  CHECK(all_equal(low, -32768));
  frame m = constant(-5);
  add_saturating(m, tone);
  CHECK(all_equal(m, 995));
  CHECK(saturate16(40000) == 32767);
  CHECK(saturate16(-40000) == -32768);
  CHECK(saturate16(-32768) == -32768);
}
