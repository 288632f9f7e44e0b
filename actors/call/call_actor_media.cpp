// The call actor's media bridge: opened as the machine starts (a call's own
// bridge, a line seizure's, or a seat in a conference part's bridge), and
// what the bridge reports (a silent party, digits, figures). Every log line
// names the caller's Call-ID.

#include "actors/call/call_actor_state.hpp"
#include "actors/call/call_stm.hpp"
#include "config/config.hpp"

namespace ringdown::actors::call_shell {

namespace {

/// Opens the call's media bridge (when the node anchors media) and hands
/// it to the machine; false when no port is left.
bool open_media(call_actor* self) {
  auto& st = self->state;
  // Bridge events come from a media thread: hand them over as messages,
  // without keeping the actor alive.
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(self);
  const auto& m = st.services->node->media;
  const auto srtp = m.srtp_offer == "never"    ? bridge::sdp_anchor::srtp_offer::never
                    : m.srtp_offer == "always" ? bridge::sdp_anchor::srtp_offer::always
                                               : bridge::sdp_anchor::srtp_offer::mirror;
  rtp::digit_collection dialling;
  dialling.digits_max = m.digits_max;
  dialling.inter_digit_ms = m.inter_digit_ms;
  dialling.first_digit_ms = m.first_digit_ms;
  st.media = bridge::call_media::open(
      *st.services->media, *st.gen,
      [weak](const rtp::media_event& e) {
        if (auto strong = caf::actor_cast<caf::strong_actor_ptr>(weak))
          caf::anon_send(caf::actor_cast<caf::actor>(strong), e);
      },
      srtp, dialling);
  if (!st.media) {
    logger().warn("Call-ID {}: no media port left: 503", st.call_id);
    return false;
  }
  st.media->set_call_id(st.call_id);
  st.stm->set_media(st.media.get());
  return true;
}

} // namespace

void start(call_actor* self, const sip_request_event& ev, call::call_targets targets) {
  auto& st = self->state;
  targets.zone = targets.zone.empty() ? st.services->node->zone : targets.zone;
  targets.node = st.services->node->node_id;
  if (st.services->media != nullptr &&
      (!targets.uris.empty() || !targets.divert.uris.empty()) && !open_media(self)) {
    targets.uris.clear();
    targets.divert = {};
    targets.reject_status = 503;
    targets.retry_after_s = 5;
  }
  apply(self, st.stm->start(ev.tx, *ev.msg, targets, now(st)));
}

void start_seizure(call_actor* self, const sip_request_event& ev,
                   call::call_targets targets) {
  auto& st = self->state;
  targets.node = st.services->node->node_id;
  if (!open_media(self)) {
    targets.reject_status = 503;
    targets.retry_after_s = 5;
    apply(self, st.stm->start(ev.tx, *ev.msg, targets, now(st)));
    return;
  }
  apply(self, st.stm->seize(ev.tx, *ev.msg, targets, now(st)));
}

void start_hosted(call_actor* self, const sip_request_event& ev, call::call_targets targets,
                  std::uint64_t bridge, std::uint32_t leg) {
  auto& st = self->state;
  targets.node = st.services->node->node_id;
  st.media = bridge::call_media::join(*st.services->media, bridge, leg, *st.gen);
  if (!st.media) {
    logger().warn("Call-ID {}: no media port left in the conference: 503", st.call_id);
    targets.reject_status = 503;
    targets.retry_after_s = 5;
    apply(self, st.stm->start(ev.tx, *ev.msg, targets, now(st)));
    return;
  }
  st.media->set_call_id(st.call_id);
  st.stm->set_media(st.media.get());
  apply(self, st.stm->host(ev.tx, *ev.msg, targets, now(st)));
}

/// What the call's bridge reports: a silent party ends the call; each
/// leg's figures are logged when it leaves.
void on_media(call_actor* self, const rtp::media_event& e) {
  auto& s = self->state;
  using kind = rtp::media_event::kind;
  switch (e.what) {
  case kind::media_timeout:
    if (!s.stm || s.stm->current() != call::call_stm::state::confirmed)
      return;
    logger().warn("Call-ID {}: no RTP from leg {} for {} s: hanging up", s.call_id, e.leg,
                  s.services->node->media.timeout_s);
    apply(self, s.stm->hangup(now(s), "Media Timeout"));
    return;
  case kind::leg_stats:
    logger().info("Call-ID {}: leg {} media: received {} sent {} lost {} jitter {:.1f} ms "
                  "rtt {} MOS {:.2f}",
                  s.call_id, e.leg, e.quality.packets_received, e.quality.packets_sent,
                  e.quality.packets_lost, e.quality.jitter_ms,
                  e.quality.rtt_ms ? fmt::format("{:.1f} ms", *e.quality.rtt_ms) : "-",
                  e.quality.mos);
    return;
  case kind::latched:
    logger().info("Call-ID {}: leg {} media latched to its source address", s.call_id,
                  e.leg);
    return;
  case kind::digit:
    logger().debug("Call-ID {}: leg {} digit {}", s.call_id, e.leg, e.digit);
    if (s.stm)
      apply(self, s.stm->on_digit(e.leg, now(s)));
    return;
  case kind::digits_collected: {
    if (!s.stm || s.stm->current() != call::call_stm::state::dialling)
      return;
    logger().info("Call-ID {}: leg {} dialled '{}'", s.call_id, e.leg, e.digits);
    call::call_targets targets;
    targets.dialled = e.digits;
    if (e.digits.empty()) {
      apply(self, s.stm->dial(targets, now(s))); // nothing to route
      return;
    }
    route_dialled(self, e.digits, std::move(targets),
                  [](call_actor* me, call::call_targets t) {
                    apply(me, me->state.stm->dial(t, now(me->state)));
                  });
    return;
  }
  default:
    return;
  }
}

} // namespace ringdown::actors::call_shell
