#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "net/sip/message.hpp"
#include "net/transport/peer.hpp"

/// The pure rules of the SIP relay (RFC 3261 §16, proxy behaviour): which
/// URI names this node, loose routing, Record-Route, Max-Forwards, loop
/// detection. No I/O, no clock: `sip_relay` applies them on the I/O thread,
/// the unit tests call them directly.
namespace ringdown::actors::relay {

/// The listeners of this node (bound addresses, actual ports).
using listeners = std::span<const config::listen_address>;

/// Largest number of consecutive own Route values popped from one request.
inline constexpr std::size_t own_routes_max = 4;
/// Max-Forwards a relay adds when the request has none (§16.6 step 3).
inline constexpr std::uint32_t max_forwards_default = 70;

/// True when `u` names one of `ours` (§16.4): same host (case-insensitive,
/// IPv6 brackets ignored) and same port, the URI's port defaulting to 5060
/// (5061 for sips or transport=tls). The protocol is not compared: one
/// address serves UDP and TCP alike.
[[nodiscard]] bool names_us(const sip::uri& u, listeners ours);

/// Where a loose-routed request goes once our own Route values are gone.
struct loose_route {
  bool popped = false; ///< the top Route named us and was removed (§16.4)
  bool to_us = true;   ///< what remains (next Route, else Request-URI) is us
  /// `!to_us`: the next hop; nullopt when its URI gives no address (a host
  /// name, a tel URI: RFC 3263 resolution is out of scope).
  std::optional<transport::peer> next;
};

/// RFC 3261 §16.4 and §16.12: removes the top Route values that name us
/// (at most `own_routes_max`), then says where the request goes. A request
/// whose top Route does not name us is left alone (`popped` false, `to_us`
/// true). A Request-URI without an address (a domain) after our own Route
/// is for us: we are that domain's proxy (a device's outbound proxy).
/// Edits `request` only when it pops.
[[nodiscard]] loose_route pop_own_routes(sip::message& request, listeners ours);

/// Our Record-Route value for a request that came in over `proto`
/// (§16.6 step 4): `<sip:host:port;transport=udp;lr>` for the first listener
/// of that protocol (IPv6 in brackets); nullopt when there is none.
[[nodiscard]] std::optional<std::string> record_route(listeners ours,
                                                      transport::protocol proto);

/// True for requests that create a dialog and so get our Record-Route:
/// INVITE, SUBSCRIBE and REFER without a To-tag.
[[nodiscard]] bool creates_dialog(const sip::message& request);

/// §16.3 step 3 and §16.6 step 3: false when Max-Forwards is 0 (483 Too
/// Many Hops); else decrements it, or adds `max_forwards_default` when
/// absent, and returns true.
[[nodiscard]] bool take_hop(sip::message& request);

/// The loop-detection part of our branch (§16.6 step 8, §16.3 step 4): a
/// hex hash of what a spiral changes and a loop keeps (Request-URI, From
/// and To tags, Call-ID, CSeq number and method, Proxy-Require,
/// Proxy-Authorization). Not the Vias nor Max-Forwards.
[[nodiscard]] std::string loop_key(const sip::message& request);

/// Our branch for a relayed request: `z9hG4bK` + "rl" + loop_key + "." +
/// `unique` (random, makes each client transaction's branch distinct).
[[nodiscard]] std::string relay_branch(const sip::message& request,
                                       std::string_view unique);

/// §16.3 step 4: true when a Via of the request has one of our sent-by
/// addresses and a branch we made for this very request (same loop_key):
/// the request came back to us unchanged, 482 Loop Detected. A spiral (a
/// changed Request-URI, a new CSeq) is not a loop.
[[nodiscard]] bool is_loop(const sip::message& request, listeners ours);

} // namespace ringdown::actors::relay
