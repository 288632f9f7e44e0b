#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace ringdown::rtp {

/// The RTP fixed header fields the media plane uses (RFC 3550 §5.1).
struct rtp_header {
  std::uint8_t payload_type = 0; ///< 7 bits
  bool marker = false;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  bool operator==(const rtp_header&) const = default;
};

/// A parsed RTP packet: the header and a view of the payload inside the
/// caller's buffer (CSRC list, header extension and padding excluded). Valid
/// only while that buffer is; owned by whoever holds the buffer, on the media
/// thread that received it.
struct rtp_view {
  rtp_header header;
  std::span<const std::uint8_t> payload;
  std::uint8_t csrc_count = 0;
  bool extension = false;
};

/// Size of the fixed RTP header without CSRCs or extension.
inline constexpr std::size_t rtp_header_size = 12;

/// Parses an RTP packet (RFC 3550 §5.1, §5.3.1) without copying or
/// allocating. Checks: version 2; the CSRC list and the header extension
/// (4-byte header plus its declared length in 32-bit words) fit in the
/// packet; when the P bit is set, the last octet counts the padding
/// (including itself), is at least 1 and does not reach into the header.
/// Anything inconsistent gives nullopt: the caller drops and counts it.
/// Does not look at the payload type: demultiplex RTCP first with is_rtcp().
std::optional<rtp_view> parse_rtp(std::span<const std::uint8_t> packet) noexcept;

/// Writes the 12-byte fixed header (version 2, no padding, no extension, no
/// CSRCs). Returns 12, or 0 when `out` is shorter than that.
std::size_t write_rtp_header(const rtp_header& h, std::span<std::uint8_t> out) noexcept;

/// RFC 5761 §4 demultiplexing on an rtcp-mux port: a packet whose second octet
/// is in 192..223 (RTCP packet types 192..223, i.e. RTP payload types 64..95
/// with the marker set) is RTCP; anything else is RTP. False for packets
/// shorter than two octets.
bool is_rtcp(std::span<const std::uint8_t> packet) noexcept;

} // namespace ringdown::rtp
