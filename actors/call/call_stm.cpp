// call_stm: set-up of the call (RFC 3261 §13, §16.7 forking as a B2BUA),
// CANCEL (§9.2), the end of the call and its CDR.
#include "actors/call/call_stm.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "actors/call/fork_ranking.hpp"
#include "base/assert.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::call {

namespace {

std::int64_t to_ms(duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

} // namespace

spdlog::logger& call_stm::log() {
  static const auto lg = ringdown::log::get("call");
  return *lg;
}

call_stm::call_stm(call_config cfg, id_generator& ids) : cfg_(std::move(cfg)), ids_(ids) {}

call_leg& call_stm::open_a(std::uint64_t tx, const sip::message& invite,
                           const call_targets& targets, call_time t) {
  RINGDOWN_ASSERT(state_ == state::idle, "call started once");
  a_tag_ = ids_.tag();
  call_leg& a = legs_.emplace_back();
  a.id = leg_a;
  a.uas = true;
  a.invite = std::make_unique<sip::message>(invite);
  a.invite_tx = tx;
  a.dlg = dialog::from_uas(invite, a_tag_, cfg_.local);
  a.sdp_received = std::string(invite.body());
  a.timer.peer_supports = invite.lists_token(sip::header_id::supported, "timer");
  a.peer_allows_update = invite.lists_token(sip::header_id::allow, "UPDATE");
  cdr_.call_id = std::string(invite.call_id());
  cdr_.from = uri_of(invite.header(sip::header_id::from));
  cdr_.to = uri_of(invite.header(sip::header_id::to));
  cdr_.line = targets.line;
  cdr_.zone = targets.zone;
  cdr_.node = targets.node;
  cdr_.trunk = targets.trunk;
  cdr_.start_ms = t.wall_ms;
  state_ = state::proceeding;
  b_from_ = strip_tag(invite.header(sip::header_id::from));
  b_to_ = strip_tag(invite.header(sip::header_id::to));
  // Custom X- headers (desk, book, trader ids) go through to the callee
  // as the caller sent them: the B2BUA keeps what it does not interpret.
  for (const auto& f : invite.fields()) {
    const auto name = invite.name_of(f);
    if (name.size() > 2 && (name[0] == 'X' || name[0] == 'x') && name[1] == '-')
      x_headers_.emplace_back(std::string(name), std::string(invite.value_of(f)));
  }
  return a;
}

bool call_stm::admit_a(std::uint64_t tx, const sip::message& invite, call_time t,
                       effects& out) {
  if (legs_[leg_a].dlg->remote_target().empty()) {
    // §8.1.1.8: an INVITE must carry a Contact; without one no in-dialog
    // request (BYE) could ever reach the caller.
    respond_a(400, "Missing Contact", "system", t, out);
    return false;
  }
  if (const auto mf = invite.max_forwards()) {
    if (*mf == 0) {
      respond_a(483, {}, "system", t, out); // §8.2.2 / §16.3 step 3
      return false;
    }
    max_forwards_ = std::min<std::uint32_t>(70, *mf - 1);
  }
  if (!check_session_expires(tx, invite, out)) {
    finish(disposition::rejected, 422, "Session Interval Too Small", "system", t, out);
    return false;
  }
  return true;
}

effects call_stm::start(std::uint64_t tx, const sip::message& invite,
                        const call_targets& targets, call_time t) {
  effects out;
  call_leg& a = open_a(tx, invite, targets, t);
  out.emplace_back(call_event{call_event_kind::offered, leg_a});
  log().debug("Call-ID {}: {} -> {}, {} target(s)", cdr_.call_id, cdr_.from, cdr_.to,
              targets.uris.size());

  std::string_view diverted_reason = targets.diverted_reason;
  const std::vector<std::string>& uris = first_ring(targets, diverted_reason);
  if (uris.empty()) {
    header_list extra;
    if (targets.reject_status == 503 && targets.retry_after_s > 0)
      extra.emplace_back("Retry-After", std::to_string(targets.retry_after_s));
    respond_a(targets.reject_status, {}, "system", t, out, extra);
    return out;
  }
  if (!admit_a(tx, invite, t, out))
    return out;
  ring(targets, uris, diverted_reason, a.sdp_received, t, out);
  return out;
}

const std::vector<std::string>& call_stm::first_ring(const call_targets& targets,
                                                     std::string_view& diverted_reason) {
  // No phone registered: diverted at once, if the callee says so.
  if (targets.uris.empty() && diverted_reason.empty() && targets.divert.on_unavailable &&
      !targets.divert.uris.empty()) {
    diverted_reason = "unavailable";
    return targets.divert.uris;
  }
  return targets.uris; // an unconditional diversion's target's, if diverted
}

void call_stm::ring(const call_targets& targets, const std::vector<std::string>& uris,
                    std::string_view diverted_reason, const std::string& offer, call_time t,
                    effects& out) {
  header_list fork_headers;
  if (!diverted_reason.empty())
    fork_headers = diverted(targets.divert, diverted_reason); // one hop
  else if (!targets.divert.uris.empty())
    divert_ = std::make_unique<call_targets::diversion>(targets.divert);
  for (const std::string& uri : uris) {
    if (legs_.size() >= cfg_.legs_max) {
      log().warn("Call-ID {}: {} targets, forking to the first {} only", cdr_.call_id,
                 uris.size(), cfg_.legs_max - 1);
      break;
    }
    call_leg& b = new_b_leg(uri);
    fork(b, b_from_, relay_sdp(leg_a, b.id, offer), out, fork_headers);
  }
  // A diversion on no answer may ring for less than the call would.
  const bool divert_sooner = divert_ && divert_->on_no_answer &&
                             divert_->no_answer_after > duration::zero() &&
                             divert_->no_answer_after < cfg_.ring_timeout;
  arm({timer_kind::ring_no_answer, leg_a},
      t.now + (divert_sooner ? divert_->no_answer_after : cfg_.ring_timeout), out);
}

call_leg& call_stm::new_b_leg(std::string target) {
  call_leg& b = legs_.emplace_back();
  b.id = static_cast<leg_id>(legs_.size() - 1);
  b.target = std::move(target);
  b.timer.expires_s = cfg_.session_expires_s;
  return b;
}

void call_stm::fork(call_leg& b, const std::string& from, const std::string& sdp,
                    effects& out, const header_list& extra) {
  // A 422 retry (RFC 4028 §7.4) keeps Call-ID and From-tag, CSeq + 1.
  const bool retry = b.invite_req != 0;
  std::string call_id;
  std::string from_value;
  std::uint32_t cseq = 1;
  if (retry) {
    call_id = std::string(b.invite_message().call_id());
    from_value = std::string(b.invite_message().header(sip::header_id::from));
    cseq = b.invite_message().cseq()->number + 1;
  } else {
    call_id = ids_.call_id();
    from_value = from + ";tag=" + ids_.tag();
    out.emplace_back(bind_call_id{call_id});
  }
  sip::message_builder m("INVITE", b.target);
  m.header("Via", "SIP/2.0/UDP ringdown.invalid;branch=z9hG4bK0"); // see strip_via
  m.header("Max-Forwards", std::to_string(max_forwards_));
  m.header("From", from_value);
  m.header("To", b_to_.empty() ? "<" + b.target + ">" : b_to_);
  m.header("Call-ID", call_id);
  m.header("CSeq", std::to_string(cseq) + " INVITE");
  m.header("Contact", "<" + cfg_.local.contact_uri + ">");
  m.header("Allow", cfg_.allow);
  // Reliable provisional responses (RFC 3262), which carriers may insist
  // on: they are PRACKed on this leg and passed on unreliably.
  if (cfg_.session_expires_s > 0) {
    m.header("Supported", "100rel, timer");
    m.header("Session-Expires", std::to_string(b.timer.expires_s));
    m.header("Min-SE", std::to_string(cfg_.min_se_s));
  } else {
    m.header("Supported", "100rel");
  }
  for (const auto& [name, value] : extra)
    m.header(name, value);
  for (const auto& [name, value] : x_headers_)
    m.header(name, value);
  if (!sdp.empty())
    m.body("application/sdp", sdp);
  b.invite = std::make_unique<sip::message>(m.build());
  strip_via(*b.invite);
  b.sdp_sent = sdp;
  b.final_status = 0;
  b.state = leg_state::trying;
  const std::uint64_t id = next_request_++;
  b.invite_req = id;
  pending p;
  p.what = purpose::invite;
  p.leg = b.id;
  p.cseq = cseq;
  p.method = "INVITE";
  pending_.emplace(id, std::move(p));
  out.emplace_back(send_request{b.id, id, *b.invite, b.target});
}

void call_stm::respond_a(int status, std::string_view reason, std::string ended_by,
                         call_time t, effects& out, const header_list& extra) {
  call_leg& a = legs_[leg_a];
  auto r = sip::message_builder::response(a.invite_message(), status, reason, a_tag_);
  for (const auto& [name, value] : extra)
    r.append_header(name, value);
  const std::string phrase(r.reason_phrase());
  out.emplace_back(respond{a.invite_tx, std::move(r)});
  if (status >= 300)
    finish(disposition_of(status), status, phrase, std::move(ended_by), t, out);
}

void call_stm::cancel_forks(leg_id except, effects& out) {
  for (std::size_t i = 1; i < legs_.size(); ++i) {
    call_leg& l = legs_[i];
    if (l.id == except || l.cancelled || l.final_status != 0 ||
        l.state == leg_state::confirmed || l.state == leg_state::terminated)
      continue;
    l.cancelled = true;
    out.emplace_back(cancel_request{l.id, l.invite_req});
  }
}

void call_stm::arm(timer_name name, time_point deadline, effects& out) {
  if (std::find(armed_.begin(), armed_.end(), name) == armed_.end())
    armed_.push_back(name);
  out.emplace_back(arm_timer{name, deadline});
}

void call_stm::disarm(timer_name name, effects& out) {
  const auto it = std::find(armed_.begin(), armed_.end(), name);
  if (it == armed_.end())
    return;
  armed_.erase(it);
  out.emplace_back(cancel_timer{name});
}

void call_stm::finish(disposition d, int status, std::string reason, std::string ended_by,
                      call_time t, effects& out) {
  if (state_ == state::terminated)
    return;
  const bool was_held = held();
  state_ = state::terminated;
  if (transfer_.active) {
    cancel_forks(leg_a, out); // the transfer target, if still ringing
    transfer_.active = false;
  }
  while (!armed_.empty())
    disarm(armed_.front(), out);
  for (call_leg& l : legs_)
    l.unacked_2xx.reset();
  for (const leg_id id : joined())
    bye(leg_ref(id), out); // barged-in parties leave with the call
  if (was_held)
    cdr_.hold_total_ms += to_ms(t.now - hold_since_);
  cdr_.end_ms = t.wall_ms;
  cdr_.duration_ms = cdr_.end_ms - cdr_.start_ms;
  if (cdr_.answer_ms != 0) {
    const std::int64_t talk_ms = cdr_.end_ms - cdr_.answer_ms;
    cdr_.billable_s = (talk_ms + 999) / 1000;
  }
  cdr_.disposition = d;
  cdr_.final_status = status;
  cdr_.final_reason = std::move(reason);
  cdr_.ended_by = std::move(ended_by);
  log().info("Call-ID {}: ended {} {} {} by {}, {} s billable", cdr_.call_id,
             to_string(cdr_.disposition), cdr_.final_status, cdr_.final_reason,
             cdr_.ended_by, cdr_.billable_s);
  out.emplace_back(call_event{call_event_kind::ended, leg_a});
  if (!linked_call_id_.empty())
    out.emplace_back(hangup_linked{std::exchange(linked_call_id_, {})});
  out.emplace_back(cdr_ready{cdr_});
}

effects call_stm::hangup(call_time t, std::string reason) {
  effects out;
  linked_call_id_.clear(); // the linked call is the one asking
  if (state_ == state::proceeding || state_ == state::early) {
    cancel_forks(leg_a, out);
    respond_a(480, {}, "system", t, out);
  } else if (state_ == state::dialling) {
    seized_end("system", t, out);
  } else if (state_ == state::confirmed) {
    bye(leg_ref(pair_[0]), out);
    bye(leg_ref(pair_[1]), out);
    finish(disposition::answered, 200, std::move(reason), "system", t, out);
  }
  return out;
}

bool call_stm::held() const noexcept {
  return std::any_of(legs_.begin(), legs_.end(), [](const call_leg& l) { return l.held; });
}

const call_leg* call_stm::leg(leg_id id) const noexcept {
  return id < legs_.size() ? &legs_[id] : nullptr;
}

call_leg& call_stm::leg_ref(leg_id id) {
  RINGDOWN_ASSERT(id < legs_.size(), "leg exists");
  return legs_[id];
}

leg_id call_stm::peer_of(leg_id x) const noexcept {
  return pair_[0] == x ? pair_[1] : pair_[0];
}

} // namespace ringdown::call
