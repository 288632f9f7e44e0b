#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "actors/engine/actor_key.hpp"
#include "net/sip/message.hpp"
#include "net/transport/peer.hpp"

namespace ringdown::actors {

/// Where one request goes: to a domain actor by key, or to the node's own
/// responder (OPTIONS out of dialog, methods no actor serves, requests
/// that name nothing provisioned).
struct route {
  std::optional<actor_key> key; ///< nullopt: the local responder answers
  /// Whether a missing actor may be spawned for it. Only what can start
  /// something does (REGISTER, SUBSCRIBE/PUBLISH to a line, an INVITE
  /// without To-tag); anything else for an actor that is gone gets 481
  /// (RFC 3261 §12.2.2) from the responder, and ACK is absorbed.
  bool spawn = false;
};

/// What the node knows that routing needs, as lookups the provisioning
/// store answers. Called on the SIP I/O thread; must not block.
struct routing_context {
  std::string zone; ///< this node's zone
  /// The Active Resource Zone of the resource whose AOR is `aor`, or
  /// nullopt for an unknown AOR.
  std::function<std::optional<std::string>(const sip::uri& aor)> zone_of_aor;
  /// The canonical URI of the shared line `uri` names, or nullopt.
  std::function<std::optional<std::string>(const sip::uri& uri)> line_of;
  /// Where a request must go instead of this node: the owner node's SIP
  /// address (cluster placement, interzone proxy), or nullopt to handle it
  /// here. Called on the I/O thread for each new request with the route the
  /// router gave; must not block. Unset: everything is handled here.
  std::function<std::optional<transport::peer>(const sip::message& request, const route& r)>
      forward;
};

/// Routing of incoming requests (pure; ARCHITECTURE.md §2-3):
///  - REGISTER → `registrar/<zone>`, the zone being the ARZ of the AOR in
///    To (so a request for another zone's resource is handed to that
///    zone's registrar, every header kept); an unknown AOR goes to the
///    local zone's registrar, which answers 404;
///  - SUBSCRIBE and PUBLISH for a shared line (Request-URI or To) →
///    `line/<line-uri>`: the line owns its subscriptions;
///  - INVITE, ACK, CANCEL, BYE, UPDATE, INFO, PRACK, REFER, NOTIFY, and any
///    request with a To-tag → `dialog/<Call-ID>` (a new INVITE spawns the
///    call; its B legs bind their own Call-IDs to the same actor; a
///    SUBSCRIBE or PUBLISH with a To-tag for a line stays with the line);
///  - everything else (OPTIONS and MESSAGE out of dialog, unknown methods):
///    the local responder.
[[nodiscard]] route route_request(const sip::message& request, const routing_context& ctx);

} // namespace ringdown::actors
