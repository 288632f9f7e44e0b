// call_stm: requests inside the call (RFC 3261 §12.2.2), ACK and CANCEL,
// relaying between legs (re-INVITE §14, UPDATE RFC 3311, INFO RFC 6086),
// hold tracking (RFC 3264 §8.4).
#include <algorithm>

#include "actors/call/call_stm.hpp"
#include "net/sdp/hold.hpp"
#include "net/sip/builder.hpp"
#include "net/sip/dtmf_info.hpp"

namespace ringdown::call {

namespace {

bool is_sdp(const sip::message& m) {
  const auto ct = m.content_type();
  return ct && ct->value == "application/sdp";
}

} // namespace

call_leg* call_stm::find_leg(const sip::message& msg) noexcept {
  const std::string_view cid = msg.call_id();
  for (call_leg& l : legs_) {
    if (l.dlg && l.dlg->id().call_id == cid && l.dlg->matches_request(msg))
      return &l;
  }
  return nullptr;
}

effects call_stm::on_request(std::uint64_t tx, std::uint64_t cancels,
                             const sip::message& req, call_time t) {
  effects out;
  if (legs_.empty())
    return out;
  call_leg& a = legs_[leg_a];
  if (req.method() == sip::method::cancel) {
    reply(tx, req, 200, out);
    const bool for_a =
        cancels == a.invite_tx || req.call_id() == a.invite_message().call_id();
    if (for_a && (state_ == state::proceeding || state_ == state::early)) {
      cancel_forks(leg_a, out);
      disarm({timer_kind::ring_no_answer, leg_a}, out);
      respond_a(487, {}, "caller", t, out);
      return out;
    }
    if (pick_up_.active && cancels == leg_ref(pick_up_.picker).invite_tx) {
      // The picker gave up before the other party answered: 487, and the
      // other party is put back as it was when its re-INVITE completes.
      call_leg& p = leg_ref(pick_up_.picker);
      auto r = sip::message_builder::response(p.invite_message(), 487, {},
                                              p.dlg->id().local_tag);
      out.emplace_back(respond{p.invite_tx, std::move(r)});
      p.state = leg_state::terminated;
      p.cancelled = true;
      return out;
    }
    // A relayed re-INVITE: CANCEL its copy; the 487 comes back through it.
    for (const auto& [id, p] : pending_)
      if (p.what == purpose::relay && p.from_tx == cancels && p.method == "INVITE")
        out.emplace_back(cancel_request{p.leg, id});
    return out;
  }
  if (req.method() == sip::method::ack) {
    // The ACK of our 2xx to a UAS leg's INVITE (A, a pick-up); any other
    // is the ACK of a relayed re-INVITE's 2xx: the other leg was ACKed.
    const auto cs = req.cseq();
    call_leg* u = nullptr;
    for (call_leg& l : legs_)
      if (l.uas && l.unacked_2xx && cs && l.invite_message().call_id() == req.call_id() &&
          cs->number == l.invite_message().cseq()->number)
        u = &l;
    if (u == nullptr)
      return out;
    u->unacked_2xx.reset();
    u->invite = {};
    disarm({timer_kind::retransmit_2xx, u->id}, out);
    if (u->id == leg_a && !connected_aor_.empty() && a.peer_allows_update &&
        state_ == state::confirmed) {
      // The caller reached someone else than it called (a diversion): tell
      // it whom, in the dialog it now has (no SDP: media are unchanged).
      sip::message update = a.dlg->make_request(
          "UPDATE",
          {{"P-Asserted-Identity", "<" + std::exchange(connected_aor_, {}) + ">"}});
      pending p;
      p.what = purpose::identity;
      p.leg = leg_a;
      p.cseq = a.dlg->local_cseq();
      p.method = "UPDATE";
      const std::uint64_t id = send(a, std::move(update), out);
      pending_.emplace(id, std::move(p));
    }
    if (u->id == leg_a && b_ack_deferred_) {
      b_ack_deferred_ = false;
      call_leg& b = leg_ref(pair_[1]);
      const auto invite_cseq = b.invite_message().cseq()->number;
      a.sdp_received = std::string(req.body());
      const std::string sdp = relay_sdp(leg_a, b.id, a.sdp_received);
      b.sdp_sent = sdp;
      out.emplace_back(send_ack{
          b.id, b.dlg->make_ack(invite_cseq, sdp.empty() ? "" : "application/sdp", sdp),
          b.dlg->destination()});
      b.invite.reset();
    }
    if (u->id == leg_a && state_ == state::confirmed)
      share_sdp(a, leg_ref(pair_[1])); // the offer and answer of the call are done
    return out;
  }
  call_leg* x = find_leg(req);
  if (x == nullptr) {
    log().debug("Call-ID {}: {} matches no leg (Call-ID {}): 481", cdr_.call_id,
                req.method_text(), req.call_id());
    reply(tx, req, 481, out); // §12.2.2: no matching dialog
    return out;
  }
  in_dialog(*x, tx, req, t, out);
  return out;
}

void call_stm::in_dialog(call_leg& x, std::uint64_t tx, const sip::message& req,
                         call_time t, effects& out) {
  if (const int code = x.dlg->accept_request(req); code != 0) {
    reply(tx, req, code, out);
    return;
  }
  const sip::method m = req.method();
  if (m == sip::method::options) {
    reply(tx, req, 200, out); // answered here, never relayed
    return;
  }
  const bool in_pair = state_ == state::confirmed && (pair_[0] == x.id || pair_[1] == x.id);
  if (m == sip::method::bye) {
    reply(tx, req, 200, out);
    x.state = leg_state::terminated;
    if (state_ == state::dialling && x.id == leg_a) {
      seized_end("caller", t, out); // hung up while dialling or ringing
      return;
    }
    if (x.barged) {
      // The call goes on without the barger; its line learns it left.
      out.emplace_back(call_event{call_event_kind::left, x.id});
      return;
    }
    if (!in_pair)
      return; // a lost fork, or a leg already replaced
    if (transfer_.active && x.id == transfer_.transferor)
      return; // RFC 5589 §6: the transferor may leave at once; the transfer goes on
    bye(leg_ref(peer_of(x.id)), out);
    finish(disposition::answered, 200, "OK", x.id == leg_a ? "caller" : "callee", t, out);
    return;
  }
  if (state_ == state::dialling && x.id == leg_a) {
    if (m == sip::method::info && media_ != nullptr && !seize_.dialled &&
        sip::is_dtmf_info(req.header(sip::header_id::content_type))) {
      dialled_by_info(tx, req, out);
      return;
    }
    if (m == sip::method::info || m == sip::method::notify) {
      reply(tx, req, 200, out); // nobody to relay to
      return;
    }
    if ((m == sip::method::invite || m == sip::method::update) && media_ != nullptr) {
      local_offer(x, tx, req, out);
      return;
    }
  }
  if (!in_pair || leg_ref(peer_of(x.id)).state == leg_state::terminated) {
    if (in_pair && relay_to_linked(x, tx, req, t, out))
      return; // its peer left by an attended transfer: the linked call's party
    // Early dialog, a leg no longer bridged, or a transferee whose
    // transferor has left while the target rings: nothing to relay to.
    reply(tx, req, m == sip::method::invite || m == sip::method::update ? 491 : 481, out);
    return;
  }
  switch (m) {
  case sip::method::invite:
  case sip::method::update: {
    const bool refresh_only = req.body().empty() || req.body() == x.sdp_received;
    if (refresh_only) {
      local_refresh(x, tx, req, t, out);
      return;
    }
    if (offer_pending(x.id, peer_of(x.id)) ||
        (transfer_.active && m == sip::method::invite)) {
      reply(tx, req, 491, out); // RFC 3261 §14.2 glare
      return;
    }
    x.dlg->refresh_target(req);
    relay(x, tx, req, out);
    return;
  }
  case sip::method::info:
    relay(x, tx, req, out);
    return;
  case sip::method::refer:
    on_refer(x, tx, req, t, out);
    return;
  case sip::method::notify:
  case sip::method::prack:
    reply(tx, req, 200, out);
    return;
  default:
    reply(tx, req, 501, out);
    return;
  }
}

bool call_stm::offer_pending(leg_id x, leg_id y) const {
  return std::any_of(pending_.begin(), pending_.end(), [&](const auto& kv) {
    const pending& p = kv.second;
    return (p.leg == x || p.leg == y) && (p.method == "INVITE" || p.method == "UPDATE") &&
           p.what != purpose::invite;
  });
}

header_list call_stm::relayed_headers(const call_leg& y, const sip::message& req) const {
  header_list extra;
  for (const std::string_view name : {"Info-Package", "Content-Disposition", "Event"}) {
    const std::string_view v = req.header(name);
    if (!v.empty())
      extra.emplace_back(std::string(name), std::string(v));
  }
  const bool offer = req.method() != sip::method::info;
  if (offer && y.timer.expires_s > 0) {
    extra.emplace_back("Supported", "timer");
    extra.emplace_back("Session-Expires", session_expires_value(y, true));
  }
  return extra;
}

void call_stm::relay(call_leg& x, std::uint64_t tx, const sip::message& req, effects& out) {
  call_leg& y = leg_ref(peer_of(x.id));
  const header_list extra = relayed_headers(y, req);
  std::string body(req.body());
  std::string ct;
  if (req.content_type())
    ct = std::string(req.header(sip::header_id::content_type));
  if (is_sdp(req))
    body = relay_sdp(x.id, y.id, body); // committed to the legs on a 2xx
  sip::message msg = y.dlg->make_request(req.method_text(), extra, ct, body);
  pending p;
  p.what = purpose::relay;
  p.leg = y.id;
  p.cseq = y.dlg->local_cseq();
  p.method = std::string(req.method_text());
  p.from_leg = x.id;
  p.from_tx = tx;
  p.from_request = std::make_shared<const sip::message>(req);
  p.sdp = is_sdp(req) ? body : std::string{};
  const std::uint64_t id = send(y, std::move(msg), out);
  pending_.emplace(id, std::move(p));
}

bool call_stm::refused_trunk_hold(const call_leg& y, const pending& p,
                                  const sip::message& req, int status) const {
  // Hold on a bridged trunk: a carrier that refuses the hold (a 4xx-6xx
  // but glare, which the initiator retries) refuses the initiator with
  // 403, whatever code the carrier gave.
  if (status < 300 || status == 491 || p.method != "INVITE" || cdr_.trunk.empty() ||
      y.id == leg_a || !is_sdp(req))
    return false;
  const auto offer = sdp::parse(req.body());
  return offer && sdp::is_hold_offer(*offer);
}

void call_stm::on_relay_response(pending& p, const sip::message& resp, call_time t,
                                 effects& out) {
  const int status = resp.status_code();
  if (status < 200)
    return;
  call_leg& y = leg_ref(p.leg);
  call_leg& x = leg_ref(p.from_leg);
  const sip::message& req = *p.from_request;
  const bool session = p.method == "INVITE" || p.method == "UPDATE";
  auto r = refused_trunk_hold(y, p, req, status)
               ? sip::message_builder::response(req, 403, "Hold Refused By Trunk")
               : sip::message_builder::response(req, status, resp.reason_phrase());
  if (status < 300 && session) {
    y.dlg->refresh_target(resp);
    if (is_sdp(req)) {
      x.sdp_received = std::string(req.body());
      y.sdp_sent = p.sdp;
    }
    r.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
    add_timer_headers(x, r);
    if (p.method == "INVITE")
      out.emplace_back(send_ack{y.id, y.dlg->make_ack(p.cseq), y.dlg->destination()});
  }
  if (!resp.body().empty()) {
    if (is_sdp(resp)) {
      y.sdp_received = std::string(resp.body());
      x.sdp_sent = relay_sdp(y.id, x.id, y.sdp_received);
      r.set_body("application/sdp", x.sdp_sent);
    } else if (resp.content_type()) {
      r.set_body(resp.header(sip::header_id::content_type), resp.body());
    }
  }
  if (status < 300 && session)
    share_sdp(x, y);
  out.emplace_back(respond{p.from_tx, std::move(r)});
  if (state_ != state::confirmed)
    return;
  if (status < 300 && session) {
    if (is_sdp(req))
      track_hold(x, req.body(), t, out);
    arm_session(x, t, out); // a successful re-INVITE/UPDATE is a refresh
    arm_session(y, t, out);
  } else if (status == 481 || status == 408) {
    // §12.2.1.2: the other leg's dialog is gone; end the call.
    y.state = leg_state::terminated;
    bye(x, out);
    finish(disposition::answered, 200, "Dialog lost", "system", t, out);
  }
}

void call_stm::track_hold(call_leg& x, std::string_view body, call_time t, effects& out,
                          bool announce) {
  const auto s = sdp::parse(body);
  if (!s)
    return;
  const bool hold = sdp::is_hold_offer(*s);
  if (hold == x.held)
    return;
  if (hold) {
    if (!held())
      hold_since_ = t.now;
    x.held = true;
    ++cdr_.hold_count;
  } else {
    end_hold(x, t);
  }
  if (announce)
    out.emplace_back(
        call_event{hold ? call_event_kind::held : call_event_kind::resumed, x.id});
}

void call_stm::end_hold(call_leg& x, call_time t) {
  if (!x.held)
    return;
  x.held = false;
  if (!held())
    cdr_.hold_total_ms +=
        std::chrono::duration_cast<std::chrono::milliseconds>(t.now - hold_since_).count();
}

void call_stm::bye(call_leg& y, effects& out) {
  if (!y.dlg || y.state == leg_state::terminated)
    return;
  y.state = leg_state::terminated;
  sip::message msg = y.dlg->make_request("BYE");
  pending p;
  p.what = purpose::bye;
  p.leg = y.id;
  p.cseq = y.dlg->local_cseq();
  p.method = "BYE";
  const std::uint64_t id = send(y, std::move(msg), out);
  pending_.emplace(id, std::move(p));
}

std::uint64_t call_stm::send(call_leg& y, sip::message msg, effects& out) {
  const std::uint64_t id = next_request_++;
  out.emplace_back(send_request{y.id, id, std::move(msg), y.dlg->destination()});
  return id;
}

void call_stm::reply(std::uint64_t tx, const sip::message& req, int status, effects& out,
                     std::string_view reason) {
  auto r = sip::message_builder::response(req, status, reason);
  if (status == 200 && req.method() == sip::method::options) {
    r.append_header("Allow", cfg_.allow);
    r.append_header("Accept", "application/sdp");
    if (cfg_.session_expires_s > 0)
      r.append_header("Supported", "timer");
  }
  out.emplace_back(respond{tx, std::move(r)});
}

} // namespace ringdown::call
