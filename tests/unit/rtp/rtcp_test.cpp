#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "net/rtp/rtcp.hpp"

using namespace ringdown::rtp;

namespace {

using bytes = std::vector<std::uint8_t>;

// SR with one report block, then SDES with a CNAME, laid out by hand from
// RFC 3550 §6.4.1 and §6.5.
const bytes sr_sdes = {
    // SR: V=2 P=0 RC=1, PT=200, length 12 (52 octets)
    0x81, 0xc8, 0x00, 0x0c, 0x11, 0x22, 0x33, 0x44, // SSRC of sender
    0xe1, 0x23, 0x45, 0x67,                         // NTP seconds
    0x80, 0x00, 0x00, 0x00,                         // NTP fraction (0.5 s)
    0x00, 0x01, 0x00, 0x00,                         // RTP timestamp
    0x00, 0x00, 0x00, 0x64,                         // sender's packet count: 100
    0x00, 0x00, 0x3e, 0x80,                         // sender's octet count: 16000
    // report block
    0x55, 0x66, 0x77, 0x88, // SSRC_1
    0x40, 0xff, 0xff, 0xfe, // fraction lost 64/256, cumulative lost -2
    0x00, 0x01, 0xff, 0xff, // extended highest sequence number
    0x00, 0x00, 0x00, 0x20, // interarrival jitter
    0xaa, 0xbb, 0xcc, 0xdd, // LSR
    0x00, 0x01, 0x00, 0x00, // DLSR: 1 s
    // SDES: V=2 P=0 SC=1, PT=202, length 3 (16 octets)
    0x81, 0xca, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44, // SSRC
    0x01, 0x05, 'a', 'l', 'i', 'c', 'e',            // CNAME "alice"
    0x00,                                           // end of items (already aligned)
};

// RR without blocks, then APP (skipped), then SDES padded by P, then BYE.
const bytes rr_app_sdes_bye = {
    0x80, 0xc9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09,                     // RR, SSRC 9
    0x80, 0xcc, 0x00, 0x02, 0x00, 0x00, 0x00, 0x09, 'T', 'E', 'S', 'T', // APP
    0x80, 0xcb, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09,                     // BYE
    0xa1, 0xca, 0x00, 0x03, 0x00, 0x00, 0x00, 0x09,                     // SDES, P=1, SC=1
    0x01, 0x01, 'b',  0x00,                                             // CNAME "b", end
    0x00, 0x00, 0x00, 0x04, // 4 octets of padding
};

bytes with(const bytes& b, std::size_t i, std::uint8_t v) {
  bytes c = b;
  c[i] = v;
  return c;
}

} // namespace

TEST_CASE("a hand-written SR+SDES compound parses field by field", "[rtp][rtcp]") {
  const auto r = parse_rtcp(sr_sdes);
  REQUIRE(r);
  CHECK(r->ssrc == 0x11223344);
  REQUIRE(r->sender);
  CHECK(r->sender->ntp == 0xe123456780000000ULL);
  CHECK(r->sender->rtp_timestamp == 0x10000);
  CHECK(r->sender->packets == 100);
  CHECK(r->sender->octets == 16000);
  REQUIRE(r->block_count == 1);
  CHECK(r->blocks[0] ==
        report_block{0x55667788, 0x40, -2, 0x1ffff, 0x20, 0xaabbccdd, 0x10000});
  CHECK(r->cname == "alice");
  CHECK_FALSE(r->bye);
}

TEST_CASE("write_rtcp reproduces the hand-written compound", "[rtp][rtcp]") {
  const auto r = parse_rtcp(sr_sdes);
  REQUIRE(r);
  std::array<std::uint8_t, 128> out{};
  const std::size_t n = write_rtcp(*r, out);
  REQUIRE(n == sr_sdes.size());
  CHECK(rtcp_size(*r) == n);
  CHECK(bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n)) == sr_sdes);
  std::array<std::uint8_t, 67> short_out{};
  CHECK(write_rtcp(*r, short_out) == 0);
}

TEST_CASE("RR, APP, BYE and a padded SDES", "[rtp][rtcp]") {
  const auto r = parse_rtcp(rr_app_sdes_bye);
  REQUIRE(r);
  CHECK(r->ssrc == 9);
  CHECK_FALSE(r->sender);
  CHECK(r->block_count == 0);
  CHECK(r->cname == "b");
  CHECK(r->bye);
}

TEST_CASE("round trips of written reports", "[rtp][rtcp]") {
  for (const std::size_t blocks : {0u, 1u, 2u, 31u}) {
    for (const bool sr : {false, true}) {
      for (const std::string_view cname :
           {"", "x", "abc", "user@10.0.0.1", "0123456789ab"}) {
        rtcp_report r;
        r.ssrc = 0xfeedface;
        if (sr) {
          r.sender = sender_info{0x0102030405060708ULL, 7, 8, 9};
        }
        for (std::size_t i = 0; i < blocks; ++i) {
          const auto k = static_cast<std::uint32_t>(i);
          REQUIRE(r.add(report_block{k, static_cast<std::uint8_t>(k),
                                     -static_cast<std::int32_t>(k), k << 16, k * 3, k * 5,
                                     k * 7}));
        }
        r.cname = cname;
        r.bye = cname.size() == 1;
        std::array<std::uint8_t, 1024> out{};
        const std::size_t n = write_rtcp(r, out);
        INFO(blocks << " blocks, sr " << sr << ", cname '" << cname << "'");
        REQUIRE(n == rtcp_size(r));
        REQUIRE(n % 4 == 0);
        const auto back = parse_rtcp(std::span(out.data(), n));
        REQUIRE(back);
        CHECK(back->ssrc == r.ssrc);
        CHECK(back->sender == r.sender);
        CHECK(back->block_count == r.block_count);
        CHECK(std::equal(r.reports().begin(), r.reports().end(), back->reports().begin()));
        CHECK(back->cname == r.cname);
        CHECK(back->bye == r.bye);
      }
    }
  }
}

TEST_CASE("cumulative lost is 24-bit signed and saturates", "[rtp][rtcp]") {
  struct row {
    std::int32_t in;
    std::int32_t out;
  };
  const row rows[] = {{0, 0},
                      {7, 7},
                      {-5, -5},
                      {0x7fffff, 0x7fffff},
                      {0x800000, 0x7fffff},
                      {-0x800000, -0x800000},
                      {-0x900000, -0x800000}};
  for (const auto& row : rows) {
    rtcp_report r;
    r.add(report_block{1, 0, row.in, 0, 0, 0, 0});
    std::array<std::uint8_t, 64> out{};
    const std::size_t n = write_rtcp(r, out);
    const auto back = parse_rtcp(std::span(out.data(), n));
    REQUIRE(back);
    CHECK(back->blocks[0].cumulative_lost == row.out);
  }
}

TEST_CASE("report blocks of a following RR are appended up to 31", "[rtp][rtcp]") {
  auto compound = [](std::size_t first, std::size_t second) {
    rtcp_report a;
    a.ssrc = 1;
    for (std::size_t i = 0; i < first; ++i) {
      a.add(report_block{static_cast<std::uint32_t>(100 + i), 0, 0, 0, 0, 0, 0});
    }
    rtcp_report b;
    b.ssrc = 1;
    for (std::size_t i = 0; i < second; ++i) {
      b.add(report_block{static_cast<std::uint32_t>(200 + i), 0, 0, 0, 0, 0, 0});
    }
    bytes out(2048);
    const std::size_t n = write_rtcp(a, out);
    const std::size_t m = write_rtcp(b, std::span(out).subspan(n));
    out.resize(n + m);
    return out;
  };
  auto r = parse_rtcp(compound(30, 1));
  REQUIRE(r);
  REQUIRE(r->block_count == 31);
  CHECK(r->blocks[30].ssrc == 200);
  r = parse_rtcp(compound(31, 2));
  REQUIRE(r);
  CHECK(r->block_count == 31);
  CHECK(r->blocks[30].ssrc == 130);

  rtcp_report full;
  for (std::size_t i = 0; i < 31; ++i) {
    REQUIRE(full.add(report_block{}));
  }
  CHECK_FALSE(full.add(report_block{}));
}

TEST_CASE("malformed RTCP compounds are rejected", "[rtp][rtcp][malformed]") {
  bytes trailing = sr_sdes;
  trailing.insert(trailing.end(), {0x80, 0xcc, 0x00, 0x05}); // APP claiming 24 octets
  bytes garbage_after = sr_sdes;
  garbage_after.insert(garbage_after.end(), {0, 0, 0, 0});
  bytes padded_first = rr_app_sdes_bye;
  padded_first[0] |= 0x20;
  bytes padded_middle = rr_app_sdes_bye;
  padded_middle[8] |= 0x20;
  struct bad {
    const char* what;
    bytes pkt;
  };
  const bad cases[] = {
      {"empty", {}},
      {"header only", {0x80, 0xc9, 0x00, 0x00}},
      {"truncated SR", bytes(sr_sdes.begin(), sr_sdes.begin() + 48)},
      {"not a multiple of 4", bytes(sr_sdes.begin(), sr_sdes.end() - 1)},
      {"version 1", with(sr_sdes, 0, 0x41)},
      {"version 2 in first, 0 in second", with(sr_sdes, 52, 0x01)},
      {"first packet is SDES", bytes(sr_sdes.begin() + 52, sr_sdes.end())},
      {"first packet is APP", {0x80, 0xcc, 0x00, 0x02, 0, 0, 0, 1, 'T', 'E', 'S', 'T'}},
      {"length beyond datagram", with(sr_sdes, 3, 0x0d)},
      {"length short of datagram", trailing},
      {"trailing zeros", garbage_after},
      {"SR report count beyond length", with(sr_sdes, 0, 0x82)},
      {"RR report count beyond length", with(rr_app_sdes_bye, 0, 0x81)},
      {"SR too short for sender info", {0x80, 0xc8, 0x00, 0x01, 0, 0, 0, 1}},
      {"SDES item beyond packet", with(sr_sdes, 61, 0x09)},
      {"SDES without end item", with(sr_sdes, 67, 'x')},
      {"SDES chunk count beyond", with(sr_sdes, 52, 0x82)},
      {"padding on the first packet", padded_first},
      {"padding on a middle packet", padded_middle},
      {"padding count zero", with(rr_app_sdes_bye, rr_app_sdes_bye.size() - 1, 0)},
      {"padding count beyond packet",
       with(rr_app_sdes_bye, rr_app_sdes_bye.size() - 1, 13)},
      {"BYE count beyond", with(rr_app_sdes_bye, 20, 0x82)},
      {"BYE reason beyond", {0x80, 0xc9, 0x00, 0x01, 0, 0, 0,    9,   0x81, 0xcb,
                             0x00, 0x02, 0,    0,    0, 9, 0x05, 'b', 'y',  'e'}},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK_FALSE(parse_rtcp(c.pkt).has_value());
  }
  // The BYE reason that fits is accepted.
  const bytes bye_reason = {0x80, 0xc9, 0x00, 0x01, 0, 0, 0,    9,   0x81, 0xcb,
                            0x00, 0x02, 0,    0,    0, 9, 0x03, 'b', 'y',  'e'};
  CHECK(parse_rtcp(bye_reason));
}

TEST_CASE("write_rtcp refuses what it cannot encode", "[rtp][rtcp]") {
  rtcp_report r;
  std::array<std::uint8_t, 512> out{};
  const std::string long_name(256, 'x');
  r.cname = long_name;
  CHECK(write_rtcp(r, out) == 0);
  r.cname = std::string_view(long_name).substr(0, 255);
  CHECK(write_rtcp(r, out) == rtcp_size(r));
  r.cname = {};
  r.block_count = 32; // set directly, past what add() allows
  CHECK(write_rtcp(r, out) == 0);
  std::array<std::uint8_t, 7> tiny{};
  CHECK(write_rtcp(rtcp_report{}, tiny) == 0);
}

TEST_CASE("NTP timestamp helpers", "[rtp][rtcp][ntp]") {
  CHECK(ntp_from_wall_ms(0) == ntp_unix_offset_s << 32);
  CHECK(ntp_from_wall_ms(1500) == (((ntp_unix_offset_s + 1) << 32) | 0x80000000ULL));
  CHECK(ntp_from_wall_ms(-5) == ntp_from_wall_ms(0));
  for (const std::int64_t ms :
       {0LL, 1LL, 999LL, 1'700'000'000'123LL, 2'085'978'496'000LL + 7}) {
    INFO(ms);
    CHECK(wall_ms_from_ntp(ntp_from_wall_ms(ms)) == ms);
  }
  CHECK(ntp_middle32(0x1122334455667788ULL) == 0x33445566u);
  CHECK(dlsr_from_ms(0) == 0);
  CHECK(dlsr_from_ms(500) == 32768);
  CHECK(dlsr_from_ms(1000) == 65536);
  CHECK(dlsr_from_ms(1'000'000'000) == 0xffffffffu);
}
