#include "net/sip/timer.hpp"

namespace ringdown::sip {

std::string_view to_string(timer_name t) noexcept {
  switch (t) {
  case timer_name::a:
    return "A";
  case timer_name::b:
    return "B";
  case timer_name::d:
    return "D";
  case timer_name::e:
    return "E";
  case timer_name::f:
    return "F";
  case timer_name::g:
    return "G";
  case timer_name::h:
    return "H";
  case timer_name::i:
    return "I";
  case timer_name::j:
    return "J";
  case timer_name::k:
    return "K";
  case timer_name::l:
    return "L";
  case timer_name::m:
    return "M";
  case timer_name::trying:
    return "trying";
  }
  return "?";
}

timer_values timer_values::from(const config::sip_timers& cfg) noexcept {
  timer_values v;
  v.t1 = std::chrono::milliseconds{cfg.t1_ms};
  v.t2 = std::chrono::milliseconds{cfg.t2_ms};
  v.t4 = std::chrono::milliseconds{cfg.t4_ms};
  return v;
}

} // namespace ringdown::sip
