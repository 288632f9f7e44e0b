#include "net/sip/transaction_invite_server.hpp"

#include <algorithm>

#include "base/assert.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::sip {

invite_server_stm::invite_server_stm(message_ptr invite, const timer_values& timers,
                                     bool reliable, trying_policy trying)
    : invite_(std::move(invite)), values_(timers), reliable_(reliable), trying_(trying) {
  RINGDOWN_ASSERT(invite_ && invite_->is_request() && invite_->method() == method::invite,
                  "INVITE server transaction needs an INVITE");
}

void invite_server_stm::start(time_point now, transaction_effects& out) {
  RINGDOWN_ASSERT(!started_, "transaction started twice");
  started_ = true;
  out.emplace_back(pass_to_tu{invite_});
  if (trying_ == trying_policy::immediate)
    send(share(message_builder::response(*invite_, 100, "Trying")), out);
  else
    timers_.arm(timer_name::trying, now + values_.trying_delay, out);
}

void invite_server_stm::handle(const server_event& ev, time_point now,
                               transaction_effects& out) {
  RINGDOWN_ASSERT(started_, "event before start");
  if (state_ == state::terminated)
    return;
  if (const auto* r = std::get_if<request_received>(&ev)) {
    on_request(r->msg, now, out);
  } else if (const auto* t = std::get_if<tu_response>(&ev)) {
    on_tu_response(t->msg, now, out);
  } else if (const auto* f = std::get_if<timer_fired>(&ev)) {
    on_timer(f->name, now, out);
  } else {
    out.emplace_back(tu_transport_error{});
    if (state_ != state::accepted) // RFC 6026 Figure 7: Accepted stays
      terminate(out);
  }
}

void invite_server_stm::on_request(const message_ptr& req, time_point now,
                                   transaction_effects& out) {
  RINGDOWN_ASSERT(req && req->is_request(), "server transaction fed a response");
  const bool ack = req->method() == method::ack;
  switch (state_) {
  case state::proceeding:
    if (!ack && last_) // retransmitted INVITE: resend the last provisional
      out.emplace_back(send_message{last_});
    return;
  case state::completed:
    if (!ack) {
      out.emplace_back(send_message{last_});
      return;
    }
    timers_.cancel(timer_name::g, out);
    timers_.cancel(timer_name::h, out);
    state_ = state::confirmed;
    if (const duration i = values_.i_k(reliable_); i == duration::zero())
      terminate(out);
    else
      timers_.arm(timer_name::i, now + i, out);
    return;
  case state::accepted:
    if (ack) // RFC 6026 §8.5: the ACK for the 2xx goes to the TU
      out.emplace_back(pass_to_tu{req});
    return; // INVITE retransmissions absorbed
  case state::confirmed:
  case state::terminated:
    return;
  }
}

void invite_server_stm::on_tu_response(const message_ptr& rsp, time_point now,
                                       transaction_effects& out) {
  RINGDOWN_ASSERT(rsp && rsp->is_response(), "TU response is not a response");
  const int code = rsp->status_code();
  switch (state_) {
  case state::proceeding:
    timers_.cancel(timer_name::trying, out);
    send(rsp, out);
    if (code < 200)
      return;
    if (code < 300) {
      state_ = state::accepted;
      invite_.reset();
      last_.reset();
      timers_.arm(timer_name::l, now + values_.timeout(), out);
      return;
    }
    state_ = state::completed;
    if (!reliable_) {
      g_interval_ = values_.t1;
      timers_.arm(timer_name::g, now + g_interval_, out);
    }
    timers_.arm(timer_name::h, now + values_.timeout(), out);
    return;
  case state::accepted:
    if (code >= 200 && code < 300) // RFC 6026 §8.5: TU's 2xx retransmission
      out.emplace_back(send_message{rsp});
    return;
  default:
    return; // §17.2.1: later responses from the TU are discarded
  }
}

void invite_server_stm::on_timer(timer_name t, time_point now, transaction_effects& out) {
  if (!timers_.take(t))
    return; // stale or cancelled
  switch (t) {
  case timer_name::trying:
    if (state_ == state::proceeding && !last_)
      send(share(message_builder::response(*invite_, 100, "Trying")), out);
    return;
  case timer_name::g:
    RINGDOWN_ASSERT(state_ == state::completed, "Timer G outside Completed");
    out.emplace_back(send_message{last_});
    g_interval_ = std::min(2 * g_interval_, values_.t2);
    timers_.arm(timer_name::g, now + g_interval_, out);
    return;
  case timer_name::h:
    out.emplace_back(tu_timeout{});
    terminate(out);
    return;
  case timer_name::i:
  case timer_name::l:
    terminate(out);
    return;
  default:
    RINGDOWN_ASSERT(false, "timer not used by the INVITE server transaction");
  }
}

const message& invite_server_stm::request() const noexcept {
  static const message none;
  return invite_ ? *invite_ : none;
}

void invite_server_stm::send(const message_ptr& rsp, transaction_effects& out) {
  last_ = rsp;
  out.emplace_back(send_message{rsp});
}

void invite_server_stm::terminate(transaction_effects& out) {
  timers_.cancel_all(out);
  state_ = state::terminated;
  out.emplace_back(terminated{});
}

std::string_view to_string(invite_server_stm::state s) noexcept {
  switch (s) {
  case invite_server_stm::state::proceeding:
    return "Proceeding";
  case invite_server_stm::state::completed:
    return "Completed";
  case invite_server_stm::state::confirmed:
    return "Confirmed";
  case invite_server_stm::state::accepted:
    return "Accepted";
  case invite_server_stm::state::terminated:
    return "Terminated";
  }
  return "?";
}

} // namespace ringdown::sip
