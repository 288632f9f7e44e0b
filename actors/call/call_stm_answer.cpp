// call_stm: responses to our requests; the forks' answers to the INVITE
// (RFC 3261 §13.2.2, §16.7 response selection as a B2BUA applies it).
#include <algorithm>
#include <cstdlib>

#include "actors/call/call_stm.hpp"
#include "actors/call/fork_ranking.hpp"
#include "net/sip/builder.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::call {

effects call_stm::on_response(std::uint64_t request, const sip::message& resp,
                              call_time t) {
  effects out;
  const auto it = pending_.find(request);
  if (it == pending_.end()) {
    log().debug("Call-ID {}: response {} to no pending request {} (Call-ID {})",
                cdr_.call_id, resp.status_code(), request, resp.call_id());
    return out;
  }
  const int status = resp.status_code();
  pending p = it->second;
  // An INVITE stays pending after its 2xx: retransmitted 2xx are re-ACKed.
  if (status >= 200 && !(p.what == purpose::invite && status < 300))
    pending_.erase(it);
  call_leg& l = leg_ref(p.leg);
  switch (p.what) {
  case purpose::invite:
    on_invite_response(l, resp, t, out);
    break;
  case purpose::relay:
    on_relay_response(p, resp, t, out);
    break;
  case purpose::refresh:
  case purpose::reinvite:
    if (status >= 200 && status < 300) {
      if (p.method == "INVITE")
        out.emplace_back(send_ack{l.id, l.dlg->make_ack(p.cseq), l.dlg->destination()});
      l.dlg->refresh_target(resp);
      if (!resp.body().empty())
        l.sdp_received = std::string(resp.body());
      if (p.what == purpose::refresh) {
        timer_from_b(l, resp); // the 2xx may change the interval
        arm_session(l, t, out);
      }
    } else if (status == 481 || status == 408) {
      // §12.2.1.2: the dialog is gone; end the call.
      bye(leg_ref(peer_of(l.id)), out);
      l.state = leg_state::terminated;
      finish(disposition::answered, 200, "Dialog lost", "system", t, out);
    } else if (status == 422 && p.what == purpose::refresh) {
      if (const auto v = resp.header(sip::header_id::min_se); !v.empty())
        l.timer.expires_s = std::max<std::uint32_t>(
            l.timer.expires_s,
            static_cast<std::uint32_t>(std::atoi(std::string(v).c_str())));
      refresh(l, t, out);
    } else if (status >= 300 && p.what == purpose::refresh) {
      arm({timer_kind::session_refresh, l.id}, t.now + std::chrono::seconds{4}, out);
    }
    break;
  case purpose::pick_up:
    on_pick_up_response(l, resp, t, out);
    break;
  case purpose::from_linked:
    on_from_linked_response(p, resp, t, out);
    break;
  case purpose::to_linked: // never sent on a leg: answered by on_linked_response
  case purpose::bye:
  case purpose::notify:
  case purpose::identity:
  case purpose::announce:
    break;
  }
  return out;
}

bool call_stm::prack(call_leg& b, const sip::message& resp, effects& out) {
  if (!resp.lists_token(sip::header_id::require, "100rel"))
    return true; // an ordinary provisional response
  const auto parsed = sip::scan::to_uint(sip::scan::trim(resp.header("RSeq")), 0x7FFFFFFFu);
  const auto rseq = static_cast<std::uint32_t>(parsed.value_or(0));
  if (rseq == 0) {
    log().info("Call-ID {}: reliable {} from leg {} without a valid RSeq: ignored",
               cdr_.call_id, resp.status_code(), b.id);
    return false;
  }
  const auto to = resp.to();
  if (!b.dlg || !to || b.dlg->id().remote_tag != to->tag()) {
    // Another early dialog of a fork downstream: passed on, not PRACKed
    // (our leg follows one dialog).
    log().info("Call-ID {}: reliable {} of another early dialog on leg {}: not PRACKed",
               cdr_.call_id, resp.status_code(), b.id);
    return true;
  }
  if (b.rseq != 0 && rseq != b.rseq + 1)
    return false; // §4: repeated (our PRACK is on its way) or out of order
  b.rseq = rseq;
  const auto cseq = resp.cseq();
  sip::message msg = b.dlg->make_request(
      "PRACK", {{"RAck", std::to_string(rseq) + " " +
                             std::to_string(cseq ? cseq->number : 0) + " INVITE"}});
  (void)send(b, std::move(msg), out); // its 200 needs nothing of us
  return true;
}

void call_stm::on_invite_response(call_leg& b, const sip::message& resp, call_time t,
                                  effects& out) {
  const int status = resp.status_code();
  const bool transfer_leg = transfer_.active && b.id == transfer_.target;
  if (status < 200) {
    if (status == 100 || b.cancelled || b.state == leg_state::confirmed)
      return;
    if (!b.dlg)
      b.dlg = dialog::from_uac(b.invite_message(), resp, cfg_.local);
    if (b.dlg)
      b.state = leg_state::early;
    if (!prack(b, resp, out))
      return; // a reliable one out of order or repeated: not processed
    if (transfer_leg) {
      if (status == 180)
        notify_sipfrag(leg_ref(transfer_.transferor), status, resp.reason_phrase(), false,
                       out);
      return;
    }
    if (state_ == state::dialling) {
      seized_progress(b, resp, t, out);
      return;
    }
    if (state_ != state::proceeding && state_ != state::early)
      return;
    call_leg& a = legs_[leg_a];
    auto r = sip::message_builder::response(a.invite_message(), status,
                                            resp.reason_phrase(), a_tag_);
    r.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
    if (!resp.body().empty()) {
      a.sdp_sent = relay_sdp(b.id, leg_a, resp.body());
      r.set_body("application/sdp", a.sdp_sent);
    }
    out.emplace_back(respond{a.invite_tx, std::move(r)});
    if (state_ == state::proceeding) {
      state_ = state::early;
      cdr_.ring_ms = t.wall_ms;
      out.emplace_back(call_event{call_event_kind::ringing, b.id});
    }
    return;
  }
  if (status < 300) {
    const auto to = resp.to();
    const bool same = b.dlg && to && b.dlg->id().remote_tag == to->tag();
    if (b.state == leg_state::confirmed && same) { // retransmitted 2xx: ACK again
      out.emplace_back(
          send_ack{b.id, b.dlg->make_ack(resp.cseq()->number), b.dlg->destination()});
      return;
    }
    if (b.state == leg_state::confirmed)
      return; // another dialog's 2xx (a fork downstream): ours stays
    if (!same)
      b.dlg = dialog::from_uac(b.invite_message(), resp, cfg_.local);
    if (!b.dlg)
      return; // a 2xx without To-tag cannot make a dialog
    b.dlg->confirm();
    b.state = leg_state::confirmed;
    b.sdp_received = std::string(resp.body());
    b.peer_allows_update = resp.lists_token(sip::header_id::allow, "UPDATE");
    const bool winner =
        !b.cancelled && (state_ == state::proceeding || state_ == state::early ||
                         state_ == state::dialling || transfer_leg);
    if (!winner) {
      // A fork that answered after losing (or after the call ended): ACK
      // it and hang it up (RFC 3261 §16.7 step 10 practice for a B2BUA).
      out.emplace_back(
          send_ack{b.id, b.dlg->make_ack(resp.cseq()->number), b.dlg->destination()});
      bye(b, out);
      return;
    }
    if (transfer_leg) {
      timer_from_b(b, resp);
      transfer_answered(b, t, out);
    } else if (state_ == state::dialling) {
      seized_answer(b, resp, t, out);
    } else {
      answer(b, resp, t, out);
    }
    return;
  }
  b.final_status = status;
  b.final_reason = std::string(resp.reason_phrase());
  b.state = leg_state::terminated;
  if (status == 422 && !b.cancelled && b.timer.expires_s < 86400) {
    // RFC 4028 §7.4 (as UAC): retry with the Min-SE the UAS asked for.
    const auto v = resp.header(sip::header_id::min_se);
    const auto min_se = static_cast<std::uint32_t>(std::atoi(std::string(v).c_str()));
    if (min_se > b.timer.expires_s) {
      b.timer.expires_s = min_se;
      pending_.erase(b.invite_req);
      fork(b, {}, b.sdp_sent, out);
      return;
    }
  }
  b.invite.reset(); // the fork is over
  if (transfer_leg) {
    transfer_failed(status, resp.reason_phrase(), t, out);
    return;
  }
  if (status < 400 && !b.cancelled && follow_redirect(b, resp, out))
    return;
  fork_failed(b, resp, t, out);
}

bool call_stm::follow_redirect(const call_leg& b, const sip::message& resp, effects& out) {
  if (state_ != state::proceeding && state_ != state::early && state_ != state::dialling)
    return false;
  if (redirects_ >= redirects_max) {
    log().info("Call-ID {}: {} from {} after {} redirections: not followed", cdr_.call_id,
               resp.status_code(), b.target, redirects_);
    return false;
  }
  // Its SIP contacts not tried yet on this call (a redirection loop
  // ends there), a few at most, rung together.
  std::vector<std::string> uris;
  for (const auto& c : resp.contacts()) {
    using scheme = sip::uri::scheme_t;
    const auto& u = c.address.uri;
    if (c.star || (u.scheme != scheme::sip && u.scheme != scheme::sips) ||
        uris.size() >= redirect_contacts_max)
      continue;
    std::string uri(c.address.uri_text);
    const bool tried = std::any_of(legs_.begin(), legs_.end(),
                                   [&](const auto& l) { return l.target == uri; }) ||
                       std::find(uris.begin(), uris.end(), uri) != uris.end();
    if (!tried)
      uris.push_back(std::move(uri));
  }
  if (uris.empty())
    return false;
  ++redirects_;
  log().info("Call-ID {}: {} {} from {}: calling its {} contact(s)", cdr_.call_id,
             resp.status_code(), resp.reason_phrase(), b.target, uris.size());
  const std::string& offer = legs_[leg_a].sdp_received;
  for (const std::string& uri : uris) {
    if (legs_.size() >= cfg_.legs_max)
      break;
    call_leg& n = new_b_leg(uri);
    fork(n, b_from_, relay_sdp(leg_a, n.id, offer), out);
  }
  return true;
}

void call_stm::answer(call_leg& b, const sip::message& resp, call_time t, effects& out) {
  call_leg& a = legs_[leg_a];
  timer_from_b(b, resp);
  if (!a.sdp_received.empty() || resp.body().empty()) {
    out.emplace_back(
        send_ack{b.id, b.dlg->make_ack(resp.cseq()->number), b.dlg->destination()});
    b.invite.reset();
  } else
    b_ack_deferred_ = true; // late offer: B's ACK carries A's answer
  cancel_forks(b.id, out);
  disarm({timer_kind::ring_no_answer, leg_a}, out);
  auto r = a_2xx(resp.status_code(), resp.reason_phrase());
  if (!b.sdp_received.empty()) {
    a.sdp_sent = relay_sdp(b.id, leg_a, b.sdp_received);
    r.set_body("application/sdp", a.sdp_sent);
  }
  a.dlg->confirm();
  a.state = leg_state::confirmed;
  send_2xx(a, std::move(r), t, out);
  log().debug("Call-ID {}: answered by {} (Call-ID {})", cdr_.call_id, b.target,
              b.dlg->id().call_id);
  pair_ = {leg_a, b.id};
  state_ = state::confirmed;
  cdr_.answer_ms = t.wall_ms;
  out.emplace_back(call_event{call_event_kind::answered, b.id});
  arm_session(a, t, out);
  arm_session(b, t, out);
}

sip::message call_stm::a_2xx(int status, std::string_view reason) {
  call_leg& a = legs_[leg_a];
  header_list extra;
  timer_from_a(a, extra);
  auto r = sip::message_builder::response(a.invite_message(), status, reason, a_tag_);
  r.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
  r.append_header("Allow", cfg_.allow);
  if (cfg_.session_expires_s > 0)
    r.append_header("Supported", "timer");
  for (const auto& [name, value] : extra)
    r.append_header(name, value);
  return r;
}

void call_stm::send_2xx(call_leg& l, sip::message r, call_time t, effects& out) {
  l.unacked_2xx = std::make_unique<sip::message>(r);
  l.retransmit_interval = cfg_.t1;
  l.answered_at = t.now;
  out.emplace_back(respond{l.invite_tx, std::move(r)});
  arm({timer_kind::retransmit_2xx, l.id}, t.now + cfg_.t1, out);
}

void call_stm::fork_failed(call_leg& b, const sip::message& resp, call_time t,
                           effects& out) {
  (void)resp;
  (void)b;
  if (state_ != state::proceeding && state_ != state::early && state_ != state::dialling)
    return;
  int best = 0;
  std::string reason;
  for (std::size_t i = 1; i < legs_.size(); ++i) {
    const call_leg& l = legs_[i];
    if (l.final_status == 0 && l.state != leg_state::terminated)
      return; // a fork is still trying
    if (fork_response_better(l.final_status, best)) {
      best = l.final_status;
      reason = l.final_reason;
    }
  }
  disarm({timer_kind::ring_no_answer, leg_a}, out);
  if (best >= 300 && best < 400) {
    // A redirection not followed (a loop, too many, no SIP contact): the
    // callee cannot be reached through us, and a 3xx without a Contact of
    // ours would mean nothing to the caller.
    best = 480;
    reason.clear();
  }
  if ((best == 486 || best == 600 || best == 603) && try_divert("user-busy", t, out))
    return;
  if ((best == 480 || best == 408) && try_divert("no-answer", t, out))
    return;
  if (state_ == state::dialling) {
    seized_failed(best, reason, t, out);
    return;
  }
  respond_a(best, reason, "callee", t, out);
}

} // namespace ringdown::call
