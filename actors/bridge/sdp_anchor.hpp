#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.hpp"
#include "net/rtp/media_types.hpp"
#include "net/sdp/offer_answer.hpp"
#include "net/sdp/origin_state.hpp"
#include "net/sdp/session.hpp"

namespace ringdown::bridge {

/// The offer/answer of a B2BUA that anchors a call's media on its own
/// bridge (ARCHITECTURE.md §1, call bridge; RFC 3264 on each leg
/// separately). Every SDP that crosses from one leg to another is replaced:
/// an offer from leg F becomes our own offer to leg T (our address and T's
/// port, G.711 in F's preference order, telephone-event, SRTP when F asked
/// for it, F's direction); T's answer then gives F our answer to F's offer
/// (F's port, the codec F prefers, our own SRTP key, T's direction). Each
/// answer yields the leg's media settings for the bridge (`leg_update`).
///
/// Hold (ARCHITECTURE.md §1, hold on a bridged trunk): when leg F's offer
/// is a hold offer (sdp::is_hold_offer: sendonly, inactive or c=0.0.0.0)
/// our offer to T stays sendrecv (the bridge sends T music; a phone told
/// sendonly may stop playing out) while F gets recvonly/inactive back; once
/// T answers, T's update is `held` with `moh::start`: T leaves the call's mix
/// for music on hold and F hears nothing from T. F's next offer that is not
/// a hold offer, once answered, brings T back (`held` false, `moh::stop`).
/// A re-offer that stays on hold changes nothing; a refused one
/// (reset_offers) neither. Either leg may hold the other.
///
/// Pure: no sockets, no clock; ports come from `port_source` (the media
/// engine, or a table in tests), keys and session ids from `gen`. One per
/// call, on the call's actor.
class sdp_anchor {
public:
  using leg_id = std::uint32_t;
  /// The local RTP port of a leg (the engine binds it on first use);
  /// nullopt when none is left.
  using port_source = std::function<std::optional<std::uint16_t>(leg_id)>;

  /// What the bridge does with the music on hold of a leg.
  enum class moh : std::uint8_t {
    keep,  ///< as it is
    start, ///< the leg was just put on hold: play it music on hold
    stop,  ///< the leg was just resumed: stop the music
  };
  struct leg_update {
    leg_id leg = 0;
    rtp::leg_spec spec; ///< `spec.held`: the other leg has this one on hold
    moh music = moh::keep;
  };
  struct result {
    std::string sdp; ///< what to send on the target leg
    std::vector<leg_update> updates;
  };

  /// What we offer a leg we call (config media.srtp_offer).
  enum class srtp_offer : std::uint8_t { mirror, never, always };

  sdp_anchor(std::string media_address, port_source ports, rng& gen,
             srtp_offer srtp = srtp_offer::mirror);

  /// The SDP to send on leg `to` for the SDP leg `from` sent us. nullopt
  /// when `sdp` is not a session description we can anchor (empty body,
  /// unparsable, no port): the caller relays it unchanged.
  [[nodiscard]] std::optional<result> relay(leg_id from, leg_id to, std::string_view sdp);

  /// The bridge's own answer to `offer` from leg `leg`, which joins the
  /// bridge with no leg to relay to (a barge): our port for it, the codec
  /// it prefers, SRTP if it asked. nullopt when nothing can be answered.
  [[nodiscard]] std::optional<result> answer_here(leg_id leg, std::string_view offer);

  /// Leg `leg` has left the bridge: what we knew of it is forgotten (a
  /// later SDP from it is anchored afresh, on a new port).
  void forget(leg_id leg) noexcept;

  /// Both directions talk again (after a failed re-offer, say): forget
  /// offers in flight.
  void reset_offers() noexcept;

private:
  struct leg_state {
    leg_id id = 0;
    std::optional<std::uint16_t> port;
    std::optional<sdp::origin_state> origin;
    std::optional<sdp::session> our_offer;   ///< sent to this leg, awaiting its answer
    std::optional<sdp::session> their_offer; ///< from this leg, awaiting the other's answer
    /// Our last answer to this leg: sent again when a second answer to the
    /// same offer comes (early media from one fork, 200 from another).
    std::optional<std::string> last_answer;
    bool holding = false; ///< its last answered offer put the other leg on hold
    bool held = false;    ///< its last update said `held`
  };

  leg_state& leg(leg_id id);
  [[nodiscard]] bool ensure_port(leg_state& l);
  sdp::capabilities caps_for(const leg_state& l, sdp::direction dir,
                             const sdp::session* preference) const;
  [[nodiscard]] std::optional<rtp::leg_spec> spec_of(const sdp::negotiated_stream& s) const;
  std::optional<result> offer(leg_state& f, leg_state& t, sdp::session parsed);
  std::optional<result> answer(leg_state& f, leg_state& t, const sdp::session& parsed);
  /// Sets `u.spec.held` and the music change from `l`'s previous state.
  static void mark_held(leg_state& l, leg_update& u, bool held) noexcept;

  std::string address_;
  srtp_offer srtp_;
  port_source ports_;
  rng& gen_;
  std::vector<leg_state> legs_;
};

} // namespace ringdown::bridge
