// call_stm: line seizure. A holder of a shared line INVITEs the line to
// dial out on it (a turret's line key, a hard phone lifted on a private
// wire). The call's media bridge answers at once and plays dial tone; the
// caller dials RFC 4733 digits (or SIP INFO ones, which the bridge collects
// alike), which the shell resolves into targets (an extension's devices, or
// a trunk after admission); they are called with the bridge's offer while
// the caller hears ringback from the bridge (or the far end's early media);
// the answer stops the tone and the bridge joins the two. A number that
// fails is told by busy or congestion tone, then BYE.
#include "actors/call/call_stm.hpp"
#include "actors/call/fork_ranking.hpp"
#include "net/sip/builder.hpp"
#include "net/sip/dtmf_info.hpp"

namespace ringdown::call {

bool call_stm::answer_here(std::uint64_t tx, const sip::message& invite,
                           const call_targets& targets, call_time t, effects& out) {
  call_leg& a = open_a(tx, invite, targets, t);
  if (media_ == nullptr) {
    // Dial tone, digits and conferences need the bridge ([media] address).
    respond_a(501, "Needs A Media Bridge", "system", t, out);
    return false;
  }
  if (!admit_a(tx, invite, t, out))
    return false;
  const auto sdp =
      a.sdp_received.empty() ? std::nullopt : media_->answer(leg_a, a.sdp_received);
  if (!sdp) {
    // RFC 3261 §13.3.1: an offer we cannot answer (or none: the bridge
    // would have to offer in the 2xx, which hard phones handle poorly).
    respond_a(488, {}, "system", t, out);
    return false;
  }
  auto r = a_2xx(200, {});
  a.sdp_sent = *sdp;
  r.set_body("application/sdp", a.sdp_sent);
  a.dlg->confirm();
  a.state = leg_state::confirmed;
  send_2xx(a, std::move(r), t, out);
  state_ = state::dialling;
  return true;
}

effects call_stm::seize(std::uint64_t tx, const sip::message& invite,
                        const call_targets& targets, call_time t) {
  effects out;
  if (!answer_here(tx, invite, targets, t, out))
    return out;
  b_to_.clear(); // the dialled number's URI, not the line's
  tone(leg_a, "dial");
  media_->collect_digits(leg_a);
  log().info("Call-ID {}: line {} seized by {}: dial tone", cdr_.call_id, cdr_.line,
             cdr_.from);
  return out;
}

effects call_stm::host(std::uint64_t tx, const sip::message& invite,
                       const call_targets& targets, call_time t) {
  effects out;
  if (!answer_here(tx, invite, targets, t, out))
    return out;
  seize_.hosted = true;
  seize_.dialled = true; // nothing to dial: the bridge is the far end
  cdr_.answer_ms = t.wall_ms;
  out.emplace_back(call_event{call_event_kind::answered, leg_a});
  log().info("Call-ID {}: {} joins {}", cdr_.call_id, cdr_.from, cdr_.to);
  return out;
}

void call_stm::local_offer(call_leg& a, std::uint64_t tx, const sip::message& req,
                           effects& out) {
  std::string_view body = req.body();
  if (body.empty() || body == a.sdp_received) {
    body = {}; // a refresh (RFC 4028) or an offer-less re-INVITE: same SDP
  } else if (const auto sdp = media_->answer(leg_a, body)) {
    a.sdp_received = std::string(body);
    a.sdp_sent = *sdp;
  } else {
    reply(tx, req, 488, out);
    return;
  }
  a.dlg->refresh_target(req);
  auto r = sip::message_builder::response(req, 200, {});
  r.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
  if (req.method() == sip::method::invite || !body.empty())
    r.set_body("application/sdp", a.sdp_sent);
  out.emplace_back(respond{tx, std::move(r)});
}

void call_stm::dialled_by_info(std::uint64_t tx, const sip::message& req, effects& out) {
  const auto digit =
      sip::dtmf_info_digit(req.header(sip::header_id::content_type), req.body());
  if (!digit) {
    log().info("Call-ID {}: INFO with a DTMF body that names no digit: 400", cdr_.call_id);
    reply(tx, req, 400, out, "No DTMF Digit In Body");
    return;
  }
  // The bridge collects it with the RFC 4733 ones (inter-digit timer,
  // terminator, maximum) and reports it as it reports those (on_digit).
  media_->dialled_digit(leg_a, *digit);
  reply(tx, req, 200, out);
}

effects call_stm::on_digit(leg_id leg, call_time t) {
  (void)t;
  effects out;
  if (state_ == state::dialling && leg == leg_a && !seize_.digit_heard && !seize_.dialled) {
    seize_.digit_heard = true;
    tone(leg_a, {});
  }
  return out;
}

effects call_stm::dial(const call_targets& targets, call_time t) {
  effects out;
  if (state_ != state::dialling || seize_.dialled)
    return out; // the caller hung up meanwhile, or dialled already
  seize_.dialled = true;
  tone(leg_a, {});
  if (!targets.dialled.empty())
    cdr_.to = targets.dialled;
  if (!targets.trunk.empty())
    cdr_.trunk = targets.trunk;
  // An extension dialled diverts as a call to it does (call_stm_divert).
  std::string_view diverted_reason = targets.diverted_reason;
  const std::vector<std::string>& uris = first_ring(targets, diverted_reason);
  log().info("Call-ID {}: dialled '{}' on line {}: {} target(s)", cdr_.call_id,
             targets.dialled, cdr_.line, uris.size());
  if (uris.empty()) {
    // Nothing dialled is 484 Address Incomplete (RFC 3261 §21.4.22).
    seized_failed(targets.dialled.empty() ? 484 : targets.reject_status, {}, t, out);
    return out;
  }
  ring(targets, uris, diverted_reason, legs_[leg_a].sdp_received, t, out);
  return out;
}

void call_stm::seized_progress(call_leg& b, const sip::message& resp, call_time t,
                               effects& out) {
  if (!resp.body().empty()) {
    // Early media (RFC 3960): the far end's own progress tones or
    // announcement reach the caller through the bridge; ours stops.
    (void)relay_sdp(b.id, leg_a, resp.body());
    tone(leg_a, {});
  } else if (cdr_.ring_ms == 0) {
    tone(leg_a, "ringback");
  }
  if (cdr_.ring_ms == 0) {
    cdr_.ring_ms = t.wall_ms;
    out.emplace_back(call_event{call_event_kind::ringing, b.id});
  }
}

void call_stm::seized_answer(call_leg& b, const sip::message& resp, call_time t,
                             effects& out) {
  timer_from_b(b, resp);
  out.emplace_back(
      send_ack{b.id, b.dlg->make_ack(resp.cseq()->number), b.dlg->destination()});
  cancel_forks(b.id, out);
  disarm({timer_kind::ring_no_answer, leg_a}, out);
  // The answer configures the dialled party's leg of the bridge; the
  // caller keeps the SDP it was answered with at the seizure.
  if (!b.sdp_received.empty())
    (void)relay_sdp(b.id, leg_a, b.sdp_received);
  tone(leg_a, {});
  pair_ = {leg_a, b.id};
  state_ = state::confirmed;
  cdr_.answer_ms = t.wall_ms;
  log().info("Call-ID {}: {} answered the seized line {}", cdr_.call_id, b.target,
             cdr_.line);
  out.emplace_back(call_event{call_event_kind::answered, b.id});
  arm_session(legs_[leg_a], t, out);
  arm_session(b, t, out);
}

void call_stm::seized_failed(int status, std::string_view reason, call_time t,
                             effects& out) {
  seize_.failure = status == 0 ? 500 : status;
  seize_.failure_reason =
      reason.empty() ? std::string(sip::message_builder::default_reason(seize_.failure))
                     : std::string(reason);
  const bool busy = status == 486 || status == 600 || status == 603;
  log().info("Call-ID {}: the dialled number failed ({} {}): {} tone", cdr_.call_id,
             seize_.failure, seize_.failure_reason, busy ? "busy" : "congestion");
  tone(leg_a, busy ? "busy" : "congestion");
  arm({timer_kind::progress_tone, leg_a}, t.now + cfg_.failure_tone, out);
}

void call_stm::seized_end(std::string ended_by, call_time t, effects& out) {
  cancel_forks(leg_a, out);
  if (ended_by != "caller")
    bye(legs_[leg_a], out);
  if (seize_.failure != 0) {
    finish(disposition_of(seize_.failure), seize_.failure, seize_.failure_reason,
           ended_by == "caller" ? "callee" : std::move(ended_by), t, out);
    return;
  }
  if (seize_.hosted) {
    finish(disposition::answered, 200, "OK", std::move(ended_by), t, out);
    return;
  }
  // Hung up while dialling or ringing: abandoned, as a CANCEL would be.
  finish(disposition::cancelled, 487, "Request Terminated", std::move(ended_by), t, out);
}

} // namespace ringdown::call
