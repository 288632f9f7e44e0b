#include "net/rtp/rtp_packet.hpp"

#include "net/rtp/rtp_wire.hpp"

namespace ringdown::rtp {

std::optional<rtp_view> parse_rtp(std::span<const std::uint8_t> packet) noexcept {
  const std::size_t size = packet.size();
  if (size < rtp_header_size) {
    return std::nullopt;
  }
  const std::uint8_t* p = packet.data();
  if ((p[0] >> 6) != 2) {
    return std::nullopt;
  }
  const bool padding = (p[0] & 0x20) != 0;
  const bool extension = (p[0] & 0x10) != 0;
  const auto csrc_count = static_cast<std::uint8_t>(p[0] & 0x0f);

  std::size_t offset = rtp_header_size + 4 * std::size_t{csrc_count};
  if (offset > size) {
    return std::nullopt;
  }
  if (extension) {
    // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words
    // excluding this 4-octet extension header.
    if (size - offset < 4) {
      return std::nullopt;
    }
    const std::size_t ext_bytes = 4 * std::size_t{wire::load16(p + offset + 2)};
    offset += 4;
    if (size - offset < ext_bytes) {
      return std::nullopt;
    }
    offset += ext_bytes;
  }
  std::size_t end = size;
  if (padding) {
    const std::size_t pad = p[size - 1];
    if (pad == 0 || pad > end - offset) {
      return std::nullopt;
    }
    end -= pad;
  }

  rtp_view v;
  v.header.payload_type = static_cast<std::uint8_t>(p[1] & 0x7f);
  v.header.marker = (p[1] & 0x80) != 0;
  v.header.sequence = wire::load16(p + 2);
  v.header.timestamp = wire::load32(p + 4);
  v.header.ssrc = wire::load32(p + 8);
  v.payload = packet.subspan(offset, end - offset);
  v.csrc_count = csrc_count;
  v.extension = extension;
  return v;
}

std::size_t write_rtp_header(const rtp_header& h, std::span<std::uint8_t> out) noexcept {
  if (out.size() < rtp_header_size) {
    return 0;
  }
  std::uint8_t* p = out.data();
  p[0] = 0x80; // V=2, P=0, X=0, CC=0
  p[1] = static_cast<std::uint8_t>((h.marker ? 0x80 : 0x00) | (h.payload_type & 0x7f));
  wire::store16(p + 2, h.sequence);
  wire::store32(p + 4, h.timestamp);
  wire::store32(p + 8, h.ssrc);
  return rtp_header_size;
}

bool is_rtcp(std::span<const std::uint8_t> packet) noexcept {
  return packet.size() >= 2 && packet[1] >= 192 && packet[1] <= 223;
}

} // namespace ringdown::rtp
