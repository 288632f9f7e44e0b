// call_stm: open-hold pick-up (RFC 7463 §5.3). A device of the shared line
// sends INVITE with Replaces naming the held call; the line has allowed it
// (open hold, or the holder itself from another device). Until the media
// bridge lands the B2BUA re-anchors the media by re-INVITE: the held call's
// other party is offered the picker's SDP, and its answer goes back to the
// picker in our 200.
#include <chrono>

#include "actors/call/call_stm.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::call {

effects call_stm::pick_up(std::uint64_t tx, const sip::message& invite, call_time t) {
  (void)t;
  effects out;
  const std::string tag = ids_.tag();
  const auto refuse = [&](int status, std::string_view reason) {
    log().info("Call-ID {}: pick-up (Call-ID {}) refused {} {}", cdr_.call_id,
               invite.call_id(), status, reason);
    out.emplace_back(
        respond{tx, sip::message_builder::response(invite, status, reason, tag)});
  };
  if (state_ != state::confirmed) {
    refuse(481, "Call Does Not Exist");
    return out;
  }
  if (transfer_.active || pick_up_.active) {
    refuse(491, "Request Pending");
    return out;
  }
  // The held appearance: a talking leg whose last SDP put the call on hold.
  const call_leg* held_leg = nullptr;
  for (const leg_id id : pair_)
    if (legs_[id].held && legs_[id].state == leg_state::confirmed)
      held_leg = &legs_[id];
  if (held_leg == nullptr) {
    refuse(481, "No Held Call");
    return out;
  }
  const auto ct = invite.content_type();
  if (invite.body().empty() || !ct || ct->value != "application/sdp") {
    refuse(488, "SDP Offer Required");
    return out;
  }
  if (legs_.size() >= cfg_.legs_max) {
    refuse(403, "Too Many Legs");
    return out;
  }
  auto dlg = dialog::from_uas(invite, tag, cfg_.local);
  if (dlg.remote_target().empty()) {
    refuse(400, "Missing Contact");
    return out;
  }
  const leg_id held_id = held_leg->id;
  call_leg& p = legs_.emplace_back();
  p.id = static_cast<leg_id>(legs_.size() - 1);
  p.uas = true;
  p.invite = std::make_unique<sip::message>(invite);
  p.invite_tx = tx;
  p.dlg = std::move(dlg);
  p.sdp_received = std::string(invite.body());
  p.peer_allows_update = invite.lists_token(sip::header_id::allow, "UPDATE");
  call_leg& keep = leg_ref(peer_of(held_id));
  pick_up_ = {true, held_id, p.id, keep.id, keep.sdp_sent};
  log().info("Call-ID {}: pick-up by Call-ID {}: re-offering leg {}", cdr_.call_id,
             invite.call_id(), keep.id);
  reinvite(keep, relay_sdp(p.id, keep.id, p.sdp_received), out, purpose::pick_up);
  return out;
}

void call_stm::on_pick_up_response(call_leg& keep, const sip::message& resp, call_time t,
                                   effects& out) {
  const int status = resp.status_code();
  if (status < 200 || !pick_up_.active)
    return;
  pick_up_.active = false;
  call_leg& p = leg_ref(pick_up_.picker);
  call_leg& r = leg_ref(pick_up_.held);
  if (status >= 300) {
    if (p.state != leg_state::terminated) {
      auto refused = sip::message_builder::response(
          p.invite_message(), status, resp.reason_phrase(), p.dlg->id().local_tag);
      out.emplace_back(respond{p.invite_tx, std::move(refused)});
      p.state = leg_state::terminated;
    }
    if (status == 481 || status == 408) {
      // §12.2.1.2: the other party's dialog is gone; so is the call.
      bye(r, out);
      keep.state = leg_state::terminated;
      finish(disposition::answered, 200, "Dialog lost", "system", t, out);
    }
    return;
  }
  out.emplace_back(
      send_ack{keep.id, keep.dlg->make_ack(resp.cseq()->number), keep.dlg->destination()});
  keep.dlg->refresh_target(resp);
  if (!resp.body().empty())
    keep.sdp_received = std::string(resp.body());
  if (p.state == leg_state::terminated) {
    // The picker CANCELled meanwhile: the other party goes back on hold.
    reinvite(keep, pick_up_.restore_sdp, out);
    return;
  }
  auto ok =
      sip::message_builder::response(p.invite_message(), 200, {}, p.dlg->id().local_tag);
  ok.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
  ok.append_header("Allow", cfg_.allow);
  p.sdp_sent = relay_sdp(keep.id, p.id, keep.sdp_received);
  ok.set_body("application/sdp", p.sdp_sent);
  p.dlg->confirm();
  p.state = leg_state::confirmed;
  send_2xx(p, std::move(ok), t, out);
  // The holder's appearance is released: its hold ends with it.
  disarm({timer_kind::session_refresh, r.id}, out);
  disarm({timer_kind::session_expiry, r.id}, out);
  bye(r, out);
  r.held = false;
  if (!held())
    cdr_.hold_total_ms +=
        std::chrono::duration_cast<std::chrono::milliseconds>(t.now - hold_since_).count();
  pair_ = {keep.id, p.id};
  cdr_.transfer = transfer_kind::pick_up;
  cdr_.transfer_target = uri_of(p.invite_message().header(sip::header_id::from));
  cdr_.transfer_by = r.id == leg_a ? "caller" : "callee";
  log().info("Call-ID {}: picked up by Call-ID {} (leg {})", cdr_.call_id,
             p.dlg->id().call_id, p.id);
  out.emplace_back(call_event{call_event_kind::resumed, p.id});
}

} // namespace ringdown::call
