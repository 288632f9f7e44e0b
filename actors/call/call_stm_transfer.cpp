// call_stm: call transfer. RFC 3515 REFER with the implicit subscription
// and its NOTIFYs of message/sipfrag (RFC 3515 §2.4.5), blind transfer as
// in RFC 5589 §6, attended transfer with Replaces (RFC 3891, RFC 5589 §7).
#include <string>
#include <utility>

#include "actors/call/call_stm.hpp"
#include "net/sip/builder.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::call {

namespace {

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(
          static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

/// The Replaces value inside the Refer-To URI's headers (`?Replaces=...`).
std::string replaces_of(std::string_view uri_headers) {
  std::size_t pos = 0;
  while (pos < uri_headers.size()) {
    const std::size_t amp = uri_headers.find('&', pos);
    const std::string_view h = uri_headers.substr(
        pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    if (h.size() > 9 && sip::scan::iequals(h.substr(0, 9), "Replaces="))
      return unescape(h.substr(9));
    if (amp == std::string_view::npos)
      break;
    pos = amp + 1;
  }
  return {};
}

} // namespace

void call_stm::on_refer(call_leg& x, std::uint64_t tx, const sip::message& req, call_time t,
                        effects& out) {
  const auto refer_to = sip::name_addr::parse(req.header(sip::header_id::refer_to));
  if (!refer_to || refer_to->uri_text.empty()) {
    reply(tx, req, 400, out, "Bad Refer-To");
    return;
  }
  if (transfer_.active) {
    reply(tx, req, 491, out);
    return;
  }
  if (legs_.size() >= cfg_.legs_max) {
    reply(tx, req, 403, out, "Too Many Transfers");
    return;
  }
  call_leg& y = leg_ref(peer_of(x.id));
  std::string target(refer_to->uri_text);
  const std::size_t q = target.find('?');
  const std::string replaces =
      q == std::string::npos ? std::string{} : replaces_of(target.substr(q + 1));
  if (q != std::string::npos)
    target.resize(q);
  reply(tx, req, 202, out, "Accepted");
  transfer_ = {true, x.id, y.id, leg_a};
  notify_sipfrag(x, 100, "Trying", false, out);
  cdr_.transfer_target = target;
  cdr_.transfer_by = x.id == leg_a ? "caller" : "callee";
  if (!replaces.empty()) {
    // Attended: the replaced dialog belongs to another call; the shell
    // joins them (see join_replaces) and answers with transfer_result.
    const auto tp = sip::token_params::parse(replaces);
    join_replaces j;
    j.from_call_id = cdr_.call_id;
    j.replaces_call_id = tp ? std::string(tp->value) : replaces;
    j.replaces_to_tag = tp ? std::string(tp->params.value("to-tag")) : std::string{};
    j.replaces_from_tag = tp ? std::string(tp->params.value("from-tag")) : std::string{};
    j.transferee = y.id;
    j.transferee_sdp = y.sdp_received;
    cdr_.transfer = transfer_kind::attended;
    replaces_call_id_ = j.replaces_call_id;
    out.emplace_back(std::move(j));
    return;
  }
  // Blind: a new leg to the target, offered the transferee's SDP; the
  // transferor stays until the target answers (RFC 5589 §6.1).
  call_leg& n = new_b_leg(target);
  transfer_.target = n.id;
  const std::string& from = y.id == leg_a ? b_from_ : b_to_;
  header_list extra;
  if (const std::string_view by = req.header(sip::header_id::referred_by); !by.empty())
    extra.emplace_back("Referred-By", std::string(by));
  fork(n, from, relay_sdp(y.id, n.id, y.sdp_received), out, extra);
  arm({timer_kind::ring_no_answer, n.id}, t.now + cfg_.ring_timeout, out);
}

void call_stm::transfer_timeout(call_time t, effects& out) {
  call_leg& n = leg_ref(transfer_.target);
  if (!n.cancelled) {
    n.cancelled = true;
    out.emplace_back(cancel_request{n.id, n.invite_req});
  }
  transfer_failed(cfg_.no_answer_status,
                  sip::message_builder::default_reason(cfg_.no_answer_status), t, out);
}

void call_stm::notify_sipfrag(call_leg& x, int status, std::string_view reason, bool final,
                              effects& out) {
  if (!x.dlg || x.state == leg_state::terminated)
    return;
  const header_list extra{
      {"Event", "refer"},
      {"Subscription-State", final ? "terminated;reason=noresource" : "active;expires=60"}};
  const std::string frag =
      "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  sip::message msg =
      x.dlg->make_request("NOTIFY", extra, "message/sipfrag;version=2.0", frag);
  pending p;
  p.what = purpose::notify;
  p.leg = x.id;
  p.cseq = x.dlg->local_cseq();
  p.method = "NOTIFY";
  const std::uint64_t id = send(x, std::move(msg), out);
  pending_.emplace(id, std::move(p));
}

void call_stm::transfer_answered(call_leg& n, call_time t, effects& out) {
  call_leg& x = leg_ref(transfer_.transferor);
  call_leg& y = leg_ref(transfer_.transferee);
  disarm({timer_kind::ring_no_answer, n.id}, out);
  out.emplace_back(send_ack{n.id, n.dlg->make_ack(n.invite_message().cseq()->number),
                            n.dlg->destination()});
  n.invite.reset();
  // The transferee's media now goes to the target: re-offer the target's
  // SDP to it (with the media bridge this re-INVITE disappears).
  if (!n.sdp_received.empty())
    reinvite(y, relay_sdp(n.id, y.id, n.sdp_received), out);
  notify_sipfrag(x, 200, "OK", true, out);
  bye(x, out);
  pair_ = {y.id, n.id};
  transfer_.active = false;
  cdr_.transfer = transfer_kind::blind;
  out.emplace_back(call_event{call_event_kind::transferred, n.id});
  arm_session(n, t, out);
}

void call_stm::transfer_failed(int status, std::string_view reason, call_time t,
                               effects& out) {
  if (transfer_.target != leg_a)
    disarm({timer_kind::ring_no_answer, transfer_.target}, out);
  call_leg& x = leg_ref(transfer_.transferor);
  notify_sipfrag(x, status, reason, true, out);
  transfer_.active = false;
  cdr_.transfer_target.clear();
  cdr_.transfer_by.clear();
  if (x.state == leg_state::terminated) {
    // The transferor already left: the transferee has no one to talk to.
    bye(leg_ref(transfer_.transferee), out);
    finish(disposition::answered, 200, "Transfer failed", "system", t, out);
  }
}

effects call_stm::transfer_result(int status, std::string_view sdp, call_time t) {
  effects out;
  if (!transfer_.active || cdr_.transfer != transfer_kind::attended)
    return out;
  call_leg& x = leg_ref(transfer_.transferor);
  call_leg& y = leg_ref(transfer_.transferee);
  if (status < 200 || status >= 300) {
    cdr_.transfer = transfer_kind::none;
    transfer_failed(status, sip::message_builder::default_reason(status), t, out);
    return out;
  }
  if (!sdp.empty() && y.state == leg_state::confirmed) {
    // The other call's party, as it described itself: the transferee talks
    // to it directly, not through this call's bridge.
    if (media_ != nullptr)
      media_->detach(y.id);
    reinvite(y, std::string(sdp), out);
  }
  notify_sipfrag(x, 200, "OK", true, out);
  bye(x, out);
  end_hold(x, t); // the transferor's hold ends as it leaves
  transfer_.active = false;
  linked_call_id_ = std::exchange(replaces_call_id_, {});
  out.emplace_back(call_event{call_event_kind::transferred, y.id});
  return out;
}

std::optional<std::string> call_stm::replace_leg(const join_replaces& j, call_time t,
                                                 effects& out) {
  // RFC 3891 §3: the dialog is named from the transferor's view: Call-ID,
  // to-tag = its remote tag (ours), from-tag = its own tag.
  for (call_leg& r : legs_) {
    if (!r.dlg || r.dlg->id().call_id != j.replaces_call_id ||
        r.dlg->id().local_tag != j.replaces_to_tag ||
        r.dlg->id().remote_tag != j.replaces_from_tag)
      continue;
    if (state_ != state::confirmed || (pair_[0] != r.id && pair_[1] != r.id) ||
        r.state != leg_state::confirmed)
      return std::nullopt;
    call_leg& keep = leg_ref(peer_of(r.id));
    // The transferee from the other call, as it described itself: the
    // remaining party talks to it directly, not through this call's bridge.
    if (media_ != nullptr)
      media_->detach(keep.id);
    reinvite(keep, j.transferee_sdp, out);
    bye(r, out);
    end_hold(r, t); // the transferor's hold ends as it leaves
    cdr_.transfer = transfer_kind::attended;
    cdr_.transfer_by = r.id == leg_a ? "caller" : "callee";
    linked_call_id_ = j.from_call_id;
    out.emplace_back(call_event{call_event_kind::transferred, keep.id});
    return keep.sdp_received; // what the remaining party itself sent
  }
  return std::nullopt;
}

void call_stm::reinvite(call_leg& l, const std::string& sdp, effects& out,
                        request_purpose what) {
  l.sdp_sent = sdp;
  sip::message msg =
      l.dlg->make_request("INVITE", {{"Supported", "timer"}}, "application/sdp", sdp);
  pending p;
  p.what = what;
  p.leg = l.id;
  p.cseq = l.dlg->local_cseq();
  p.method = "INVITE";
  p.sdp = sdp;
  const std::uint64_t id = send(l, std::move(msg), out);
  pending_.emplace(id, std::move(p));
}

} // namespace ringdown::call
