#include "net/sip/timer_set.hpp"

#include "base/assert.hpp"

namespace ringdown::sip {

void timer_set::arm(timer_name t, time_point deadline, transaction_effects& out) {
  RINGDOWN_ASSERT(deadline != unarmed, "timer deadline out of range");
  deadlines_[static_cast<std::size_t>(t)] = deadline;
  out.emplace_back(arm_timer{t, deadline});
}

void timer_set::cancel(timer_name t, transaction_effects& out) {
  auto& slot = deadlines_[static_cast<std::size_t>(t)];
  if (slot == unarmed)
    return;
  slot = unarmed;
  out.emplace_back(cancel_timer{t});
}

void timer_set::cancel_all(transaction_effects& out) {
  for (std::size_t i = 0; i < timer_count; ++i)
    cancel(static_cast<timer_name>(i), out);
}

bool timer_set::take(timer_name t) noexcept {
  auto& slot = deadlines_[static_cast<std::size_t>(t)];
  if (slot == unarmed)
    return false;
  slot = unarmed;
  return true;
}

bool timer_set::any_armed() const noexcept {
  for (const auto& d : deadlines_)
    if (d != unarmed)
      return true;
  return false;
}

} // namespace ringdown::sip
