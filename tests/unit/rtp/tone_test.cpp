#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <vector>

#include <catch2/catch.hpp>

#include "net/rtp/tone.hpp"

using namespace ringdown::rtp;

namespace {

std::vector<std::int16_t> render_frames(tone_player& p, std::size_t frames) {
  std::vector<std::int16_t> out;
  for (std::size_t i = 0; i < frames; ++i) {
    frame f;
    f.fill(123); // render must overwrite every sample
    p.render(f);
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

/// Goertzel power at `freq_hz` over samples [from, from + n), normalised so a
/// full-period sine of amplitude A gives about (A / 2)^2.
double power_at(const std::vector<std::int16_t>& x, double freq_hz, std::size_t from,
                std::size_t n) {
  const double coeff = 2 * std::cos(2 * std::numbers::pi * freq_hz / sample_rate_hz);
  double s1 = 0, s2 = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    const double s0 = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double p = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return p / (static_cast<double>(n) * static_cast<double>(n));
}

int peak(const std::vector<std::int16_t>& x, std::size_t from, std::size_t n) {
  int m = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    m = std::max(m, std::abs(static_cast<int>(x[i])));
  }
  return m;
}

} // namespace

TEST_CASE("dial tone is 425 Hz at -13 dBm0 and nothing else", "[rtp][tone]") {
  tone_player p(default_tone("dial"));
  const auto x = render_frames(p, 100);
  CHECK_FALSE(p.finished());
  const std::size_t n = 800; // 100 ms, 10 Hz resolution
  for (std::size_t from : {std::size_t{0}, std::size_t{7200}, std::size_t{15200}}) {
    const double at = power_at(x, 425, from, n);
    CHECK(at > 100 * power_at(x, 350, from, n));
    CHECK(at > 100 * power_at(x, 500, from, n));
    CHECK(at > 1000 * power_at(x, 1000, from, n));
  }
  // -13 dBm0 is a peak of about 22706 × 10^(-13/20) ≈ 5083.
  CHECK(peak(x, 0, x.size()) > 4800);
  CHECK(peak(x, 0, x.size()) < 5400);
  // Continuous: no silent 20-sample stretch anywhere.
  for (std::size_t i = 0; i + 20 <= x.size(); i += 20) {
    REQUIRE(peak(x, i, 20) > 1000);
  }
}

TEST_CASE("UK ringback has both 400 and 450 Hz", "[rtp][tone]") {
  tone_player p(default_tone("ringback_uk"));
  const auto x = render_frames(p, 20); // the first 400 ms burst
  const std::size_t n = 3200;          // 2.5 Hz resolution
  const double p400 = power_at(x, 400, 0, n);
  const double p450 = power_at(x, 450, 0, n);
  CHECK(p400 > 0.5 * p450);
  CHECK(p450 > 0.5 * p400);
  CHECK(p400 > 100 * power_at(x, 425, 0, n));
  CHECK(p400 > 100 * power_at(x, 1000, 0, n));
}

TEST_CASE("cadence boundaries land on exact sample counts", "[rtp][tone]") {
  tone_spec spec{"test", {{1000, 0, -10, 30, 10}, {1000, 0, -10, 30, 10}}, false};
  REQUIRE(valid(spec));
  tone_player p(spec);
  const auto x = render_frames(p, 3);
  CHECK_FALSE(p.finished());
  const auto rest = render_frames(p, 2);
  CHECK(p.finished());
  std::vector<std::int16_t> all = x;
  all.insert(all.end(), rest.begin(), rest.end());
  // 30 ms on = 240 samples, 10 ms off = 80 samples, twice: 640 samples.
  CHECK(all[239] != 0);
  CHECK(peak(all, 232, 8) > 1000);
  CHECK(peak(all, 240, 80) == 0);
  CHECK(peak(all, 320, 8) > 1000);
  CHECK(all[559] != 0);
  CHECK(peak(all, 560, 800 - 560) == 0);
}

TEST_CASE("busy and congestion repeat their cadence", "[rtp][tone]") {
  for (const auto& [name, on_samples] :
       {std::pair{"busy", std::size_t{4000}}, std::pair{"congestion", std::size_t{2000}}}) {
    tone_player p(default_tone(name));
    const auto x = render_frames(p, 250); // 5 s
    CHECK_FALSE(p.finished());
    const std::size_t period = 2 * on_samples;
    for (std::size_t start = 0; start + period <= x.size(); start += period) {
      CHECK(peak(x, start + on_samples - 8, 8) > 1000);
      CHECK(peak(x, start + on_samples, on_samples) == 0);
      CHECK(power_at(x, 425, start, 800) > 100 * power_at(x, 600, start, 800));
    }
  }
}

TEST_CASE("ringback is one second on, four off", "[rtp][tone]") {
  tone_player p(default_tone("ringback"));
  const auto x = render_frames(p, 500); // two periods
  CHECK(peak(x, 0, 8000) > 4800);
  CHECK(peak(x, 8000, 32000) == 0);
  CHECK(peak(x, 40000, 8000) > 4800);
  CHECK(peak(x, 48000, 32000) == 0);
}

TEST_CASE("tone plan validation and unknown names", "[rtp][tone]") {
  CHECK(valid(default_tone("busy")));
  tone_spec unknown = default_tone("howler");
  CHECK(unknown.name == "howler");
  CHECK(unknown.cadence.empty());
  tone_player silent(unknown);
  CHECK(silent.finished());
  frame f;
  f.fill(9);
  silent.render(f);
  CHECK(std::all_of(f.begin(), f.end(), [](std::int16_t s) { return s == 0; }));

  CHECK_FALSE(valid(tone_spec{"x", {{4000, 0, -13, 100, 100}}, true}));
  CHECK_FALSE(valid(tone_spec{"x", {{425, 0, 3, 100, 100}}, true}));
  CHECK_FALSE(valid(tone_spec{"x", {{425, 0, -13, 0, 0}}, true}));
  CHECK(valid(tone_spec{"x", {{425, 0, -13, 0, 0}}, false}));
  CHECK_FALSE(
      valid(tone_spec{"x", std::vector<tone_segment>(17, {425, 0, -13, 10, 10}), true}));

  // A restart plays the cadence again from its start.
  tone_player once(tone_spec{"x", {{425, 0, -13, 20, 0}}, false});
  const auto a = render_frames(once, 1);
  CHECK(once.finished());
  once.restart();
  CHECK_FALSE(once.finished());
  CHECK(render_frames(once, 1) == a);
}

TEST_CASE("music on hold plays its four notes in order, repeating", "[rtp][tone]") {
  const tone_spec spec = default_tone("moh");
  CHECK(valid(spec));
  CHECK(spec.repeat);
  tone_player p(spec);
  const auto x = render_frames(p, 120); // two 1.2 s rounds of the melody
  CHECK_FALSE(p.finished());
  const std::array<double, 4> notes = {523, 659, 784, 659};
  const std::array<double, 3> distinct = {523, 659, 784};
  const std::size_t note_samples = 2400; // 300 ms
  for (std::size_t i = 0; i < 8; ++i) {
    // The middle 200 ms of each note (5 Hz resolution), clear of its edges.
    const std::size_t from = i * note_samples + 400;
    const std::size_t n = 1600;
    const double expected = notes[i % notes.size()];
    const double at = power_at(x, expected, from, n);
    INFO("note " << i << " at " << expected << " Hz");
    for (double other : distinct)
      if (other != expected)
        CHECK(at > 100 * power_at(x, other, from, n));
    CHECK(at > 100 * power_at(x, 440, from, n)); // not the callers' test tone
  }
  // -16 dBm0 is a peak of about 22706 × 10^(-16/20) ≈ 3598, below the
  // -13 dBm0 call-progress tones.
  CHECK(peak(x, 0, x.size()) > 3400);
  CHECK(peak(x, 0, x.size()) < 3800);
  // A melody with no gaps: no silent 20-sample stretch anywhere.
  for (std::size_t i = 0; i + 20 <= x.size(); i += 20)
    REQUIRE(peak(x, i, 20) > 500);
}
