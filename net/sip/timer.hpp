#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/clock.hpp"
#include "config/config.hpp"

namespace ringdown::sip {

/// The transaction timers of RFC 3261 §17 (Table 4 of Appendix A) and
/// RFC 6026 §8.4 (L, M), plus `trying`: the 200 ms after which an INVITE
/// server transaction sends 100 Trying when configured to wait (§17.2.1).
enum class timer_name : std::uint8_t {
  a,      ///< INVITE client: request retransmit (§17.1.1.2)
  b,      ///< INVITE client: transaction timeout (§17.1.1.2)
  d,      ///< INVITE client: wait for response retransmits (§17.1.1.2)
  e,      ///< non-INVITE client: request retransmit (§17.1.2.2)
  f,      ///< non-INVITE client: transaction timeout (§17.1.2.2)
  g,      ///< INVITE server: final response retransmit (§17.2.1)
  h,      ///< INVITE server: wait for ACK (§17.2.1)
  i,      ///< INVITE server: wait for ACK retransmits (§17.2.1)
  j,      ///< non-INVITE server: wait for request retransmits (§17.2.2)
  k,      ///< non-INVITE client: wait for response retransmits (§17.1.2.2)
  l,      ///< INVITE server: wait for INVITE retransmits after 2xx (RFC 6026)
  m,      ///< INVITE client: wait for 2xx retransmits (RFC 6026)
  trying, ///< INVITE server: 100 Trying if the TU has not answered (§17.2.1)
};

inline constexpr std::size_t timer_count = 13;

/// "A", "B", ..., "M", "trying".
std::string_view to_string(timer_name t) noexcept;

/// Timer durations derived from T1, T2, T4 (`[sip.timers]` configuration).
/// A value type shared read-only by every transaction of a table.
struct timer_values {
  duration t1 = std::chrono::milliseconds{500};
  duration t2 = std::chrono::milliseconds{4000};
  duration t4 = std::chrono::milliseconds{5000};
  /// Timer D on unreliable transports: "at least 32 s" (§17.1.1.2).
  duration d_unreliable = std::chrono::seconds{32};
  /// How long an INVITE server transaction waits for the TU before it
  /// sends 100 Trying itself, when `trying_policy::after_200ms` (§17.2.1).
  duration trying_delay = std::chrono::milliseconds{200};

  static timer_values from(const config::sip_timers& cfg) noexcept;

  /// 64*T1: Timers B, F, H, J (unreliable), L and M.
  [[nodiscard]] duration timeout() const noexcept { return 64 * t1; }
  /// Timer D: 0 on a reliable transport; else d_unreliable, or 64*T1 when
  /// larger (the server retransmits its final for up to 64*T1).
  [[nodiscard]] duration d(bool reliable) const noexcept {
    return reliable ? duration::zero() : std::max(d_unreliable, timeout());
  }
  /// Timers I and K: T4, or 0 on a reliable transport.
  [[nodiscard]] duration i_k(bool reliable) const noexcept {
    return reliable ? duration::zero() : t4;
  }
  /// Timer J: 64*T1, or 0 on a reliable transport.
  [[nodiscard]] duration j(bool reliable) const noexcept {
    return reliable ? duration::zero() : timeout();
  }
};

/// When an INVITE server transaction sends 100 Trying (§17.2.1: "MUST
/// generate a 100 (Trying) response unless it knows that the TU will
/// generate a provisional or final response within 200 ms").
enum class trying_policy : std::uint8_t {
  immediate,   ///< at once, when the INVITE arrives (the default)
  after_200ms, ///< only if the TU has sent nothing after `trying_delay`
};

} // namespace ringdown::sip
