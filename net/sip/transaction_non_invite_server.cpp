#include "net/sip/transaction_non_invite_server.hpp"

#include "base/assert.hpp"

namespace ringdown::sip {

non_invite_server_stm::non_invite_server_stm(message_ptr request,
                                             const timer_values& timers, bool reliable)
    : request_(std::move(request)), values_(timers), reliable_(reliable) {
  RINGDOWN_ASSERT(request_ && request_->is_request() &&
                      request_->method() != method::invite &&
                      request_->method() != method::ack,
                  "non-INVITE server transaction needs a request other than INVITE/ACK");
}

void non_invite_server_stm::start(time_point /*now*/, transaction_effects& out) {
  RINGDOWN_ASSERT(!started_, "transaction started twice");
  started_ = true;
  out.emplace_back(pass_to_tu{request_});
}

void non_invite_server_stm::handle(const server_event& ev, time_point now,
                                   transaction_effects& out) {
  RINGDOWN_ASSERT(started_, "event before start");
  if (state_ == state::terminated)
    return;
  if (std::holds_alternative<request_received>(ev)) {
    // Trying: absorbed; Proceeding/Completed: resend the last response.
    if (last_)
      out.emplace_back(send_message{last_});
  } else if (const auto* t = std::get_if<tu_response>(&ev)) {
    RINGDOWN_ASSERT(t->msg && t->msg->is_response(), "TU response is not a response");
    if (state_ == state::completed)
      return; // §17.2.2: later responses from the TU are discarded
    last_ = t->msg;
    out.emplace_back(send_message{last_});
    if (last_->status_code() < 200) {
      state_ = state::proceeding;
      return;
    }
    state_ = state::completed;
    if (const duration j = values_.j(reliable_); j == duration::zero())
      terminate(out);
    else
      timers_.arm(timer_name::j, now + j, out);
  } else if (const auto* f = std::get_if<timer_fired>(&ev)) {
    if (timers_.take(f->name)) {
      RINGDOWN_ASSERT(f->name == timer_name::j, "only Timer J is armed");
      terminate(out);
    }
  } else {
    out.emplace_back(tu_transport_error{});
    terminate(out);
  }
}

void non_invite_server_stm::terminate(transaction_effects& out) {
  timers_.cancel_all(out);
  state_ = state::terminated;
  out.emplace_back(terminated{});
}

std::string_view to_string(non_invite_server_stm::state s) noexcept {
  switch (s) {
  case non_invite_server_stm::state::trying:
    return "Trying";
  case non_invite_server_stm::state::proceeding:
    return "Proceeding";
  case non_invite_server_stm::state::completed:
    return "Completed";
  case non_invite_server_stm::state::terminated:
    return "Terminated";
  }
  return "?";
}

} // namespace ringdown::sip
