#include "actors/bridge/sdp_anchor.hpp"

#include <algorithm>

#include "base/logging.hpp"
#include "net/sdp/crypto.hpp"
#include "net/sdp/direction.hpp"
#include "net/sdp/hold.hpp"
#include "net/sdp/offer.hpp"
#include "net/sdp/rtpmap.hpp"

namespace ringdown::bridge {

namespace {

spdlog::logger& log() {
  static const auto lg = log::get("bridge.sdp");
  return *lg;
}

bool is_g711(const sdp::codec& c, std::string_view name) {
  return c.map && c.map->clock_rate == 8000 && c.map->channel_count() == 1 &&
         std::equal(c.map->encoding.begin(), c.map->encoding.end(), name.begin(),
                    name.end(), [](char a, char b) { return (a & ~0x20) == (b & ~0x20); });
}

const sdp::media* first_audio(const sdp::session& s) {
  for (const auto& m : s.media)
    if (m.type == "audio" && m.port != 0)
      return &m;
  return nullptr;
}

} // namespace

sdp_anchor::sdp_anchor(std::string media_address, port_source ports, rng& gen,
                       srtp_offer srtp)
    : address_(std::move(media_address)), srtp_(srtp), ports_(std::move(ports)), gen_(gen) {
}

sdp_anchor::leg_state& sdp_anchor::leg(leg_id id) {
  for (auto& l : legs_)
    if (l.id == id)
      return l;
  legs_.push_back(leg_state{});
  legs_.back().id = id;
  return legs_.back();
}

bool sdp_anchor::ensure_port(leg_state& l) {
  if (!l.port)
    l.port = ports_(l.id);
  if (l.port && !l.origin)
    l.origin = sdp::origin_state::create(address_, gen_);
  return l.port.has_value();
}

void sdp_anchor::forget(leg_id id) noexcept {
  std::erase_if(legs_, [id](const leg_state& l) { return l.id == id; });
}

void sdp_anchor::reset_offers() noexcept {
  for (auto& l : legs_) {
    l.our_offer.reset();
    l.their_offer.reset();
  }
}

sdp::capabilities sdp_anchor::caps_for(const leg_state& l, sdp::direction dir,
                                       const sdp::session* preference) const {
  sdp::capabilities caps;
  sdp::local_codec pcmu;
  pcmu.encoding = "PCMU";
  sdp::local_codec pcma;
  pcma.encoding = "PCMA";
  caps.codecs = {pcmu, pcma};
  // Offer first what the other party prefers, so the bridge need not
  // transcode when both ends can speak it.
  const sdp::media* m = preference != nullptr ? first_audio(*preference) : nullptr;
  if (m != nullptr) {
    for (const auto& c : sdp::media_codecs(*m)) {
      if (is_g711(c, "PCMA")) {
        std::swap(caps.codecs[0], caps.codecs[1]);
        break;
      }
      if (is_g711(c, "PCMU"))
        break;
    }
  }
  caps.endpoints = {{address_, *l.port}};
  caps.local_direction = dir;
  caps.srtp = sdp::srtp_policy::optional;
  caps.ptime_ms = rtp::frame_ms;
  return caps;
}

std::optional<rtp::leg_spec> sdp_anchor::spec_of(const sdp::negotiated_stream& s) const {
  if (!s.accepted() || s.codecs.empty())
    return std::nullopt;
  rtp::leg_spec spec;
  spec.remote_address = s.remote_address;
  spec.remote_port = s.remote_port;
  const auto& primary = s.codecs.front();
  if (is_g711(primary, "PCMA"))
    spec.audio = rtp::codec::pcma;
  else if (is_g711(primary, "PCMU"))
    spec.audio = rtp::codec::pcmu;
  else
    return std::nullopt;
  spec.audio_payload_type = primary.payload_type;
  spec.event_payload_type = s.telephone_event_pt.value_or(0);
  spec.rtcp_mux = s.rtcp_mux;
  spec.held = false; // set by the caller, which knows who holds whom
  if (s.remote_crypto && s.local_crypto && !s.remote_crypto->keys.empty() &&
      !s.local_crypto->keys.empty()) {
    auto in = sdp::base64_decode(s.remote_crypto->keys.front().key_salt);
    auto out = sdp::base64_decode(s.local_crypto->keys.front().key_salt);
    if (!in || !out)
      return std::nullopt;
    spec.srtp = rtp::srtp_keys{s.local_crypto->suite, std::move(*in), std::move(*out)};
  }
  return spec;
}

std::optional<sdp_anchor::result> sdp_anchor::relay(leg_id from, leg_id to,
                                                    std::string_view text) {
  if (text.empty())
    return std::nullopt;
  std::string error;
  auto parsed = sdp::parse(text, &error);
  if (!parsed) {
    log().debug("leg {} sent an SDP we cannot read ({}): relayed as is", from, error);
    return std::nullopt;
  }
  if (first_audio(*parsed) == nullptr)
    return std::nullopt;
  leg(from);
  leg_state& t = leg(to);
  leg_state& f = leg(from); // leg() may have grown the vector: look up again
  if (!ensure_port(f) || !ensure_port(t)) {
    log().warn("no media port for legs {}/{}: SDP relayed as is", from, to);
    return std::nullopt;
  }
  if (f.our_offer)
    if (auto r = answer(f, t, *parsed))
      return r;
  return offer(f, t, std::move(*parsed));
}

std::optional<sdp_anchor::result> sdp_anchor::answer_here(leg_id id,
                                                          std::string_view text) {
  auto parsed = sdp::parse(text);
  if (!parsed || first_audio(*parsed) == nullptr)
    return std::nullopt;
  leg_state& l = leg(id);
  if (!ensure_port(l))
    return std::nullopt;
  const auto ans =
      sdp::make_answer(*parsed, caps_for(l, sdp::direction::sendrecv, nullptr), *l.origin);
  if (ans.streams.empty())
    return std::nullopt;
  const auto spec = spec_of(ans.streams.front());
  if (!spec)
    return std::nullopt;
  l.last_answer = sdp::serialize(ans.sdp);
  return result{*l.last_answer, {{id, *spec}}};
}

std::optional<sdp_anchor::result> sdp_anchor::offer(leg_state& f, leg_state& t,
                                                    sdp::session parsed) {
  const sdp::media& m = *first_audio(parsed);
  // A hold from F (sendonly, inactive or c=0.0.0.0) is answered by the
  // bridge, not passed on: T is offered sendrecv, since the bridge goes on
  // sending it (music on hold) and a phone told it is held may stop playing
  // what it receives (it would then hear silence, not the music).
  const auto dir = sdp::is_hold_offer(parsed) ? sdp::direction::sendrecv
                                              : sdp::media_direction(parsed, m);
  auto caps = caps_for(t, dir, &parsed);
  const bool secure =
      srtp_ == srtp_offer::always || (srtp_ == srtp_offer::mirror && m.proto == "RTP/SAVP");
  caps.srtp = secure ? sdp::srtp_policy::required : sdp::srtp_policy::off;
  f.our_offer.reset();
  f.last_answer.reset();
  f.their_offer = std::move(parsed);
  t.our_offer = sdp::make_offer(caps, *t.origin);
  return result{sdp::serialize(*t.our_offer), {}};
}

std::optional<sdp_anchor::result> sdp_anchor::answer(leg_state& f, leg_state& t,
                                                     const sdp::session& parsed) {
  std::string error;
  const auto streams = sdp::read_answer(*f.our_offer, parsed, &error);
  if (!streams || (!t.their_offer && !t.last_answer))
    return std::nullopt; // not an answer to what we offered: take it as an offer
  // Forks share one offer: it stays until the call is answered or re-offers.
  // T's offer is answered: whether it holds F is settled now, not before
  // (a refused hold changes nothing).
  if (t.their_offer)
    t.holding = sdp::is_hold_offer(*t.their_offer);
  result r;
  const auto f_spec = streams->empty() ? std::nullopt : spec_of(streams->front());
  if (f_spec) {
    r.updates.push_back({f.id, *f_spec});
    mark_held(f, r.updates.back(), t.holding);
  }
  f.our_offer.reset();
  if (!t.their_offer) {
    r.sdp = *t.last_answer;
    return r;
  }
  // Our answer to T's offer carries F's direction (hold passes through).
  const sdp::media* fm = first_audio(parsed);
  const auto dir = fm ? sdp::media_direction(parsed, *fm) : sdp::direction::inactive;
  auto caps = caps_for(t, dir, nullptr);
  const auto ans = sdp::make_answer(*t.their_offer, caps, *t.origin);
  t.their_offer.reset();
  t.last_answer = sdp::serialize(ans.sdp);
  if (!ans.streams.empty())
    if (auto t_spec = spec_of(ans.streams.front())) {
      // A holding phone may send nothing at all: no media timeout for it.
      t_spec->may_be_silent = t.holding;
      r.updates.push_back({t.id, *t_spec});
      mark_held(t, r.updates.back(), f.holding);
    }
  r.sdp = *t.last_answer;
  return r;
}

void sdp_anchor::mark_held(leg_state& l, leg_update& u, bool held) noexcept {
  u.spec.held = held;
  if (held != l.held)
    u.music = held ? moh::start : moh::stop;
  l.held = held;
}

} // namespace ringdown::bridge
