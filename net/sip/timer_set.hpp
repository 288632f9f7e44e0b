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
    const int i = slot_of(t);
    return i < 0 ? std::nullopt
                 : std::optional<time_point>{deadlines_[static_cast<std::size_t>(i)]};
  }
  [[nodiscard]] bool armed(timer_name t) const noexcept { return slot_of(t) >= 0; }
  [[nodiscard]] bool any_armed() const noexcept;

private:
  /// A machine arms at most three timers at once (an INVITE server:
  /// Timers G and H, and the 100 Trying delay); a slot per armed timer,
  /// not one per timer name: every transaction of every call carries this.
  static constexpr std::size_t slots = 4;
  /// Marks a free slot.
  static constexpr auto free_slot = static_cast<timer_name>(0xff);

  /// The slot holding `t`, -1 when `t` is not armed.
  [[nodiscard]] int slot_of(timer_name t) const noexcept {
    for (std::size_t i = 0; i < slots; ++i)
      if (names_[i] == t)
        return static_cast<int>(i);
    return -1;
  }

  std::array<timer_name, slots> names_{free_slot, free_slot, free_slot, free_slot};
  std::array<time_point, slots> deadlines_{};
};

} // namespace ringdown::sip
