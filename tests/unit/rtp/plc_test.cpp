#include <cmath>
#include <numbers>

#include <catch2/catch.hpp>

#include "net/rtp/plc.hpp"
#include "net/rtp/types.hpp"

using namespace ringdown::rtp;

namespace {

constexpr double freq_hz = 250.0;
constexpr double amplitude = 8000.0;

void sine(frame& f, std::size_t start) {
  for (std::size_t k = 0; k < frame_samples; ++k) {
    const double t = static_cast<double>(start + k) / sample_rate_hz;
    f[k] =
        static_cast<std::int16_t>(amplitude * std::sin(2 * std::numbers::pi * freq_hz * t));
  }
}

double energy(const frame& f) {
  double e = 0;
  for (std::int16_t s : f) {
    e += static_cast<double>(s) * s;
  }
  return e;
}

double normalised_correlation(const frame& a, const frame& b) {
  double ab = 0;
  for (std::size_t k = 0; k < frame_samples; ++k) {
    ab += static_cast<double>(a[k]) * b[k];
  }
  return ab / std::sqrt(energy(a) * energy(b));
}

} // namespace

TEST_CASE("concealment continues a sine and then fades to silence", "[rtp][plc]") {
  concealer plc;
  std::size_t t = 0;
  for (int i = 0; i < 10; ++i, t += frame_samples) {
    frame f;
    sine(f, t);
    plc.good(f);
  }
  CHECK_FALSE(plc.concealing());

  frame filled{};
  plc.fill(filled);
  CHECK(plc.concealing());
  frame expected;
  sine(expected, t);
  CHECK(energy(filled) > 0.25 * energy(expected));
  CHECK(normalised_correlation(filled, expected) > 0.8);

  double last = energy(filled);
  for (int i = 0; i < 10; ++i) {
    plc.fill(filled);
    last = energy(filled);
  }
  CHECK(last < 1e-3 * energy(expected));

  // A good frame after the loss ends concealment.
  t += 11 * frame_samples;
  frame back;
  sine(back, t);
  plc.good(back);
  CHECK_FALSE(plc.concealing());
}

TEST_CASE("concealment without history is silence", "[rtp][plc]") {
  concealer plc;
  frame f;
  f.fill(77);
  plc.fill(f);
  CHECK(energy(f) == 0);
  plc.reset();
  CHECK_FALSE(plc.concealing());
}
