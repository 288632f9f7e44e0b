#include "net/sip/timer_set.hpp"

#include <algorithm>

#include "base/assert.hpp"

namespace ringdown::sip {

void timer_set::arm(timer_name t, time_point deadline, transaction_effects& out) {
  int i = slot_of(t);
  if (i < 0)
    i = slot_of(free_slot);
  RINGDOWN_ASSERT(i >= 0, "a transaction armed more timers than timer_set holds");
  names_[static_cast<std::size_t>(i)] = t;
  deadlines_[static_cast<std::size_t>(i)] = deadline;
  out.emplace_back(arm_timer{t, deadline});
}

void timer_set::cancel(timer_name t, transaction_effects& out) {
  if (!take(t))
    return;
  out.emplace_back(cancel_timer{t});
}

void timer_set::cancel_all(transaction_effects& out) {
  for (std::size_t i = 0; i < timer_count; ++i) // in timer name order
    cancel(static_cast<timer_name>(i), out);
}

bool timer_set::take(timer_name t) noexcept {
  const int i = slot_of(t);
  if (i < 0)
    return false;
  names_[static_cast<std::size_t>(i)] = free_slot;
  return true;
}

bool timer_set::any_armed() const noexcept {
  return std::any_of(names_.begin(), names_.end(),
                     [](timer_name n) { return n != free_slot; });
}

} // namespace ringdown::sip
