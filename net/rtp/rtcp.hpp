#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ringdown::rtp {

/// RTCP packet types of RFC 3550 §12.1.
inline constexpr std::uint8_t rtcp_sr = 200;
inline constexpr std::uint8_t rtcp_rr = 201;
inline constexpr std::uint8_t rtcp_sdes = 202;
inline constexpr std::uint8_t rtcp_bye = 203;
inline constexpr std::uint8_t rtcp_app = 204;
/// SDES item type of the canonical name (RFC 3550 §6.5.1).
inline constexpr std::uint8_t sdes_cname = 1;

/// One reception report block (RFC 3550 §6.4.1) about source `ssrc`.
struct report_block {
  std::uint32_t ssrc = 0;
  std::uint8_t fraction_lost = 0;   ///< fixed point, /256, since the last report
  std::int32_t cumulative_lost = 0; ///< 24-bit signed on the wire
  std::uint32_t highest_seq = 0;    ///< extended highest sequence number received
  std::uint32_t jitter = 0;         ///< interarrival jitter, timestamp units
  std::uint32_t lsr = 0;            ///< middle 32 bits of the last SR's NTP time
  std::uint32_t dlsr = 0;           ///< delay since that SR, 1/65536 s
  bool operator==(const report_block&) const = default;
};

/// The sender information of an SR (RFC 3550 §6.4.1).
struct sender_info {
  std::uint64_t ntp = 0; ///< wall clock, NTP 32.32 fixed point
  std::uint32_t rtp_timestamp = 0;
  std::uint32_t packets = 0;
  std::uint32_t octets = 0; ///< payload octets
  bool operator==(const sender_info&) const = default;
};

/// What the media plane reads from, and writes as, one compound RTCP packet:
/// the leading SR or RR, its report blocks (those of any further RR in the
/// compound appended, up to 31), the CNAME of the sender and whether a BYE
/// was present. A plain value kept on the media thread; `cname` views the
/// parsed packet (or the caller's string when writing).
struct rtcp_report {
  static constexpr std::size_t blocks_max = 31; // 5-bit report count

  std::uint32_t ssrc = 0;
  std::optional<sender_info> sender; ///< present for an SR
  std::array<report_block, blocks_max> blocks{};
  std::uint8_t block_count = 0;
  std::string_view cname; ///< empty when the compound has no CNAME for `ssrc`
  bool bye = false;

  [[nodiscard]] std::span<const report_block> reports() const noexcept {
    return {blocks.data(), block_count};
  }
  /// Appends a block; false when all 31 are in use.
  bool add(const report_block& b) noexcept;
};

/// Validates and reads a compound RTCP packet (RFC 3550 §6.1, A.2): every
/// packet version 2; the first one an SR or RR without padding; only the
/// last one may be padded; the length fields add up to the datagram exactly;
/// SR/RR large enough for their report count (profile extensions after the
/// blocks skipped); SDES chunks and items inside their packet; BYE large
/// enough for its source count. APP, XR, feedback and other types are
/// skipped. nullopt on anything malformed. No allocation.
std::optional<rtcp_report> parse_rtcp(std::span<const std::uint8_t> packet) noexcept;

/// Writes `r` as a compound: an SR (if `r.sender`) or RR with its blocks,
/// then an SDES with the CNAME item when `r.cname` is not empty (RFC 3550
/// §6.1 wants one in every compound; the caller supplies it), then a BYE for
/// `r.ssrc` if `r.bye`. Returns the bytes written, or 0 when `out` is too
/// small, the block count is above 31 or the CNAME above 255 octets.
std::size_t write_rtcp(const rtcp_report& r, std::span<std::uint8_t> out) noexcept;

/// The size write_rtcp() needs for `r`.
std::size_t rtcp_size(const rtcp_report& r) noexcept;

/// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
inline constexpr std::uint64_t ntp_unix_offset_s = 2'208'988'800ULL;

/// The middle 32 bits of an NTP timestamp, the LSR field (RFC 3550 §6.4.1).
constexpr std::uint32_t ntp_middle32(std::uint64_t ntp) noexcept {
  return static_cast<std::uint32_t>(ntp >> 16);
}

/// Wall time in milliseconds since the Unix epoch (clock::wall_ms()) as an
/// NTP 32.32 timestamp. Times before 1970 map to the epoch.
std::uint64_t ntp_from_wall_ms(std::int64_t wall_ms) noexcept;
/// The inverse, to the nearest millisecond.
std::int64_t wall_ms_from_ntp(std::uint64_t ntp) noexcept;

/// A delay in milliseconds in the DLSR unit (1/65536 s), saturating.
std::uint32_t dlsr_from_ms(std::uint64_t delay_ms) noexcept;

} // namespace ringdown::rtp
