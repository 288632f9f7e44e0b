#pragma once

#include <cstdint>
#include <string_view>

#include "base/clock.hpp"
#include "net/sip/timer.hpp"
#include "net/sip/timer_set.hpp"
#include "net/sip/transaction_effect.hpp"

namespace ringdown::sip {

/// INVITE server transaction, RFC 3261 §17.2.1 as updated by RFC 6026 §8.5
/// (Accepted state, Timer L; Figure 7 of RFC 6026). A pure state machine:
/// no I/O, no clock reads; owned by a `transaction_table` (one transport
/// thread) or by a test.
///
///   Proceeding --300-699 from TU--> Completed --ACK--> Confirmed --Timer I--> Terminated
///       \--2xx from TU--> Accepted --Timer L--> Terminated
///   Completed --Timer H--> Terminated (timeout to TU)
///
/// - `start` passes the INVITE to the TU and sends 100 Trying at once
///   (`trying_policy::immediate`), or arms the `trying` timer and sends it
///   only if the TU has sent no response within 200 ms (`after_200ms`).
/// - Proceeding: an INVITE retransmission resends the last provisional.
/// - Completed: Timer G (unreliable only) resends the final response at T1
///   doubling up to T2; an INVITE retransmission resends it; Timer H =
///   64*T1 waits for the ACK; the ACK moves to Confirmed.
/// - Confirmed: ACK retransmissions absorbed until Timer I (T4 unreliable,
///   0 reliable).
/// - Accepted: INVITE retransmissions absorbed, ACKs (for the 2xx) passed
///   to the TU, 2xx retransmissions from the TU sent, until Timer L = 64*T1.
///   Nothing in it needs the INVITE or the 2xx: both are released on
///   entering it (a call's transactions outlive its answer by 32 s).
/// - A transport error (§17.2.4) informs the TU and terminates, except in
///   Accepted where RFC 6026 Figure 7 keeps the transaction (the TU may
///   retransmit its 2xx again) until Timer L.
class invite_server_stm {
public:
  enum class state : std::uint8_t {
    proceeding, ///< §17.2.1
    completed,  ///< §17.2.1
    confirmed,  ///< §17.2.1
    accepted,   ///< RFC 6026 §8.5
    terminated, ///< §17.2.1
  };

  invite_server_stm(message_ptr invite, const timer_values& timers, bool reliable,
                    trying_policy trying = trying_policy::immediate);

  /// Passes the INVITE to the TU and sends or schedules 100 Trying.
  void start(time_point now, transaction_effects& out);
  void handle(const server_event& ev, time_point now, transaction_effects& out);

  [[nodiscard]] state current() const noexcept { return state_; }
  [[nodiscard]] bool reliable() const noexcept { return reliable_; }
  /// The INVITE; an empty message once Accepted.
  [[nodiscard]] const message& request() const noexcept;
  /// Last response sent (provisional or final); null before the first and
  /// once Accepted.
  [[nodiscard]] const message_ptr& last_response() const noexcept { return last_; }
  [[nodiscard]] const timer_set& timers() const noexcept { return timers_; }

private:
  void on_request(const message_ptr& req, time_point now, transaction_effects& out);
  void on_tu_response(const message_ptr& rsp, time_point now, transaction_effects& out);
  void on_timer(timer_name t, time_point now, transaction_effects& out);
  void send(const message_ptr& rsp, transaction_effects& out);
  void terminate(transaction_effects& out);

  message_ptr invite_;
  message_ptr last_;
  timer_values values_;
  timer_set timers_;
  duration g_interval_{};
  state state_ = state::proceeding;
  bool reliable_;
  trying_policy trying_;
  bool started_ = false;
};

std::string_view to_string(invite_server_stm::state s) noexcept;

} // namespace ringdown::sip
