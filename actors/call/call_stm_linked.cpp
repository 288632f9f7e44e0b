// call_stm: the two calls an attended transfer linked (RFC 5589 §7). The
// transferee stays on the transferring call and the transfer target on
// the other one; each call's remaining party lost its peer leg. Their
// in-dialog requests (re-INVITE §14, UPDATE RFC 3311, INFO RFC 6086) go
// from one call to the other: the sender's call keeps the server
// transaction (to_linked), the other call sends the request to its party
// (from_linked) and returns the final answer. Media are not anchored
// here: the two parties exchanged SDP directly at the transfer.
#include <memory>
#include <utility>

#include "actors/call/call_stm.hpp"
#include "net/sip/builder.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::call {

namespace {

bool is_offer_method(sip::method m) {
  return m == sip::method::invite || m == sip::method::update;
}

bool sdp_type(std::string_view content_type) {
  const auto tp = sip::token_params::parse(content_type);
  return tp && sip::scan::iequals(tp->value, "application/sdp");
}

} // namespace

bool call_stm::relay_to_linked(call_leg& x, std::uint64_t tx, const sip::message& req,
                               call_time t, effects& out) {
  const sip::method m = req.method();
  if (linked_call_id_.empty() || x.state != leg_state::confirmed ||
      (!is_offer_method(m) && m != sip::method::info))
    return false;
  if (is_offer_method(m)) {
    if (req.body().empty() || req.body() == x.sdp_received) {
      local_refresh(x, tx, req, t, out); // a session refresh: answered here
      return true;
    }
    if (offer_pending(x.id, x.id)) {
      reply(tx, req, 491, out); // RFC 3261 §14.2 glare
      return true;
    }
    x.dlg->refresh_target(req);
  }
  const std::uint64_t id = next_request_++;
  pending p;
  p.what = purpose::to_linked;
  p.leg = x.id;
  p.method = std::string(req.method_text());
  p.from_leg = x.id;
  p.from_tx = tx;
  p.from_request = std::make_shared<const sip::message>(req);
  out.emplace_back(relay_linked{linked_call_id_, id, p.from_request});
  pending_.emplace(id, std::move(p));
  return true;
}

effects call_stm::on_linked_request(std::uint64_t relay, const sip::message& req,
                                    call_time t) {
  (void)t;
  effects out;
  const auto refuse = [&](int status) {
    out.emplace_back(answer_linked{
        relay, status, std::string(sip::message_builder::default_reason(status)), {}, {}});
  };
  // The remaining party: the one of the pair still talking, its peer gone.
  call_leg* k = nullptr;
  if (!linked_call_id_.empty() && state_ == state::confirmed) {
    for (const leg_id id : pair_) {
      call_leg& l = leg_ref(id);
      if (l.state == leg_state::confirmed &&
          leg_ref(peer_of(id)).state == leg_state::terminated)
        k = &l;
    }
  }
  if (k == nullptr) {
    refuse(481);
    return out;
  }
  const bool offer = is_offer_method(req.method());
  if (offer && offer_pending(k->id, k->id)) {
    refuse(491);
    return out;
  }
  const bool sdp = req.content_type() && sdp_type(req.header(sip::header_id::content_type));
  const std::string_view ct =
      req.content_type() ? req.header(sip::header_id::content_type) : std::string_view{};
  sip::message msg =
      k->dlg->make_request(req.method_text(), relayed_headers(*k, req), ct, req.body());
  pending p;
  p.what = purpose::from_linked;
  p.leg = k->id;
  p.cseq = k->dlg->local_cseq();
  p.method = std::string(req.method_text());
  p.from_leg = peer_of(k->id); // stands for the linked call's party
  p.from_tx = relay;
  p.sdp = sdp ? std::string(req.body()) : std::string{};
  const std::uint64_t id = send(*k, std::move(msg), out);
  pending_.emplace(id, std::move(p));
  return out;
}

void call_stm::on_from_linked_response(pending& p, const sip::message& resp, call_time t,
                                       effects& out) {
  const int status = resp.status_code();
  if (status < 200)
    return;
  call_leg& k = leg_ref(p.leg);
  const bool offer = p.method == "INVITE" || p.method == "UPDATE";
  if (status < 300 && offer) {
    k.dlg->refresh_target(resp);
    if (p.method == "INVITE")
      out.emplace_back(send_ack{k.id, k.dlg->make_ack(p.cseq), k.dlg->destination()});
    if (!p.sdp.empty()) {
      k.sdp_sent = p.sdp;
      // The linked party held or resumed: counted in this call's CDR too,
      // without a line event (that party is not on this call's line).
      track_hold(leg_ref(p.from_leg), p.sdp, t, out, false);
    }
  }
  answer_linked a{p.from_tx, status, std::string(resp.reason_phrase()), {}, {}};
  if (!resp.body().empty() && resp.content_type()) {
    a.content_type = std::string(resp.header(sip::header_id::content_type));
    a.body = std::string(resp.body());
    if (sdp_type(a.content_type))
      k.sdp_received = a.body;
  }
  out.emplace_back(std::move(a));
  if (state_ != state::confirmed)
    return;
  if (status < 300 && offer) {
    arm_session(k, t, out); // a successful re-INVITE/UPDATE is a refresh
  } else if (status == 481 || status == 408) {
    // §12.2.1.2: our party's dialog is gone; this call and the linked one end.
    k.state = leg_state::terminated;
    finish(disposition::answered, 200, "Dialog lost", "system", t, out);
  }
}

effects call_stm::on_linked_response(std::uint64_t relay, int status,
                                     std::string_view reason, std::string_view content_type,
                                     std::string_view body, call_time t) {
  effects out;
  const auto it = pending_.find(relay);
  if (it == pending_.end() || it->second.what != purpose::to_linked)
    return out;
  const pending p = std::move(it->second);
  pending_.erase(it);
  call_leg& x = leg_ref(p.from_leg);
  const sip::message& req = *p.from_request;
  const bool offer = is_offer_method(req.method());
  const bool sdp_offer =
      req.content_type() && sdp_type(req.header(sip::header_id::content_type));
  auto r = sip::message_builder::response(req, status, reason);
  if (status >= 200 && status < 300 && offer) {
    if (sdp_offer)
      x.sdp_received = std::string(req.body());
    r.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
    add_timer_headers(x, r);
  }
  if (!body.empty() && !content_type.empty()) {
    if (sdp_type(content_type))
      x.sdp_sent = std::string(body);
    r.set_body(content_type, body);
  }
  out.emplace_back(respond{p.from_tx, std::move(r)});
  if (state_ == state::confirmed && status >= 200 && status < 300 && offer) {
    if (sdp_offer)
      track_hold(x, req.body(), t, out);
    arm_session(x, t, out);
  }
  return out;
}

} // namespace ringdown::call
