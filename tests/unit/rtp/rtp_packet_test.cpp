#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "base/random.hpp"
#include "net/rtp/rtcp.hpp"
#include "net/rtp/rtp_packet.hpp"

using namespace ringdown::rtp;

namespace {

using bytes = std::vector<std::uint8_t>;

// V=2, PT 8, seq 0x1234, ts 0xdeadbeef, ssrc 0x01020304, payload "abcd".
const bytes plain = {0x80, 0x08, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef,
                     0x01, 0x02, 0x03, 0x04, 'a',  'b',  'c',  'd'};

} // namespace

TEST_CASE("a plain RTP packet parses into header and payload view", "[rtp][packet]") {
  const auto v = parse_rtp(plain);
  REQUIRE(v);
  CHECK(v->header == rtp_header{8, false, 0x1234, 0xdeadbeef, 0x01020304});
  CHECK(v->csrc_count == 0);
  CHECK_FALSE(v->extension);
  REQUIRE(v->payload.size() == 4);
  CHECK(v->payload.data() == plain.data() + 12); // a view, not a copy
}

TEST_CASE("CSRC list, header extension and padding are skipped", "[rtp][packet]") {
  // V=2 P=1 X=1 CC=2, M=1 PT=0.
  const bytes pkt = {0xb2, 0x80, 0x00, 0x07, 0x00, 0x00, 0x00, 0xa0,
                     0xaa, 0xbb, 0xcc, 0xdd, 0x00, 0x00, 0x00, 0x01, // CSRC 1
                     0x00, 0x00, 0x00, 0x02,                         // CSRC 2
                     0xbe, 0xde, 0x00, 0x01,                         // extension, 1 word
                     0x10, 0xff, 0x00, 0x00,                         // extension data
                     0x55, 0x66, 0x77,                               // payload
                     0x00, 0x00, 0x03};                              // 3 octets of padding
  const auto v = parse_rtp(pkt);
  REQUIRE(v);
  CHECK(v->header == rtp_header{0, true, 7, 160, 0xaabbccdd});
  CHECK(v->csrc_count == 2);
  CHECK(v->extension);
  CHECK(bytes(v->payload.begin(), v->payload.end()) == bytes{0x55, 0x66, 0x77});
}

TEST_CASE("edge sizes that are still valid", "[rtp][packet]") {
  // Header only: empty payload.
  const bytes header_only(plain.begin(), plain.begin() + 12);
  auto v = parse_rtp(header_only);
  REQUIRE(v);
  CHECK(v->payload.empty());
  // Padding that eats the whole payload.
  bytes padded = plain;
  padded[0] |= 0x20;
  padded.back() = 4;
  v = parse_rtp(padded);
  REQUIRE(v);
  CHECK(v->payload.empty());
  // Zero-length extension.
  const bytes ext0 = {0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 0, 9};
  v = parse_rtp(ext0);
  REQUIRE(v);
  CHECK(v->payload.size() == 1);
}

TEST_CASE("malformed RTP packets are rejected", "[rtp][packet][malformed]") {
  auto with = [](std::size_t i, std::uint8_t b) {
    bytes p = plain;
    p[i] = b;
    return p;
  };
  struct bad {
    const char* what;
    bytes pkt;
  };
  const bad cases[] = {
      {"empty", {}},
      {"11 octets", bytes(plain.begin(), plain.begin() + 11)},
      {"version 0", with(0, 0x00)},
      {"version 1", with(0, 0x40)},
      {"version 3", with(0, 0xc0)},
      {"padding count zero",
       [&] {
         bytes p = with(0, 0xa0);
         p.back() = 0;
         return p;
       }()},
      {"padding larger than payload",
       [&] {
         bytes p = with(0, 0xa0);
         p.back() = 5;
         return p;
       }()},
      {"padding larger than packet",
       [&] {
         bytes p = with(0, 0xa0);
         p.back() = 200;
         return p;
       }()},
      {"CSRC count beyond length", with(0, 0x82)},
      {"CSRC count 15, 16 octets", with(0, 0x8f)},
      {"extension header truncated", with(0, 0x90)},
      {"extension length beyond",
       {0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 2, 1, 2, 3, 4}},
      {"padding reaching into extension",
       {0xb0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 1, 1, 2, 3, 2}},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK_FALSE(parse_rtp(c.pkt).has_value());
  }
}

TEST_CASE("write_rtp_header round-trips through parse_rtp", "[rtp][packet]") {
  const rtp_header h{0, true, 0xffff, 0x80000001, 0xcafebabe};
  std::array<std::uint8_t, 12 + 160> buf{};
  REQUIRE(write_rtp_header(h, buf) == 12);
  CHECK(buf[0] == 0x80);
  CHECK(buf[1] == 0x80);
  const auto v = parse_rtp(buf);
  REQUIRE(v);
  CHECK(v->header == h);
  CHECK(v->payload.size() == 160);

  std::array<std::uint8_t, 11> small{};
  CHECK(write_rtp_header(h, small) == 0);
  // Payload type is 7 bits: the marker is not clobbered by a wide value.
  REQUIRE(write_rtp_header(rtp_header{0xff, false, 1, 2, 3}, buf) == 12);
  CHECK(buf[1] == 0x7f);
}

TEST_CASE("rtcp-mux demultiplexing by the second octet (RFC 5761 §4)", "[rtp][packet]") {
  struct row {
    std::uint8_t second;
    bool rtcp;
  };
  const row rows[] = {{0, false},  {8, false},   {0x80, false}, {0x88, false},
                      {96, false}, {127, false}, {191, false},  {192, true},
                      {200, true}, {201, true},  {202, true},   {207, true},
                      {223, true}, {224, false}, {255, false}};
  for (const auto& r : rows) {
    INFO(int(r.second));
    const bytes p = {0x80, r.second, 0, 0};
    CHECK(is_rtcp(p) == r.rtcp);
  }
  CHECK_FALSE(is_rtcp(bytes{0x80}));
  CHECK_FALSE(is_rtcp(bytes{}));
}

TEST_CASE("random bytes through the parsers never misbehave", "[rtp][packet][fuzz]") {
  ringdown::rng rng(20261123);
  std::array<std::uint8_t, 256> buf{};
  // A valid compound to mutate, so the RTCP parser gets past its first checks.
  rtcp_report seed;
  seed.ssrc = 1;
  seed.sender = sender_info{1, 2, 3, 4};
  seed.add(report_block{2, 3, -4, 5, 6, 7, 8});
  seed.cname = "fuzz@example";
  seed.bye = true;
  std::array<std::uint8_t, 256> good{};
  const std::size_t good_size = write_rtcp(seed, good);
  REQUIRE(good_size > 0);
  REQUIRE(parse_rtcp(std::span(good.data(), good_size)));

  std::size_t rtp_ok = 0;
  std::size_t rtcp_ok = 0;
  for (int i = 0; i < 100'000; ++i) {
    std::size_t size = 0;
    if (i % 2 == 0) {
      size = rng.below(buf.size() + 1);
      for (std::size_t k = 0; k < size; ++k) {
        buf[k] = static_cast<std::uint8_t>(rng());
      }
      if (size > 0 && rng.below(2) == 0) {
        buf[0] = static_cast<std::uint8_t>(0x80 | (buf[0] & 0x3f)); // version 2
      }
    } else {
      size = good_size - 4 * rng.below(3); // sometimes truncated
      std::copy(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size),
                buf.begin());
      for (std::uint64_t flips = 1 + rng.below(3); flips > 0; --flips) {
        buf[rng.below(size)] ^= static_cast<std::uint8_t>(1u << rng.below(8));
      }
    }
    const std::span<const std::uint8_t> in(buf.data(), size);
    if (const auto v = parse_rtp(in)) {
      ++rtp_ok;
      REQUIRE(v->payload.data() >= in.data());
      REQUIRE(v->payload.data() + v->payload.size() <= in.data() + in.size());
      // The header written back parses to the same header.
      std::array<std::uint8_t, 12> h{};
      REQUIRE(write_rtp_header(v->header, h) == 12);
      REQUIRE(parse_rtp(h)->header == v->header);
    }
    if (const auto r = parse_rtcp(in)) {
      ++rtcp_ok;
      REQUIRE(r->block_count <= rtcp_report::blocks_max);
      if (!r->cname.empty()) {
        const auto* c = reinterpret_cast<const std::uint8_t*>(r->cname.data());
        REQUIRE(c >= in.data());
        REQUIRE(c + r->cname.size() <= in.data() + in.size());
      }
      // Whatever parses writes back to a compound that parses to the same.
      std::array<std::uint8_t, 2048> again{};
      const std::size_t n = write_rtcp(*r, again);
      REQUIRE(n > 0);
      const auto r2 = parse_rtcp(std::span(again.data(), n));
      REQUIRE(r2);
      REQUIRE(r2->ssrc == r->ssrc);
      REQUIRE(r2->sender == r->sender);
      REQUIRE(r2->block_count == r->block_count);
      REQUIRE(std::equal(r->reports().begin(), r->reports().end(), r2->reports().begin()));
      REQUIRE(r2->cname == r->cname);
      REQUIRE(r2->bye == r->bye);
    }
    (void)is_rtcp(in);
  }
  // Both parsers saw packets they accepted, so the deep paths ran.
  CHECK(rtp_ok > 1000);
  CHECK(rtcp_ok > 100);
}
