#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/rtp/tone_plan.hpp"
#include "net/rtp/types.hpp"

namespace ringdown::rtp {

/// A bridge of the media engine (call, music-on-hold or conference bridge)
/// and a leg in it. Ids are chosen by the engine (bridges) and the bridge's
/// owner (legs: the call's leg numbers).
using bridge_id = std::uint64_t;
using leg_index = std::uint32_t;

/// SRTP keys of a leg, decoded from SDES (RFC 4568): the key||salt the peer
/// sent (inbound) and the one we sent (outbound), 30 bytes each.
struct srtp_keys {
  std::string suite; ///< AES_CM_128_HMAC_SHA1_80 or AES_CM_128_HMAC_SHA1_32
  std::vector<std::uint8_t> inbound_key_salt;
  std::vector<std::uint8_t> outbound_key_salt;
};

/// Where and how a leg's peer speaks, from the offer/answer (RFC 3264).
struct leg_spec {
  std::string remote_address; ///< IP literal from c=
  std::uint16_t remote_port = 0;
  codec audio = codec::pcmu;
  std::uint8_t audio_payload_type = payload_pcmu;
  /// telephone-event payload type (RFC 4733 §7.1.1); 0 when not negotiated.
  std::uint8_t event_payload_type = 101;
  /// RFC 4961 symmetric RTP: latch onto the address packets come from.
  bool symmetric = true;
  bool rtcp_mux = false; ///< RFC 5761
  std::optional<srtp_keys> srtp;
  /// The peer put us on hold (sendonly/inactive): it is not mixed in and
  /// hears music on hold if the bridge has it.
  bool held = false;
  /// The peer holds the call and may send nothing (many phones send no
  /// RTP while holding): it is spared the media timeout.
  bool may_be_silent = false;
};

/// Digit collection on a leg (line seizure dialling): ends at `terminator`
/// (not included), at `digits_max`, `inter_digit_ms` after the last digit,
/// or `first_digit_ms` after the start when none came.
struct digit_collection {
  std::uint32_t digits_max = 20;
  std::uint32_t inter_digit_ms = 4000;
  char terminator = '#';
  /// How long the first digit may take (dial tone); 0: inter_digit_ms.
  std::uint32_t first_digit_ms = 0;
};

/// RTCP-derived figures of a leg (RFC 3550 §6.4), for CDRs and operators.
struct leg_quality {
  std::uint64_t packets_received = 0;
  std::uint64_t packets_sent = 0;
  std::int64_t packets_lost = 0;
  double jitter_ms = 0;
  std::optional<double> rtt_ms;
  double r_factor = 0;
  double mos = 0;
};

/// What a bridge reports to its owner (the bridge actor). Delivered on a
/// media thread; the sink must only hand it over (e.g. a CAF anon_send).
struct media_event {
  enum class kind : std::uint8_t {
    digit,            ///< an RFC 4733 digit began (`digit`)
    digits_collected, ///< a digit collection ended (`digits`)
    media_timeout,    ///< no RTP from the leg for media_timeout_ms
    tone_finished,    ///< a non-repeating tone ended on the leg
    latched,          ///< symmetric RTP took a new source address
    leg_stats,        ///< final figures of a leg removed or a bridge ended
  };
  kind what = kind::digit;
  bridge_id bridge = 0;
  leg_index leg = 0;
  char digit = 0;
  std::string digits;
  leg_quality quality;
};

/// The engine's settings (config [media]).
struct media_engine_config {
  std::string address = "127.0.0.1"; ///< local IP the legs bind and SDP names
  std::uint16_t port_first = 20000;  ///< even
  std::uint16_t port_last = 29999;
  unsigned threads = 1;
  std::uint32_t media_timeout_ms = 30000;
  std::uint32_t rtcp_interval_ms = 5000;
  std::uint32_t jitter_min_ms = 20;
  std::uint32_t jitter_max_ms = 200;
  std::size_t bridges_max = 20000;
  std::size_t legs_per_bridge_max = 32;
  /// The tones bridges play by name (config [media.tones] over the defaults).
  tone_plan tones;
};

} // namespace ringdown::rtp
