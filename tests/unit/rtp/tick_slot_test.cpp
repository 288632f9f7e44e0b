#include <catch2/catch.hpp>

#include "net/rtp/tick_slot.hpp"

using namespace ringdown;
using namespace ringdown::rtp;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

namespace {

time_point at(nanoseconds d) {
  return time_point{d};
}

} // namespace

TEST_CASE("bridges are spread over the 20 ms frame by id", "[rtp][tick]") {
  CHECK(tick_phase(0) == milliseconds{0});
  CHECK(tick_phase(7) == milliseconds{7});
  CHECK(tick_phase(20) == milliseconds{0});
  CHECK(tick_phase(41) == milliseconds{1});
}

TEST_CASE("the next tick slot is the first instant on the bridge's phase", "[rtp][tick]") {
  constexpr milliseconds frame{20};
  struct row {
    nanoseconds t;
    milliseconds phase;
    milliseconds period;
    nanoseconds want;
  };
  const row rows[] = {
      {milliseconds{0}, milliseconds{0}, frame, milliseconds{0}},       // on the slot
      {nanoseconds{1}, milliseconds{0}, frame, milliseconds{20}},       // just after it
      {milliseconds{7}, milliseconds{7}, frame, milliseconds{7}},       // on a phase
      {milliseconds{8}, milliseconds{7}, frame, milliseconds{27}},      // past the phase
      {milliseconds{1000}, milliseconds{3}, frame, milliseconds{1003}}, // later frames
      {milliseconds{1005}, milliseconds{3}, milliseconds{100}, milliseconds{1103}},
      {milliseconds{-5}, milliseconds{3}, frame, milliseconds{3}}, // before the epoch
      {milliseconds{-25}, milliseconds{3}, frame, milliseconds{-17}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.t.count(), r.phase.count(), r.period.count());
    const time_point got = next_tick_slot(at(r.t), r.phase, r.period);
    CHECK(got.time_since_epoch() == r.want);
  }
}

TEST_CASE("tick slots stay on their phase from any instant", "[rtp][tick]") {
  constexpr milliseconds frame{20};
  for (std::int64_t us = -50'000; us <= 50'000; us += 137) {
    const time_point t = at(std::chrono::microseconds{us});
    for (std::uint64_t id = 0; id < 40; id += 3) {
      const time_point s = next_tick_slot(t, tick_phase(id), frame);
      CHECK(s >= t);
      CHECK(s - t < frame);
      const auto in_frame = ((s.time_since_epoch() % frame) + frame) % frame;
      CHECK(in_frame == tick_phase(id));
    }
  }
}
