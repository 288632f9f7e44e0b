#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.hpp"
#include "net/sdp/crypto.hpp"
#include "net/sdp/direction.hpp"
#include "net/sdp/media_attributes.hpp"
#include "net/sdp/origin_state.hpp"
#include "net/sdp/rtpmap.hpp"
#include "net/sdp/session.hpp"

namespace ringdown::sdp {

/// A codec we accept. `fmtp` empty: any offered fmtp is accepted and carried
/// back in the answer; non-empty: the offer's fmtp must be equivalent.
struct local_codec {
  std::string encoding; ///< compared case-insensitively
  std::uint32_t clock_rate = 8000;
  std::uint32_t channels = 1;
  std::string fmtp;
  std::string media_type = "audio";
};

/// Which order the answer's codecs follow. RFC 3264 §6.1 lets the answerer
/// list formats in its own preference but RECOMMENDS the offer's relative
/// order, so `offerer` is the default: the first offered codec we accept wins.
/// `local` picks the first of `capabilities::codecs` that was offered.
enum class codec_order { offerer, local };

enum class srtp_policy { off, optional, required };

/// Where we receive one media stream. Port 0 means "reject this stream".
struct media_endpoint {
  std::string address;
  std::uint16_t port = 0;
};

/// What we can do, given by the dialog that answers. Plain data.
struct capabilities {
  std::vector<local_codec> codecs; ///< preference order
  codec_order order = codec_order::offerer;
  std::size_t answer_codecs_max = 1;               ///< audio codecs per answer stream
  bool telephone_event = true;                     ///< RFC 4733, answered only if offered
  event_set telephone_events = default_events();   ///< events we handle
  std::vector<media_endpoint> endpoints;           ///< by m= index; missing: rejected
  direction local_direction = direction::sendrecv; ///< our policy (RFC 3264 §6.1 table)
  srtp_policy srtp = srtp_policy::optional;
  std::vector<std::string> crypto_suites{"AES_CM_128_HMAC_SHA1_80",
                                         "AES_CM_128_HMAC_SHA1_32"};
  /// base64 key||salt for a suite; when empty, keys are drawn from the rng.
  std::function<std::string(std::string_view suite)> key_source;
  bool rtcp_mux = true;                  ///< answer a=rtcp-mux when offered
  std::optional<std::uint32_t> ptime_ms; ///< a=ptime we ask for, if any
  std::string session_name = "-";
};

enum class reject_reason {
  none,
  offer_rejected,  ///< port 0 in the offer
  answer_rejected, ///< port 0 in the answer (read_answer)
  no_endpoint,     ///< no local port for this m= line
  unsupported_media,
  unsupported_proto, ///< e.g. UDP/TLS/RTP/SAVPF (DTLS-SRTP), or SRTP while off
  srtp_required,
  no_common_codec,
  no_common_crypto,
};

/// The outcome for one m= line, for the media plane.
struct negotiated_stream {
  reject_reason rejected = reject_reason::none;
  std::vector<codec> codecs; ///< chosen, offer's payload types, first is primary
  std::optional<std::uint8_t> telephone_event_pt;
  event_set telephone_events;
  direction local = direction::inactive; ///< as written in our answer
  std::string remote_address;
  std::uint16_t remote_port = 0;
  std::optional<rtcp_attribute> remote_rtcp;
  bool rtcp_mux = false;
  std::optional<std::uint32_t> remote_ptime_ms;
  std::optional<crypto> remote_crypto; ///< the offerer's key (what it sends with)
  std::optional<crypto> local_crypto;  ///< ours (what we send with)
  [[nodiscard]] bool accepted() const noexcept { return rejected == reject_reason::none; }
};

struct answer {
  session sdp;
  std::vector<negotiated_stream> streams; ///< one per m= line, same order
  [[nodiscard]] bool any_accepted() const noexcept;
};

/// Builds the RFC 3264 §6 answer to `offer`: same m= lines in the same order,
/// rejected ones with port 0 and one format; payload type numbers of the
/// offer kept (§6.1); direction per the §6.1 table; a=crypto (RFC 4568 §7.1.2)
/// with the offer's tag and our own key; o= from `origin.next()`. Keys come
/// from `caps.key_source` or the cryptographic generator (random_key_salt).
/// Runs on the caller's actor.
answer make_answer(const session& offer, const capabilities& caps, origin_state& origin);

} // namespace ringdown::sdp
