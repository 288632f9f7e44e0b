#include "net/rtp/rtcp.hpp"

#include <algorithm>
#include <cstring>

#include "net/rtp/rtp_wire.hpp"

namespace ringdown::rtp {

namespace {

constexpr std::size_t header_size = 4;
constexpr std::size_t block_size = 24;
constexpr std::size_t sender_info_size = 20;
constexpr std::int32_t lost_max = 0x7fffff;
constexpr std::int32_t lost_min = -0x800000;

report_block read_block(const std::uint8_t* p) noexcept {
  report_block b;
  b.ssrc = wire::load32(p);
  b.fraction_lost = p[4];
  const std::uint32_t lost24 = wire::load32(p + 4) & 0xffffff;
  // Sign-extend the 24-bit two's complement field.
  b.cumulative_lost = (lost24 & 0x800000) != 0
                          ? static_cast<std::int32_t>(lost24) - 0x1000000
                          : static_cast<std::int32_t>(lost24);
  b.highest_seq = wire::load32(p + 8);
  b.jitter = wire::load32(p + 12);
  b.lsr = wire::load32(p + 16);
  b.dlsr = wire::load32(p + 20);
  return b;
}

void write_block(const report_block& b, std::uint8_t* p) noexcept {
  wire::store32(p, b.ssrc);
  const std::int32_t lost = std::clamp(b.cumulative_lost, lost_min, lost_max);
  const std::uint32_t lost24 = static_cast<std::uint32_t>(lost) & 0xffffff;
  wire::store32(p + 4, (std::uint32_t{b.fraction_lost} << 24) | lost24);
  wire::store32(p + 8, b.highest_seq);
  wire::store32(p + 12, b.jitter);
  wire::store32(p + 16, b.lsr);
  wire::store32(p + 20, b.dlsr);
}

void write_header(std::uint8_t* p, std::uint8_t count, std::uint8_t type,
                  std::size_t bytes) noexcept {
  p[0] = static_cast<std::uint8_t>(0x80 | (count & 0x1f));
  p[1] = type;
  wire::store16(p + 2, static_cast<std::uint16_t>(bytes / 4 - 1));
}

constexpr std::size_t align4(std::size_t n) noexcept {
  return (n + 3) & ~std::size_t{3};
}

// SDES body [q, end): `count` chunks. Records the CNAME of `ssrc` if present.
// Octets after the declared chunks are ignored.
bool read_sdes(const std::uint8_t* base, std::size_t q, std::size_t end, unsigned count,
               rtcp_report& r) noexcept {
  for (unsigned i = 0; i < count; ++i) {
    if (end - q < 4) {
      return false;
    }
    const std::uint32_t chunk_ssrc = wire::load32(base + q);
    q += 4;
    for (;;) {
      if (q >= end) {
        return false; // no terminating null item
      }
      const std::uint8_t type = base[q];
      if (type == 0) {
        q = align4(q + 1); // null octets up to the next 32-bit boundary
        if (q > end) {
          return false;
        }
        break;
      }
      if (end - q < 2) {
        return false;
      }
      const std::size_t len = base[q + 1];
      if (end - q - 2 < len) {
        return false;
      }
      if (type == sdes_cname && chunk_ssrc == r.ssrc && r.cname.empty()) {
        r.cname = {reinterpret_cast<const char*>(base + q + 2), len};
      }
      q += 2 + len;
    }
  }
  return true;
}

} // namespace

bool rtcp_report::add(const report_block& b) noexcept {
  if (block_count >= blocks_max) {
    return false;
  }
  blocks[block_count++] = b;
  return true;
}

std::optional<rtcp_report> parse_rtcp(std::span<const std::uint8_t> packet) noexcept {
  const std::size_t size = packet.size();
  if (size < 8 || size % 4 != 0) {
    return std::nullopt;
  }
  const std::uint8_t* p = packet.data();
  rtcp_report r;
  std::size_t pos = 0;
  bool first = true;
  while (pos < size) {
    if (size - pos < header_size) {
      return std::nullopt;
    }
    const std::uint8_t b0 = p[pos];
    const std::uint8_t type = p[pos + 1];
    const unsigned count = b0 & 0x1f;
    const std::size_t len = 4 * (std::size_t{wire::load16(p + pos + 2)} + 1);
    if ((b0 >> 6) != 2 || len > size - pos) {
      return std::nullopt;
    }
    const std::size_t end = pos + len;
    std::size_t body_end = end;
    if ((b0 & 0x20) != 0) {
      // RFC 3550 A.2: only the last packet of a compound may carry padding.
      const std::size_t pad = p[end - 1];
      if (first || end != size || pad == 0 || pad > len - header_size) {
        return std::nullopt;
      }
      body_end -= pad;
    }
    const std::size_t body = pos + header_size;
    const std::size_t body_len = body_end - body;
    if (first && type != rtcp_sr && type != rtcp_rr) {
      return std::nullopt;
    }
    switch (type) {
    case rtcp_sr:
    case rtcp_rr: {
      const std::size_t info = type == rtcp_sr ? sender_info_size : 0;
      if (body_len < 4 + info + block_size * count) {
        return std::nullopt;
      }
      if (first) {
        r.ssrc = wire::load32(p + body);
        if (type == rtcp_sr) {
          const std::uint8_t* s = p + body + 4;
          r.sender =
              sender_info{(std::uint64_t{wire::load32(s)} << 32) | wire::load32(s + 4),
                          wire::load32(s + 8), wire::load32(s + 12), wire::load32(s + 16)};
        }
      }
      const std::uint8_t* blocks = p + body + 4 + info;
      for (unsigned i = 0; i < count; ++i) {
        r.add(read_block(blocks + block_size * i)); // blocks past 31 dropped
      }
      break;
    }
    case rtcp_sdes:
      if (!read_sdes(p, body, body_end, count, r)) {
        return std::nullopt;
      }
      break;
    case rtcp_bye: {
      const std::size_t ids = 4 * std::size_t{count};
      if (body_len < ids) {
        return std::nullopt;
      }
      if (body_len > ids && body_len - ids - 1 < p[body + ids]) {
        return std::nullopt; // reason text beyond the packet
      }
      r.bye = true;
      break;
    }
    default:
      break; // APP, XR, feedback: skipped
    }
    first = false;
    pos = end;
  }
  return r;
}

std::size_t rtcp_size(const rtcp_report& r) noexcept {
  std::size_t n = header_size + 4 + block_size * r.block_count;
  if (r.sender) {
    n += sender_info_size;
  }
  if (!r.cname.empty()) {
    n += header_size + align4(4 + 2 + r.cname.size() + 1);
  }
  if (r.bye) {
    n += header_size + 4;
  }
  return n;
}

std::size_t write_rtcp(const rtcp_report& r, std::span<std::uint8_t> out) noexcept {
  if (r.block_count > rtcp_report::blocks_max || r.cname.size() > 255) {
    return 0;
  }
  const std::size_t total = rtcp_size(r);
  if (out.size() < total) {
    return 0;
  }
  std::uint8_t* p = out.data();
  const std::size_t report_len =
      header_size + 4 + (r.sender ? sender_info_size : 0) + block_size * r.block_count;
  write_header(p, r.block_count, r.sender ? rtcp_sr : rtcp_rr, report_len);
  wire::store32(p + 4, r.ssrc);
  std::uint8_t* q = p + 8;
  if (r.sender) {
    wire::store32(q, static_cast<std::uint32_t>(r.sender->ntp >> 32));
    wire::store32(q + 4, static_cast<std::uint32_t>(r.sender->ntp));
    wire::store32(q + 8, r.sender->rtp_timestamp);
    wire::store32(q + 12, r.sender->packets);
    wire::store32(q + 16, r.sender->octets);
    q += sender_info_size;
  }
  for (const report_block& b : r.reports()) {
    write_block(b, q);
    q += block_size;
  }
  if (!r.cname.empty()) {
    const std::size_t chunk = align4(4 + 2 + r.cname.size() + 1);
    write_header(q, 1, rtcp_sdes, header_size + chunk);
    wire::store32(q + 4, r.ssrc);
    q[8] = sdes_cname;
    q[9] = static_cast<std::uint8_t>(r.cname.size());
    std::memcpy(q + 10, r.cname.data(), r.cname.size());
    const std::size_t text_end = 10 + r.cname.size();
    std::memset(q + text_end, 0, header_size + chunk - text_end); // end item + pad
    q += header_size + chunk;
  }
  if (r.bye) {
    write_header(q, 1, rtcp_bye, header_size + 4);
    wire::store32(q + 4, r.ssrc);
    q += header_size + 4;
  }
  return static_cast<std::size_t>(q - p);
}

std::uint64_t ntp_from_wall_ms(std::int64_t wall_ms) noexcept {
  const auto ms = static_cast<std::uint64_t>(std::max<std::int64_t>(wall_ms, 0));
  const std::uint64_t seconds = ms / 1000 + ntp_unix_offset_s;
  const std::uint64_t fraction = ((ms % 1000) << 32) / 1000;
  return (seconds << 32) | fraction;
}

std::int64_t wall_ms_from_ntp(std::uint64_t ntp) noexcept {
  std::uint64_t seconds = ntp >> 32;
  if (seconds < ntp_unix_offset_s) {
    seconds += std::uint64_t{1} << 32; // NTP era 1 (from 2036)
  }
  const std::uint64_t ms = ((ntp & 0xffffffff) * 1000 + (1ULL << 31)) >> 32; // nearest
  return static_cast<std::int64_t>((seconds - ntp_unix_offset_s) * 1000 + ms);
}

std::uint32_t dlsr_from_ms(std::uint64_t delay_ms) noexcept {
  constexpr std::uint64_t max_ms = (std::uint64_t{0xffffffff} * 1000) >> 16;
  if (delay_ms >= max_ms) {
    return 0xffffffff;
  }
  return static_cast<std::uint32_t>((delay_ms << 16) / 1000);
}

} // namespace ringdown::rtp
