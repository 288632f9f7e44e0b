#pragma once

#include <cstdint>

#include "base/clock.hpp"
#include "net/sip/timer.hpp"
#include "net/sip/timer_set.hpp"
#include "net/sip/transaction_effect.hpp"

namespace ringdown::sip {

/// INVITE client transaction, RFC 3261 §17.1.1 as updated by RFC 6026 §8.4
/// (Accepted state, Timer M). A pure state machine: no I/O, no clock reads;
/// owned by a `transaction_table` (one transport thread) or by a test.
///
///   Calling --1xx--> Proceeding --2xx--> Accepted --Timer M--> Terminated
///      |  \--2xx--> Accepted          \--300-699--> Completed --Timer D--> Terminated
///      \--300-699--> Completed (ACK sent)
///   Calling --Timer B--> Terminated (timeout to TU)
///
/// - Timer A (unreliable only): retransmit the INVITE at T1, 2*T1, 4*T1...
///   while Calling; Timer B = 64*T1 bounds Calling.
/// - 300-699: the machine builds and sends the ACK (§17.1.1.3), passes the
///   response to the TU, and resends the ACK for every retransmission of
///   the response until Timer D (32 s unreliable, 0 reliable).
/// - 2xx: passed to the TU, which sends its own ACK (§13.2.2.4); in
///   Accepted every further 2xx is passed to the TU too (RFC 6026 §8.4)
///   until Timer M = 64*T1; the INVITE is no longer needed there and is
///   released on entering it.
/// - A transport error (§17.1.4) informs the TU and terminates.
class invite_client_stm {
public:
  enum class state : std::uint8_t {
    calling,    ///< §17.1.1.2
    proceeding, ///< §17.1.1.2
    accepted,   ///< RFC 6026 §8.4
    completed,  ///< §17.1.1.2
    terminated, ///< §17.1.1.2
  };

  /// `invite` must carry its top Via with the branch already set.
  invite_client_stm(message_ptr invite, const timer_values& timers, bool reliable);

  /// Sends the INVITE and arms Timers A and B ("INVITE from TU").
  void start(time_point now, transaction_effects& out);
  void handle(const client_event& ev, time_point now, transaction_effects& out);

  [[nodiscard]] state current() const noexcept { return state_; }
  [[nodiscard]] bool reliable() const noexcept { return reliable_; }
  /// The INVITE; an empty message once Accepted.
  [[nodiscard]] const message& request() const noexcept;
  [[nodiscard]] const timer_set& timers() const noexcept { return timers_; }

private:
  void on_response(const message_ptr& rsp, time_point now, transaction_effects& out);
  void on_timer(timer_name t, time_point now, transaction_effects& out);
  void to_completed(const message_ptr& rsp, time_point now, transaction_effects& out);
  void to_accepted(const message_ptr& rsp, time_point now, transaction_effects& out);
  void terminate(transaction_effects& out);

  message_ptr invite_;
  message_ptr ack_; ///< set on entering Completed
  timer_values values_;
  timer_set timers_;
  duration a_interval_{};
  state state_ = state::calling;
  bool reliable_;
  bool started_ = false;
};

std::string_view to_string(invite_client_stm::state s) noexcept;

} // namespace ringdown::sip
