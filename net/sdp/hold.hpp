#pragma once

#include "net/sdp/origin_state.hpp"
#include "net/sdp/session.hpp"

namespace ringdown::sdp {

/// True when `m` is active (port not 0) and held: its direction is sendonly
/// or inactive (RFC 3264 §8.4, RFC 6337 §5), or its connection address is
/// 0.0.0.0 (the legacy RFC 2543 form).
bool is_held(const session& s, const media& m) noexcept;

/// True when `s` puts the call on hold: it has at least one active stream
/// and every active stream is held. The B2BUA's re-INVITE handling uses it.
bool is_hold_offer(const session& s) noexcept;

/// The hold re-offer built from our last SDP `s`: every active stream made
/// sendonly (recvonly becomes inactive, RFC 6337 §5.3), session-level
/// direction attributes removed, o= version one higher.
session make_hold(session s);
/// As above, with the o= line taken from `origin` (its next version).
session make_hold(session s, origin_state& origin);

/// The resume re-offer: every active stream sendrecv, session-level
/// direction removed, o= version one higher.
session make_resume(session s);
session make_resume(session s, origin_state& origin);

} // namespace ringdown::sdp
