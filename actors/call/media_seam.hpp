#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actors/call/call_effect.hpp"

namespace ringdown::call {

/// The seam where the media bridge plugs in: the SDP to send on leg `to`
/// for an SDP that leg `from` sent us. Every SDP that crosses legs in
/// call_stm goes through it. Without one the engine relays SDP unchanged;
/// with the call's bridge (actors/bridge/call_media.hpp) every leg talks
/// to the bridge's own address and ports.
class sdp_relay {
public:
  virtual ~sdp_relay() = default;
  [[nodiscard]] virtual std::string relay(leg_id from, leg_id to, std::string_view sdp) = 0;
  /// The bridge's own answer to `offer` from leg `leg`, which joins the
  /// bridge without another leg to relay to (a barge); nullopt when the
  /// offer cannot be answered.
  [[nodiscard]] virtual std::optional<std::string> answer(leg_id leg,
                                                          std::string_view offer) = 0;
  /// Leg `leg` now talks to a party of another call directly (an attended
  /// transfer joined two calls, each with its own bridge): it leaves this
  /// call's bridge.
  virtual void detach(leg_id leg) { (void)leg; }
  /// Plays tone `name` of the tone plan ("dial", "ringback", "busy",
  /// "congestion") to leg `leg` on top of what it hears, replacing a tone
  /// playing there; "" stops it. In-band call progress of a line seizure.
  virtual void tone(leg_id leg, std::string_view name) {
    (void)leg;
    (void)name;
  }
  /// Collects the RFC 4733 digits leg `leg` dials (line seizure); the
  /// bridge reports each digit and the collected number to the call's
  /// shell, which hands them to call_stm::on_digit and call_stm::dial.
  virtual void collect_digits(leg_id leg) { (void)leg; }
  /// A digit leg `leg` dialled by SIP INFO: reported and collected as an
  /// RFC 4733 one.
  virtual void dialled_digit(leg_id leg, char digit) {
    (void)leg;
    (void)digit;
  }
};

} // namespace ringdown::call
