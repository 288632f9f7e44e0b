#pragma once

#include <chrono>
#include <cstdint>

namespace ringdown {

/// Monotonic time as the engine sees it. Every reading of time in Ringdown
/// goes through a `clock` so tests and the simulator can drive it.
using duration = std::chrono::nanoseconds;
using time_point = std::chrono::time_point<std::chrono::steady_clock, duration>;

/// Time source interface. Owned by whoever builds the node (ringdownd main,
/// a test fixture, the simulator); shared read-only by every module.
class clock {
public:
  virtual ~clock() = default;
  /// Monotonic now; never goes backwards.
  [[nodiscard]] virtual time_point now() const = 0;
  /// Wall-clock time in milliseconds since the Unix epoch (for CDRs, logs).
  [[nodiscard]] virtual std::int64_t wall_ms() const = 0;
};

/// The production clock: std::chrono::steady_clock and system_clock.
class real_clock final : public clock {
public:
  [[nodiscard]] time_point now() const override;
  [[nodiscard]] std::int64_t wall_ms() const override;
};

/// A clock that moves only when told to. Used by unit tests and the
/// simulator; starts at an arbitrary non-zero instant.
class manual_clock final : public clock {
public:
  explicit manual_clock(time_point start = time_point{std::chrono::seconds{1000}},
                        std::int64_t wall_start_ms = 1'700'000'000'000)
      : now_(start), wall_origin_ms_(wall_start_ms), origin_(start) {}

  [[nodiscard]] time_point now() const override { return now_; }
  [[nodiscard]] std::int64_t wall_ms() const override;

  /// Moves time forward by `d` (must be non-negative).
  void advance(duration d);
  /// Jumps to `t` (must not be earlier than now()).
  void set(time_point t);

private:
  time_point now_;
  std::int64_t wall_origin_ms_;
  time_point origin_;
};

} // namespace ringdown
