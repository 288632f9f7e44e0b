// call_stm: barge (RFC 3911 Join on a shared line whose policy allows it,
// ARCHITECTURE.md §1). The line decides whether a device may barge; the call
// joins the device's INVITE as a new UAS leg that the media bridge answers
// and mixes in. The two parties learn of it by INFO (the line's
// announcement, call_stm::announce).
#include "actors/call/call_stm.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::call {

effects call_stm::barge(std::uint64_t tx, const sip::message& invite, call_time t) {
  effects out;
  const std::string tag = ids_.tag();
  const auto refuse = [&](int status, std::string_view reason) {
    log().info("Call-ID {}: barge (Call-ID {}) refused {} {}", cdr_.call_id,
               invite.call_id(), status, reason);
    out.emplace_back(
        respond{tx, sip::message_builder::response(invite, status, reason, tag)});
  };
  if (state_ != state::confirmed) {
    refuse(481, "Call Does Not Exist");
    return out;
  }
  if (media_ == nullptr) {
    refuse(501, "Barge Needs The Media Bridge");
    return out;
  }
  const auto ct = invite.content_type();
  if (invite.body().empty() || !ct || ct->value != "application/sdp") {
    refuse(488, "SDP Offer Required");
    return out;
  }
  if (legs_.size() >= cfg_.legs_max) {
    refuse(486, "Too Many Parties");
    return out;
  }
  auto dlg = dialog::from_uas(invite, tag, cfg_.local);
  if (dlg.remote_target().empty()) {
    refuse(400, "Missing Contact");
    return out;
  }
  const auto id = static_cast<leg_id>(legs_.size());
  auto answer = media_->answer(id, invite.body());
  if (!answer) {
    refuse(488, "Not Acceptable Here");
    return out;
  }
  call_leg& p = legs_.emplace_back();
  p.id = id;
  p.uas = true;
  p.barged = true;
  p.invite = std::make_unique<sip::message>(invite);
  p.invite_tx = tx;
  p.dlg = std::move(dlg);
  p.sdp_received = std::string(invite.body());
  p.sdp_sent = std::move(*answer);
  auto ok =
      sip::message_builder::response(p.invite_message(), 200, {}, p.dlg->id().local_tag);
  ok.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
  ok.append_header("Allow", cfg_.allow);
  ok.set_body("application/sdp", p.sdp_sent);
  p.dlg->confirm();
  p.state = leg_state::confirmed;
  send_2xx(p, std::move(ok), t, out);
  log().info("Call-ID {}: Call-ID {} barges in (leg {})", cdr_.call_id, invite.call_id(),
             p.id);
  return out;
}

effects call_stm::announce(std::string_view content_type, std::string_view body) {
  effects out;
  if (state_ != state::confirmed)
    return out;
  for (const leg_id id : pair_) {
    call_leg& y = leg_ref(id);
    if (!y.dlg || y.state != leg_state::confirmed)
      continue;
    pending p;
    p.what = purpose::announce;
    p.leg = y.id;
    p.method = "INFO";
    sip::message msg = y.dlg->make_request("INFO", {}, content_type, body);
    p.cseq = y.dlg->local_cseq();
    const std::uint64_t req = send(y, std::move(msg), out);
    pending_.emplace(req, std::move(p));
  }
  return out;
}

std::vector<leg_id> call_stm::joined() const {
  std::vector<leg_id> out;
  for (const call_leg& l : legs_)
    if (l.barged && l.state == leg_state::confirmed)
      out.push_back(l.id);
  return out;
}

} // namespace ringdown::call
