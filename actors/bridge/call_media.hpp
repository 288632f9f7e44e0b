#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/bridge/sdp_anchor.hpp"
#include "actors/call/media_seam.hpp"
#include "base/random.hpp"
#include "net/rtp/media_types.hpp"

namespace ringdown::rtp {
class media_engine;
}

namespace ringdown::bridge {

/// A call's media bridge as the call sees it: the call's `sdp_relay`
/// (every SDP between its legs is answered by the bridge, sdp_anchor) and
/// the owner of the bridge in the media engine (one engine leg per call
/// leg, configured from each answer). A leg put on hold moves to the media
/// engine's music-on-hold bridge and back into this one on resume. Created by the call's
/// actor when the call starts, ended with it; lives on that actor.
class call_media final : public call::sdp_relay {
public:
  using event_sink = std::function<void(const rtp::media_event&)>;

  /// A bridge with the caller's leg (0) and the first callee's (1) bound,
  /// or null when the engine has no bridge or no ports left: the call is
  /// then refused with 503. Further legs (more forks, transfer targets)
  /// bind on first use; one that finds no port is relayed unanchored.
  /// `dialling`: how a seized line's digits are collected.
  static std::unique_ptr<call_media>
  open(rtp::media_engine& engine, rng& gen, event_sink sink,
       sdp_anchor::srtp_offer srtp = sdp_anchor::srtp_offer::mirror,
       rtp::digit_collection dialling = {});
  /// A call's seat in a bridge it does not own (a conference part's,
  /// actors/bridge/conference_actor.cpp): its leg `l` is the bridge's leg
  /// `first_leg + l`; ending it removes those legs only. Null when the
  /// bridge has no port left for the caller's leg.
  static std::unique_ptr<call_media>
  join(rtp::media_engine& engine, rtp::bridge_id bridge, rtp::leg_index first_leg, rng& gen,
       sdp_anchor::srtp_offer srtp = sdp_anchor::srtp_offer::mirror);
  ~call_media() override;
  call_media(const call_media&) = delete;
  call_media& operator=(const call_media&) = delete;

  [[nodiscard]] std::string relay(call::leg_id from, call::leg_id to,
                                  std::string_view sdp) override;
  [[nodiscard]] std::optional<std::string> answer(call::leg_id leg,
                                                  std::string_view offer) override;

  void detach(call::leg_id leg) override;
  /// Plays the tone `name` of the engine's tone plan (media_engine_config::
  /// tones: config [media.tones] over the defaults; an unknown name plays
  /// silence); an empty name stops the tone.
  void tone(call::leg_id leg, std::string_view name) override;
  void collect_digits(call::leg_id leg) override;
  void dialled_digit(call::leg_id leg, char digit) override;

  /// Once the call is answered only its talking legs stay in the bridge
  /// (the pair and any barged-in party): forks that lost (early media
  /// included) and parties gone are removed.
  void keep_only(const std::vector<call::leg_id>& legs);

  /// Ends the bridge now and returns each leg's figures for the CDR
  /// (waits briefly for the media thread). Later calls return nothing.
  [[nodiscard]] std::vector<std::pair<call::leg_id, rtp::leg_quality>> end();

  [[nodiscard]] rtp::bridge_id id() const noexcept { return bridge_; }
  /// The call's Call-ID, for every log line about its media.
  void set_call_id(std::string call_id) { call_id_ = std::move(call_id); }
  [[nodiscard]] std::size_t legs() const noexcept { return ports_.size(); }

private:
  call_media(rtp::media_engine& engine, rtp::bridge_id bridge, rng& gen,
             sdp_anchor::srtp_offer srtp, rtp::digit_collection dialling);
  std::optional<std::uint16_t> port_for(call::leg_id leg);
  [[nodiscard]] rtp::leg_index engine_leg(call::leg_id leg) const noexcept {
    return leg_offset_ + leg;
  }
  void apply(std::vector<sdp_anchor::leg_update>& updates);
  /// A leg put on hold leaves for the engine's music-on-hold bridge (or,
  /// with none to be had, hears the music here); on resume it comes back.
  void park(call::leg_id leg);
  void unpark(call::leg_id leg);
  /// Takes a parked leg out of the music-on-hold bridge for good.
  void drop_parked(call::leg_id leg);

  rtp::media_engine& engine_;
  rtp::bridge_id bridge_;
  std::string call_id_;
  bool ended_ = false;
  /// Joined to another's bridge: engine leg = offset + call leg.
  bool owns_bridge_ = true;
  rtp::leg_index leg_offset_ = 0;
  rtp::digit_collection dialling_;
  struct leg_port {
    call::leg_id leg = 0;
    std::uint16_t port = 0;
  };
  std::vector<leg_port> ports_;
  /// Legs on hold in the engine's music-on-hold bridge, and their place there.
  struct parked_leg {
    call::leg_id leg = 0;
    rtp::bridge_id bridge = 0;
    rtp::leg_index index = 0;
  };
  std::vector<parked_leg> parked_;
  /// `leg`'s place in parked_, end() when it is not on hold there.
  std::vector<parked_leg>::iterator parked(call::leg_id leg);
  sdp_anchor anchor_;
};

} // namespace ringdown::bridge
