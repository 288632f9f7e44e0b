#pragma once

#include <array>
#include <optional>

#include "base/clock.hpp"
#include "net/sip/timer.hpp"
#include "net/sip/transaction_effect.hpp"

namespace ringdown::sip {

/// The timers one transaction state machine has armed, with their
/// deadlines. Emits the `arm_timer` / `cancel_timer` effects and filters
/// stale `timer_fired` events. Part of one machine; same thread.
class timer_set {
public:
  /// Arms (or re-arms) `t` for `deadline`.
  void arm(timer_name t, time_point deadline, transaction_effects& out);
  /// Cancels `t` if armed.
  void cancel(timer_name t, transaction_effects& out);
  /// Cancels every armed timer (before `terminated`).
  void cancel_all(transaction_effects& out);
  /// Called on `timer_fired{t}`: true (and `t` disarmed) when `t` was armed.
  bool take(timer_name t) noexcept;

  [[nodiscard]] std::optional<time_point> deadline(timer_name t) const noexcept {
    const auto d = deadlines_[static_cast<std::size_t>(t)];
    return d == unarmed ? std::nullopt : std::optional<time_point>{d};
  }
  [[nodiscard]] bool armed(timer_name t) const noexcept { return deadline(t).has_value(); }
  [[nodiscard]] bool any_armed() const noexcept;

private:
  /// Marks a timer not armed: no deadline is ever this early. A plain
  /// time_point per timer, not an optional (half the size per machine:
  /// every transaction of every call carries one).
  static constexpr time_point unarmed = time_point::min();

  std::array<time_point, timer_count> deadlines_ = [] {
    std::array<time_point, timer_count> a{};
    a.fill(unarmed);
    return a;
  }();
};

} // namespace ringdown::sip
