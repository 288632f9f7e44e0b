#pragma once

#include <cstdint>
#include <string_view>

#include "base/clock.hpp"
#include "net/sip/timer.hpp"
#include "net/sip/timer_set.hpp"
#include "net/sip/transaction_effect.hpp"

namespace ringdown::sip {

/// Non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6). A pure
/// state machine: no I/O, no clock reads; owned by a `transaction_table`
/// (one transport thread) or by a test.
///
///   Trying --1xx--> Proceeding --200-699--> Completed --Timer K--> Terminated
///      \--200-699--> Completed
///   Trying/Proceeding --Timer F or transport error--> Terminated (TU told)
///
/// - Timer E (unreliable only): retransmit at T1, then doubling up to T2
///   while Trying; every T2 while Proceeding (§17.1.2.2).
/// - Timer F = 64*T1: timeout to the TU.
/// - Timer K: T4 unreliable, 0 reliable; absorbs response retransmissions.
/// The request is never ACK (ACK has no client transaction) nor INVITE.
class non_invite_client_stm {
public:
  enum class state : std::uint8_t {
    trying,     ///< §17.1.2.2
    proceeding, ///< §17.1.2.2
    completed,  ///< §17.1.2.2
    terminated, ///< §17.1.2.2
  };

  non_invite_client_stm(message_ptr request, const timer_values& timers, bool reliable);

  /// Sends the request and arms Timers E and F ("Request from TU").
  void start(time_point now, transaction_effects& out);
  void handle(const client_event& ev, time_point now, transaction_effects& out);

  [[nodiscard]] state current() const noexcept { return state_; }
  [[nodiscard]] bool reliable() const noexcept { return reliable_; }
  [[nodiscard]] const message& request() const noexcept { return *request_; }
  [[nodiscard]] const timer_set& timers() const noexcept { return timers_; }

private:
  void on_response(const message_ptr& rsp, time_point now, transaction_effects& out);
  void on_timer(timer_name t, time_point now, transaction_effects& out);
  void terminate(transaction_effects& out);

  message_ptr request_;
  timer_values values_;
  timer_set timers_;
  duration e_interval_{};
  state state_ = state::trying;
  bool reliable_;
  bool started_ = false;
};

std::string_view to_string(non_invite_client_stm::state s) noexcept;

} // namespace ringdown::sip
