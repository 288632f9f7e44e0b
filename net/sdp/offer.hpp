#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "net/sdp/offer_answer.hpp"
#include "net/sdp/origin_state.hpp"
#include "net/sdp/session.hpp"

namespace ringdown::sdp {

/// Builds our offer (RFC 3264 §5): one audio m= line per entry of
/// `caps.endpoints`, every codec of `caps.codecs` in preference order (static
/// payload types where RFC 3551 has one, else dynamic from 96), then
/// telephone-event when enabled. With `srtp_policy::required` the profile is
/// RTP/SAVP and every suite of `caps.crypto_suites` gets its own a=crypto
/// (tags 1, 2, ...; keys from `caps.key_source` or random_key_salt); otherwise RTP/AVP
/// without crypto. Direction is `caps.local_direction`; o= from `origin.next()`.
/// Keep the returned session: `read_answer` needs it (our keys are in it).
session make_offer(const capabilities& caps, origin_state& origin);

/// Reads the answer to `our_offer` (RFC 3264 §7): one negotiated_stream per
/// m= line. Codecs are the answer's formats that we offered; `local` is our
/// direction limited by the answer's; `local_crypto` is our offered a=crypto
/// whose tag the answer chose. Returns nullopt, with `error` set, when the
/// answer is not an answer to this offer (different m= count or media type).
/// A stream whose answer is unusable (no offered codec, unknown crypto tag)
/// comes back rejected.
std::optional<std::vector<negotiated_stream>>
read_answer(const session& our_offer, const session& answer, std::string* error = nullptr);

} // namespace ringdown::sdp
