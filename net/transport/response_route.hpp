#pragma once

#include "net/sip/headers.hpp"
#include "net/sip/message.hpp"
#include "net/transport/peer.hpp"

namespace ringdown::transport {

/// Stamps the topmost Via of a received request (RFC 3261 §18.2.1, RFC
/// 3581 §4): adds `received=<source address>` when the sent-by host differs
/// from it, and when the Via carries `rport` sets `rport=<source port>` and
/// `received` (always, as RFC 3581 requires). Pure; returns true when the
/// message was edited (its serialize() then differs from raw()).
bool stamp_received(sip::message& request, const peer& source);

/// Where a response goes (RFC 3261 §18.2.2, RFC 3581 §4), given the
/// topmost Via of the response and the peer the request came from:
///  - reliable transport: the connection the request arrived on; should it
///    be gone, a new connection to `received` (else sent-by) host, sent-by
///    port (default 5060/5061);
///  - `maddr`: that address, sent-by port or default;
///  - `received` and `rport=<n>`: received:n;
///  - `received`: that address, sent-by port or default;
///  - otherwise the sent-by host and port (default when absent).
/// Pure function of its arguments.
peer response_destination(const sip::via& top, const peer& source);

} // namespace ringdown::transport
