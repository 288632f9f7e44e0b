#include "net/sip/transaction_invite_client.hpp"

#include "base/assert.hpp"
#include "net/sip/transaction_ack.hpp"

namespace ringdown::sip {

invite_client_stm::invite_client_stm(message_ptr invite, const timer_values& timers,
                                     bool reliable)
    : invite_(std::move(invite)), values_(timers), reliable_(reliable) {
  RINGDOWN_ASSERT(invite_ && invite_->is_request() && invite_->method() == method::invite,
                  "INVITE client transaction needs an INVITE");
}

void invite_client_stm::start(time_point now, transaction_effects& out) {
  RINGDOWN_ASSERT(!started_, "transaction started twice");
  started_ = true;
  out.emplace_back(send_message{invite_});
  if (!reliable_) {
    a_interval_ = values_.t1;
    timers_.arm(timer_name::a, now + a_interval_, out);
  }
  timers_.arm(timer_name::b, now + values_.timeout(), out);
}

void invite_client_stm::handle(const client_event& ev, time_point now,
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

void invite_client_stm::on_response(const message_ptr& rsp, time_point now,
                                    transaction_effects& out) {
  RINGDOWN_ASSERT(rsp && rsp->is_response(), "client transaction fed a request");
  const int code = rsp->status_code();
  switch (state_) {
  case state::calling:
  case state::proceeding:
    if (code < 200) {
      if (state_ == state::calling) {
        // §17.1.1.2: no more retransmissions; Timer B only bounds Calling.
        timers_.cancel(timer_name::a, out);
        timers_.cancel(timer_name::b, out);
        state_ = state::proceeding;
      }
      out.emplace_back(pass_to_tu{rsp});
    } else if (code < 300) {
      to_accepted(rsp, now, out);
    } else {
      to_completed(rsp, now, out);
    }
    return;
  case state::accepted:
    // RFC 6026 §8.4: 2xx retransmissions (or other forks' 2xx) go to the TU.
    if (code >= 200 && code < 300)
      out.emplace_back(pass_to_tu{rsp});
    return;
  case state::completed:
    // §17.1.1.2: a retransmitted final response is answered with the ACK.
    if (code >= 300)
      out.emplace_back(send_message{ack_});
    return;
  case state::terminated:
    return;
  }
}

void invite_client_stm::on_timer(timer_name t, time_point now, transaction_effects& out) {
  if (!timers_.take(t))
    return; // stale or cancelled
  switch (t) {
  case timer_name::a:
    RINGDOWN_ASSERT(state_ == state::calling, "Timer A outside Calling");
    out.emplace_back(send_message{invite_});
    a_interval_ *= 2;
    timers_.arm(timer_name::a, now + a_interval_, out);
    return;
  case timer_name::b:
    out.emplace_back(tu_timeout{});
    terminate(out);
    return;
  case timer_name::d:
  case timer_name::m:
    terminate(out);
    return;
  default:
    RINGDOWN_ASSERT(false, "timer not used by the INVITE client transaction");
  }
}

void invite_client_stm::to_completed(const message_ptr& rsp, time_point now,
                                     transaction_effects& out) {
  timers_.cancel(timer_name::a, out);
  timers_.cancel(timer_name::b, out);
  state_ = state::completed;
  ack_ = share(build_non_2xx_ack(*invite_, *rsp));
  out.emplace_back(send_message{ack_});
  out.emplace_back(pass_to_tu{rsp});
  const duration d = values_.d(reliable_);
  if (d == duration::zero())
    terminate(out);
  else
    timers_.arm(timer_name::d, now + d, out);
}

void invite_client_stm::to_accepted(const message_ptr& rsp, time_point now,
                                    transaction_effects& out) {
  timers_.cancel(timer_name::a, out);
  timers_.cancel(timer_name::b, out);
  state_ = state::accepted;
  invite_.reset();
  out.emplace_back(pass_to_tu{rsp});
  timers_.arm(timer_name::m, now + values_.timeout(), out);
}

const message& invite_client_stm::request() const noexcept {
  static const message none;
  return invite_ ? *invite_ : none;
}

void invite_client_stm::terminate(transaction_effects& out) {
  timers_.cancel_all(out);
  state_ = state::terminated;
  out.emplace_back(terminated{});
}

std::string_view to_string(invite_client_stm::state s) noexcept {
  switch (s) {
  case invite_client_stm::state::calling:
    return "Calling";
  case invite_client_stm::state::proceeding:
    return "Proceeding";
  case invite_client_stm::state::accepted:
    return "Accepted";
  case invite_client_stm::state::completed:
    return "Completed";
  case invite_client_stm::state::terminated:
    return "Terminated";
  }
  return "?";
}

} // namespace ringdown::sip
