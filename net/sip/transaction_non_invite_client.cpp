#include "net/sip/transaction_non_invite_client.hpp"

#include <algorithm>

#include "base/assert.hpp"

namespace ringdown::sip {

non_invite_client_stm::non_invite_client_stm(message_ptr request,
                                             const timer_values& timers, bool reliable)
    : request_(std::move(request)), values_(timers), reliable_(reliable) {
  RINGDOWN_ASSERT(request_ && request_->is_request() &&
                      request_->method() != method::invite &&
                      request_->method() != method::ack,
                  "non-INVITE client transaction needs a request other than INVITE/ACK");
}

void non_invite_client_stm::start(time_point now, transaction_effects& out) {
  RINGDOWN_ASSERT(!started_, "transaction started twice");
  started_ = true;
  out.emplace_back(send_message{request_});
  if (!reliable_) {
    e_interval_ = values_.t1;
    timers_.arm(timer_name::e, now + e_interval_, out);
  }
  timers_.arm(timer_name::f, now + values_.timeout(), out);
}

void non_invite_client_stm::handle(const client_event& ev, time_point now,
                                   transaction_effects& out) {
  RINGDOWN_ASSERT(started_, "event before start");
  if (state_ == state::terminated)
    return;
  if (const auto* r = std::get_if<response_received>(&ev)) {
    on_response(r->msg, now, out);
  } else if (const auto* t = std::get_if<timer_fired>(&ev)) {
    on_timer(t->name, now, out);
  } else {
    out.emplace_back(tu_transport_error{});
    terminate(out);
  }
}

void non_invite_client_stm::on_response(const message_ptr& rsp, time_point now,
                                        transaction_effects& out) {
  RINGDOWN_ASSERT(rsp && rsp->is_response(), "client transaction fed a request");
  if (state_ == state::completed)
    return; // §17.1.2.2: retransmissions absorbed until Timer K
  out.emplace_back(pass_to_tu{rsp});
  if (rsp->status_code() < 200) {
    state_ = state::proceeding;
    return;
  }
  timers_.cancel(timer_name::e, out);
  timers_.cancel(timer_name::f, out);
  state_ = state::completed;
  const duration k = values_.i_k(reliable_);
  if (k == duration::zero())
    terminate(out);
  else
    timers_.arm(timer_name::k, now + k, out);
}

void non_invite_client_stm::on_timer(timer_name t, time_point now,
                                     transaction_effects& out) {
  if (!timers_.take(t))
    return; // stale or cancelled
  switch (t) {
  case timer_name::e:
    out.emplace_back(send_message{request_});
    // Trying: double up to T2; Proceeding: always T2 (§17.1.2.2).
    e_interval_ =
        state_ == state::trying ? std::min(2 * e_interval_, values_.t2) : values_.t2;
    timers_.arm(timer_name::e, now + e_interval_, out);
    return;
  case timer_name::f:
    out.emplace_back(tu_timeout{});
    terminate(out);
    return;
  case timer_name::k:
    terminate(out);
    return;
  default:
    RINGDOWN_ASSERT(false, "timer not used by the non-INVITE client transaction");
  }
}

void non_invite_client_stm::terminate(transaction_effects& out) {
  timers_.cancel_all(out);
  state_ = state::terminated;
  out.emplace_back(terminated{});
}

std::string_view to_string(non_invite_client_stm::state s) noexcept {
  switch (s) {
  case non_invite_client_stm::state::trying:
    return "Trying";
  case non_invite_client_stm::state::proceeding:
    return "Proceeding";
  case non_invite_client_stm::state::completed:
    return "Completed";
  case non_invite_client_stm::state::terminated:
    return "Terminated";
  }
  return "?";
}

} // namespace ringdown::sip
