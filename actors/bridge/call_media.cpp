#include "actors/bridge/call_media.hpp"

#include <algorithm>

#include "base/logging.hpp"
#include "net/rtp/media_engine.hpp"
#include "net/rtp/tone.hpp"

namespace ringdown::bridge {

namespace {

spdlog::logger& log() {
  static const auto lg = log::get("bridge");
  return *lg;
}

} // namespace

std::unique_ptr<call_media> call_media::open(rtp::media_engine& engine, rng& gen,
                                             event_sink sink, sdp_anchor::srtp_offer srtp,
                                             rtp::digit_collection dialling) {
  const auto b = engine.create_bridge(std::move(sink));
  if (!b)
    return nullptr;
  std::unique_ptr<call_media> m(new call_media(engine, *b, gen, srtp, dialling));
  // The caller's leg and the first callee's: a call that cannot have both
  // is refused at once (503) rather than half anchored.
  if (!m->port_for(call::leg_a) || !m->port_for(call::leg_a + 1))
    return nullptr; // the destructor ends the bridge
  return m;
}

call_media::call_media(rtp::media_engine& engine, rtp::bridge_id bridge, rng& gen,
                       sdp_anchor::srtp_offer srtp, rtp::digit_collection dialling)
    : engine_(engine), bridge_(bridge), dialling_(dialling),
      anchor_(
          engine.config().address, [this](call::leg_id l) { return port_for(l); }, gen,
          srtp) {}

std::unique_ptr<call_media> call_media::join(rtp::media_engine& engine,
                                             rtp::bridge_id bridge,
                                             rtp::leg_index first_leg, rng& gen,
                                             sdp_anchor::srtp_offer srtp) {
  std::unique_ptr<call_media> m(new call_media(engine, bridge, gen, srtp, {}));
  m->owns_bridge_ = false;
  m->leg_offset_ = first_leg;
  if (!m->port_for(call::leg_a))
    return nullptr;
  return m;
}

call_media::~call_media() {
  if (ended_)
    return;
  while (!parked_.empty())
    drop_parked(parked_.front().leg);
  if (owns_bridge_) {
    engine_.destroy_bridge(bridge_);
    return;
  }
  for (const auto& p : ports_)
    engine_.remove_leg(bridge_, engine_leg(p.leg));
}

std::vector<std::pair<call::leg_id, rtp::leg_quality>> call_media::end() {
  if (ended_)
    return {};
  if (!owns_bridge_) {
    // A seat in another's bridge: its legs leave, the bridge goes on (their
    // figures go to the bridge's owner).
    while (!parked_.empty())
      drop_parked(parked_.front().leg);
    for (const auto& p : ports_)
      engine_.remove_leg(bridge_, engine_leg(p.leg));
    ports_.clear();
    ended_ = true;
    return {};
  }
  // A party still on hold comes back first: its figures end with the call's.
  while (!parked_.empty())
    unpark(parked_.front().leg);
  ended_ = true;
  // The media thread answers within microseconds; the bound only keeps a
  // stuck media thread from holding the call's actor.
  return engine_.end_bridge(bridge_, std::chrono::milliseconds{200});
}

std::optional<std::uint16_t> call_media::port_for(call::leg_id leg) {
  for (const auto& p : ports_)
    if (p.leg == leg)
      return p.port;
  const auto port = engine_.add_leg(bridge_, engine_leg(leg));
  if (port)
    ports_.push_back({leg, *port});
  return port;
}

void call_media::detach(call::leg_id leg) {
  const auto before = ports_.size();
  std::erase_if(ports_, [&](const leg_port& p) { return p.leg == leg; });
  if (ports_.size() != before) {
    drop_parked(leg);
    engine_.remove_leg(bridge_, engine_leg(leg));
    anchor_.forget(leg);
    log().info("Call-ID {}: bridge {} leg {}: talks to the other call's party directly",
               call_id_, bridge_, leg);
  }
}

void call_media::tone(call::leg_id leg, std::string_view name) {
  if (name.empty()) {
    engine_.stop_tone(bridge_, engine_leg(leg));
    return;
  }
  log().debug("Call-ID {}: bridge {} leg {}: {} tone", call_id_, bridge_, engine_leg(leg),
              name);
  engine_.play_tone(bridge_, engine_leg(leg), engine_.config().tones.get(name));
}

void call_media::collect_digits(call::leg_id leg) {
  engine_.collect_digits(bridge_, engine_leg(leg), dialling_);
}

void call_media::dialled_digit(call::leg_id leg, char digit) {
  engine_.dialled_digit(bridge_, engine_leg(leg), digit);
}

void call_media::keep_only(const std::vector<call::leg_id>& legs) {
  std::erase_if(ports_, [&](const leg_port& p) {
    if (std::find(legs.begin(), legs.end(), p.leg) != legs.end())
      return false;
    drop_parked(p.leg);
    engine_.remove_leg(bridge_, engine_leg(p.leg));
    return true;
  });
}

std::string call_media::relay(call::leg_id from, call::leg_id to, std::string_view sdp) {
  auto r = anchor_.relay(from, to, sdp);
  if (!r)
    return std::string(sdp);
  apply(r->updates);
  return std::move(r->sdp);
}

std::optional<std::string> call_media::answer(call::leg_id leg, std::string_view offer) {
  auto r = anchor_.answer_here(leg, offer);
  if (!r)
    return std::nullopt;
  apply(r->updates);
  return std::move(r->sdp);
}

void call_media::apply(std::vector<sdp_anchor::leg_update>& updates) {
  for (auto& u : updates) {
    log().debug("Call-ID {}: bridge {} leg {}: {}:{} {} pt {} event pt {}{}", call_id_,
                bridge_, u.leg, u.spec.remote_address, u.spec.remote_port,
                rtp::to_string(u.spec.audio), u.spec.audio_payload_type,
                u.spec.event_payload_type, u.spec.srtp ? " SRTP" : "");
    if (u.music == sdp_anchor::moh::stop)
      unpark(u.leg); // back here before it is configured here
    const auto p = parked(u.leg);
    if (p != parked_.end())
      engine_.configure_leg(p->bridge, p->index, std::move(u.spec)); // a re-INVITE on hold
    else
      engine_.configure_leg(bridge_, engine_leg(u.leg), std::move(u.spec));
    if (u.music == sdp_anchor::moh::start)
      park(u.leg);
  }
}

std::vector<call_media::parked_leg>::iterator call_media::parked(call::leg_id leg) {
  return std::find_if(parked_.begin(), parked_.end(),
                      [&](const parked_leg& x) { return x.leg == leg; });
}

void call_media::park(call::leg_id leg) {
  const auto place = engine_.music_on_hold();
  if (place && engine_.move_leg(bridge_, engine_leg(leg), place->bridge, place->leg)) {
    parked_.push_back({leg, place->bridge, place->leg});
    log().info(
        "Call-ID {}: bridge {} leg {}: on hold, music on hold: moved to the music-on-hold "
        "bridge {} (leg {})",
        call_id_, bridge_, engine_leg(leg), place->bridge, place->leg);
    return;
  }
  log().warn("Call-ID {}: bridge {} leg {}: on hold, music on hold played in the call's "
             "bridge (no "
             "music-on-hold bridge)",
             call_id_, bridge_, engine_leg(leg));
  engine_.play_tone(bridge_, engine_leg(leg), engine_.config().tones.get("moh"));
}

void call_media::unpark(call::leg_id leg) {
  const auto p = parked(leg);
  if (p == parked_.end()) {
    engine_.stop_tone(bridge_, engine_leg(leg));
    log().info("Call-ID {}: bridge {} leg {}: resumed, back in the call", call_id_, bridge_,
               engine_leg(leg));
    return;
  }
  const parked_leg from = *p;
  parked_.erase(p);
  if (engine_.move_leg(from.bridge, from.index, bridge_, engine_leg(leg)))
    log().info("Call-ID {}: bridge {} leg {}: resumed, back in the call from the "
               "music-on-hold bridge {}",
               call_id_, bridge_, engine_leg(leg), from.bridge);
  else
    log().warn(
        "Call-ID {}: bridge {} leg {}: resumed, but the music-on-hold bridge {} lost it",
        call_id_, bridge_, engine_leg(leg), from.bridge);
}

void call_media::drop_parked(call::leg_id leg) {
  const auto p = parked(leg);
  if (p == parked_.end())
    return;
  engine_.remove_leg(p->bridge, p->index);
  parked_.erase(p);
}

} // namespace ringdown::bridge
