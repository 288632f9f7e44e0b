#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/sdp/session.hpp"

namespace ringdown::sdp {

/// `a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]` (RFC 8866 §6.6).
struct rtpmap {
  std::uint8_t payload_type = 0;
  std::string encoding;
  std::uint32_t clock_rate = 0;
  std::optional<std::uint32_t> channels; ///< absent means 1 for audio
  [[nodiscard]] std::uint32_t channel_count() const noexcept {
    return channels.value_or(1);
  }
  /// Encoding name (case-insensitive), clock rate and channel count agree.
  [[nodiscard]] bool same_codec(const rtpmap& o) const noexcept;
  bool operator==(const rtpmap&) const = default;
};

std::optional<rtpmap> parse_rtpmap(std::string_view value);
/// The attribute value, e.g. `8 PCMA/8000`.
std::string to_string(const rtpmap& m);

/// The RFC 3551 §6 static payload types (0 PCMU/8000, 8 PCMA/8000, 9 G722/8000,
/// 18 G729/8000, ...), known without an rtpmap; nullopt when `pt` is dynamic
/// or unassigned.
std::optional<rtpmap> static_payload_type(std::uint8_t pt);

/// `a=fmtp:<pt> <parameters>` (RFC 8866 §6.15); parameters kept verbatim.
struct fmtp {
  std::uint8_t payload_type = 0;
  std::string params;
  bool operator==(const fmtp&) const = default;
};

std::optional<fmtp> parse_fmtp(std::string_view value);
std::string to_string(const fmtp& f);

/// `name=value` pairs of a `;`-separated fmtp parameter string, blanks
/// trimmed; a bare flag gives an empty value. Order kept.
std::vector<std::pair<std::string, std::string>> fmtp_params(std::string_view params);
/// Same parameter set: names case-insensitive, order ignored, values exact.
bool fmtp_equivalent(std::string_view a, std::string_view b);

/// RFC 4733 §2.4.1 event list of telephone-event (`0-15,66,70`), one bit per
/// event code 0..255.
using event_set = std::bitset<256>;
std::optional<event_set> parse_events(std::string_view list);
/// Canonical ranges, e.g. `0-15,66`; empty for the empty set.
std::string to_string(const event_set& events);
/// What a receiver assumes when telephone-event has no fmtp (RFC 4733 §2.4.1).
event_set default_events();
bool is_telephone_event(const rtpmap& m) noexcept;

/// One RTP format of an m= line with its mapping and parameters.
struct codec {
  std::uint8_t payload_type = 0;
  std::optional<rtpmap> map; ///< from a=rtpmap, else the static table
  std::optional<std::string> fmtp;
  bool operator==(const codec&) const = default;
};

/// The numeric formats of `m` in m= order, each with its rtpmap (or static
/// mapping) and fmtp; non-numeric formats are skipped. Linear in the number
/// of formats plus attributes. The first rtpmap/fmtp for a payload type wins.
std::vector<codec> media_codecs(const media& m);

} // namespace ringdown::sdp
