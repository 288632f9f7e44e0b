#pragma once

#include <cstdint>
#include <string_view>

#include "base/clock.hpp"
#include "net/sip/timer.hpp"
#include "net/sip/timer_set.hpp"
#include "net/sip/transaction_effect.hpp"

namespace ringdown::sip {

/// Non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8). A pure state
/// machine: no I/O, no clock reads; owned by a `transaction_table` (one
/// transport thread) or by a test.
///
///   Trying --1xx from TU--> Proceeding --200-699 from TU--> Completed --Timer J-->
///   Terminated
///      \--200-699 from TU--> Completed
///
/// - `start` passes the request to the TU.
/// - Trying: request retransmissions absorbed. Proceeding: they resend the
///   last provisional. Completed: they resend the final response; further
///   responses from the TU are discarded.
/// - Timer J: 64*T1 unreliable, 0 reliable.
/// - A transport error (§17.2.4) informs the TU and terminates.
class non_invite_server_stm {
public:
  enum class state : std::uint8_t {
    trying,     ///< §17.2.2
    proceeding, ///< §17.2.2
    completed,  ///< §17.2.2
    terminated, ///< §17.2.2
  };

  non_invite_server_stm(message_ptr request, const timer_values& timers, bool reliable);

  /// Passes the request to the TU.
  void start(time_point now, transaction_effects& out);
  void handle(const server_event& ev, time_point now, transaction_effects& out);

  [[nodiscard]] state current() const noexcept { return state_; }
  [[nodiscard]] bool reliable() const noexcept { return reliable_; }
  [[nodiscard]] const message& request() const noexcept { return *request_; }
  [[nodiscard]] const message_ptr& last_response() const noexcept { return last_; }
  [[nodiscard]] const timer_set& timers() const noexcept { return timers_; }

private:
  void terminate(transaction_effects& out);

  message_ptr request_;
  message_ptr last_;
  timer_values values_;
  timer_set timers_;
  state state_ = state::trying;
  bool reliable_;
  bool started_ = false;
};

std::string_view to_string(non_invite_server_stm::state s) noexcept;

} // namespace ringdown::sip
