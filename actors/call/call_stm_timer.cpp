// call_stm: timers. RFC 4028 session timers, terminated per leg: each leg
// negotiates its own interval and refresher with us, refreshes from a leg
// are answered here (never relayed, so a leg without timer support never
// sees them), and we refresh a leg ourselves when we are its refresher.
// RFC 3261 §13.3.1.4: our 2xx to the caller is retransmitted until its ACK.
#include <algorithm>
#include <cstdlib>

#include "actors/call/call_stm.hpp"
#include "actors/call/fork_ranking.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::call {

namespace {

struct se_header {
  std::uint32_t seconds = 0;
  std::string refresher; ///< "uac", "uas" or ""
};

std::optional<se_header> session_expires_of(const sip::message& m) {
  const std::string_view v = m.header(sip::header_id::session_expires);
  if (v.empty())
    return std::nullopt;
  const auto tp = sip::token_params::parse(v);
  if (!tp || tp->value.empty())
    return std::nullopt;
  se_header h;
  h.seconds =
      static_cast<std::uint32_t>(std::strtoul(std::string(tp->value).c_str(), nullptr, 10));
  h.refresher = std::string(tp->params.value("refresher"));
  return h;
}

std::chrono::seconds secs(std::uint32_t s) {
  return std::chrono::seconds{s};
}

} // namespace

bool call_stm::check_session_expires(std::uint64_t tx, const sip::message& invite,
                                     effects& out) {
  if (cfg_.session_expires_s == 0)
    return true;
  const auto se = session_expires_of(invite);
  if (!se || se->seconds >= cfg_.min_se_s)
    return true;
  // RFC 4028 §8.1: too small an interval is refused with our Min-SE.
  auto r = sip::message_builder::response(invite, 422, "Session Interval Too Small",
                                          a_tag_.empty() ? ids_.tag() : a_tag_);
  r.append_header("Min-SE", std::to_string(cfg_.min_se_s));
  out.emplace_back(respond{tx, std::move(r)});
  return false;
}

void call_stm::timer_from_a(call_leg& a, header_list& answer_headers) {
  if (cfg_.session_expires_s == 0)
    return;
  const auto se = session_expires_of(a.invite_message());
  // RFC 4028 §9: a UAS may use a timer when the UAC supports it even if
  // the request asked for none; without support and without the header,
  // none is used.
  if (!se && !a.timer.peer_supports)
    return;
  a.timer.expires_s = se ? se->seconds : cfg_.session_expires_s;
  if (se && se->refresher == "uas")
    a.timer.we_refresh = true;
  else if (se && se->refresher == "uac")
    a.timer.we_refresh = false;
  else
    a.timer.we_refresh = !a.timer.peer_supports;
  answer_headers.emplace_back("Session-Expires", session_expires_value(a, false));
  if (a.timer.peer_supports)
    answer_headers.emplace_back("Require", "timer");
}

void call_stm::timer_from_b(call_leg& b, const sip::message& resp) {
  if (cfg_.session_expires_s == 0)
    return;
  const auto se = session_expires_of(resp);
  if (!se) {
    // RFC 4028 §7.4 (as UAC): no Session-Expires in the 2xx: no timer.
    b.timer.expires_s = 0;
    return;
  }
  b.timer.expires_s = se->seconds;
  b.timer.we_refresh = se->refresher != "uas";
  b.timer.peer_supports = resp.lists_token(sip::header_id::require, "timer") ||
                          resp.lists_token(sip::header_id::supported, "timer");
}

std::string call_stm::session_expires_value(const call_leg& l, bool as_uac) const {
  if (l.timer.expires_s == 0)
    return {};
  const bool uac_refreshes = l.timer.we_refresh == as_uac;
  return std::to_string(l.timer.expires_s) +
         ";refresher=" + (uac_refreshes ? "uac" : "uas");
}

void call_stm::add_timer_headers(const call_leg& l, sip::message& resp) const {
  if (l.timer.expires_s == 0)
    return;
  resp.append_header("Session-Expires", session_expires_value(l, false));
  if (l.timer.peer_supports)
    resp.append_header("Require", "timer");
}

void call_stm::arm_session(call_leg& l, call_time t, effects& out) {
  disarm({timer_kind::session_refresh, l.id}, out);
  disarm({timer_kind::session_expiry, l.id}, out);
  const std::uint32_t se = l.timer.expires_s;
  if (se == 0 || state_ != state::confirmed)
    return;
  if (l.timer.we_refresh) // §10: refresh at half the interval
    arm({timer_kind::session_refresh, l.id}, t.now + secs(se / 2), out);
  else // §10: the session expires at SE - min(32, SE/3) without a refresh
    arm({timer_kind::session_expiry, l.id},
        t.now + secs(se - std::min<std::uint32_t>(32, se / 3)), out);
}

void call_stm::refresh(call_leg& l, call_time t, effects& out) {
  (void)t;
  if (!l.dlg || l.state != leg_state::confirmed)
    return;
  const bool update = l.peer_allows_update;
  header_list extra{{"Supported", "timer"},
                    {"Session-Expires", session_expires_value(l, true)},
                    {"Min-SE", std::to_string(cfg_.min_se_s)}};
  // An UPDATE refresh carries no SDP; a re-INVITE re-offers our last SDP
  // unchanged (same o= version: no media change, RFC 3264 §8).
  sip::message msg =
      update ? l.dlg->make_request("UPDATE", extra)
             : l.dlg->make_request("INVITE", extra,
                                   l.sdp_sent.empty() ? "" : "application/sdp", l.sdp_sent);
  pending p;
  p.what = purpose::refresh;
  p.leg = l.id;
  p.cseq = l.dlg->local_cseq();
  p.method = update ? "UPDATE" : "INVITE";
  const std::uint64_t id = send(l, std::move(msg), out);
  pending_.emplace(id, std::move(p));
}

void call_stm::local_refresh(call_leg& x, std::uint64_t tx, const sip::message& req,
                             call_time t, effects& out) {
  if (const auto se = session_expires_of(req); se && cfg_.session_expires_s > 0) {
    if (se->seconds < cfg_.min_se_s) {
      auto r = sip::message_builder::response(req, 422, "Session Interval Too Small");
      r.append_header("Min-SE", std::to_string(cfg_.min_se_s));
      out.emplace_back(respond{tx, std::move(r)});
      return;
    }
    x.timer.expires_s = se->seconds;
    if (se->refresher == "uac")
      x.timer.we_refresh = false;
    else if (se->refresher == "uas")
      x.timer.we_refresh = true;
  }
  if (req.method() == sip::method::invite)
    x.dlg->refresh_target(req);
  auto r = sip::message_builder::response(req, 200, "OK");
  r.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
  if (cfg_.session_expires_s > 0)
    r.append_header("Supported", "timer");
  add_timer_headers(x, r);
  const bool wants_sdp = req.method() == sip::method::invite || !req.body().empty();
  if (wants_sdp && !x.sdp_sent.empty())
    r.set_body("application/sdp", x.sdp_sent);
  out.emplace_back(respond{tx, std::move(r)});
  arm_session(x, t, out);
}

effects call_stm::on_timer(timer_name name, call_time t) {
  effects out;
  const auto it = std::find(armed_.begin(), armed_.end(), name);
  if (it == armed_.end())
    return out; // stale: cancelled or re-armed since
  armed_.erase(it);
  switch (name.kind) {
  case timer_kind::ring_no_answer:
    if (name.leg != leg_a) { // a blind-transfer target that does not answer
      if (transfer_.active && transfer_.target == name.leg)
        transfer_timeout(t, out);
      break;
    }
    if (state_ == state::proceeding || state_ == state::early) {
      cancel_forks(leg_a, out);
      if (!try_divert("no-answer", t, out))
        respond_a(cfg_.no_answer_status, {}, "system", t, out);
    } else if (state_ == state::dialling) {
      cancel_forks(leg_a, out);
      if (!try_divert("no-answer", t, out))
        seized_failed(cfg_.no_answer_status, {}, t, out);
    }
    break;
  case timer_kind::progress_tone:
    if (state_ == state::dialling)
      seized_end("callee", t, out);
    break;
  case timer_kind::retransmit_2xx: {
    call_leg& u = leg_ref(name.leg);
    if (!u.unacked_2xx || (state_ != state::confirmed && state_ != state::dialling))
      break;
    if (t.now - u.answered_at >= 64 * cfg_.t1) {
      // §13.3.1.4: no ACK within 64*T1: confirm, then end with BYE.
      u.unacked_2xx.reset();
      if (state_ == state::dialling) {
        seized_end("system", t, out);
        break;
      }
      bye(leg_ref(pair_[0]), out);
      bye(leg_ref(pair_[1]), out);
      finish(disposition::answered, 200, "No ACK", "system", t, out);
      break;
    }
    out.emplace_back(respond{u.invite_tx, *u.unacked_2xx});
    u.retransmit_interval = std::min(u.retransmit_interval * 2, cfg_.t2);
    arm(name, t.now + u.retransmit_interval, out);
    break;
  }
  case timer_kind::session_refresh:
    refresh(leg_ref(name.leg), t, out);
    break;
  case timer_kind::session_expiry:
    if (!cfg_.bye_on_session_expiry || state_ != state::confirmed)
      break;
    // RFC 4028 §10: the refresher never refreshed; the session is over.
    bye(legs_[pair_[0]], out);
    bye(legs_[pair_[1]], out);
    finish(disposition::answered, 200, "Session expired", "system", t, out);
    break;
  }
  return out;
}

} // namespace ringdown::call
