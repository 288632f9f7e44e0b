#pragma once

#include "net/sip/message.hpp"

namespace ringdown::sip {

/// The ACK an INVITE client transaction sends for a non-2xx final response
/// (RFC 3261 §17.1.1.3): the INVITE's Request-URI, Call-ID, From and CSeq
/// number with method ACK; the To of the response (with its tag); a single
/// Via, the INVITE's top one (same branch); the INVITE's Route headers;
/// the INVITE's Max-Forwards (70 when absent); no body.
/// Preconditions: `invite` is an INVITE with a top Via, `response` a
/// 300-699 response to it.
message build_non_2xx_ack(const message& invite, const message& response);

} // namespace ringdown::sip
