#pragma once

#include <chrono>
#include <cstdint>

#include "base/clock.hpp"
#include "net/rtp/types.hpp"

namespace ringdown::rtp {

/// The millisecond of the 20 ms frame on which a bridge ticks: bridges are
/// spread over the 20 slots by id, so a media thread is woken at most once
/// a millisecond by ticks however many bridges it runs (their timers
/// expire together), and their work is not bunched by when they were
/// created.
[[nodiscard]] constexpr std::chrono::milliseconds
tick_phase(std::uint64_t bridge) noexcept {
  return std::chrono::milliseconds{static_cast<std::int64_t>(bridge % frame_ms)};
}

/// The first instant at or after `t` that lies `phase` after a multiple of
/// `period` on the clock (periods and phases in whole milliseconds, phase
/// below period; any epoch, negative times included).
[[nodiscard]] constexpr time_point
next_tick_slot(time_point t, std::chrono::milliseconds phase,
               std::chrono::milliseconds period) noexcept {
  const duration p = period;
  const duration since = t.time_since_epoch() - duration{phase};
  auto k = since / p; // rounds toward zero
  if (k * p < since)
    ++k;
  return time_point{k * p + duration{phase}};
}

} // namespace ringdown::rtp
