#include <chrono>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

#include <catch2/catch.hpp>

#include "base/random.hpp"
#include "net/rtp/rtcp.hpp"
#include "net/rtp/rtp_stats.hpp"

using namespace ringdown::rtp;
using namespace std::chrono_literals;

namespace {

rtp_header pkt(std::uint16_t seq, std::uint32_t ts = 0, std::uint32_t ssrc = 42) {
  return rtp_header{0, false, seq, ts, ssrc};
}

// Feeds `seqs` in order, timestamps following the sequence, arrival on time.
void feed(receiver_stats& s, std::initializer_list<std::uint16_t> seqs) {
  for (const std::uint16_t q : seqs) {
    s.on_packet(pkt(q, q * 160u), q * 160u);
  }
}

} // namespace

TEST_CASE("probation: the source is valid after two packets in sequence",
          "[rtp][stats][seq]") {
  receiver_stats s;
  CHECK_FALSE(s.valid());
  CHECK_FALSE(s.on_packet(pkt(500), 0));
  CHECK_FALSE(s.valid());
  CHECK(s.on_packet(pkt(501), 0));
  CHECK(s.valid());
  CHECK(s.packets_received() == 1); // A.1 counts from the packet ending probation
  CHECK(s.packets_expected() == 1);
  // A non-sequential packet during probation restarts it.
  receiver_stats t;
  t.on_packet(pkt(10), 0);
  CHECK_FALSE(t.on_packet(pkt(12), 0));
  CHECK_FALSE(t.valid());
  CHECK(t.on_packet(pkt(13), 0));
  CHECK(t.valid());
}

TEST_CASE("sequence wrap counts a cycle", "[rtp][stats][seq]") {
  receiver_stats s;
  for (std::uint32_t i = 0; i < 100; ++i) {
    s.on_packet(pkt(static_cast<std::uint16_t>(65500 + i)), 0);
  }
  CHECK(s.packets_received() == 99);
  CHECK(s.cumulative_lost() == 0);
  CHECK(s.extended_highest_seq() == 65599u);
  const auto b = s.make_report(7, 0, 0);
  CHECK(b.highest_seq == 65599u);
  CHECK(b.cumulative_lost == 0);
  CHECK(b.fraction_lost == 0);
}

TEST_CASE("reordered and duplicated packets", "[rtp][stats][seq]") {
  struct row {
    const char* what;
    std::initializer_list<std::uint16_t> seqs;
    std::uint64_t received;
    std::int64_t lost;
    std::uint32_t highest;
  };
  const row rows[] = {
      {"in order", {1, 2, 3, 4, 5, 6}, 5, 0, 6},
      {"swap", {1, 2, 3, 5, 4, 6}, 5, 0, 6},
      {"late by three", {1, 2, 4, 5, 6, 3, 7}, 6, 0, 7},
      {"duplicate", {1, 2, 3, 3, 4}, 4, -1, 4},
      {"reorder across wrap", {65533, 65534, 65535, 1, 0, 2}, 5, 0, 65536 + 2},
      {"gap", {1, 2, 3, 7, 8}, 4, 3, 8},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    receiver_stats s;
    feed(s, r.seqs);
    CHECK(s.packets_received() == r.received);
    CHECK(s.cumulative_lost() == r.lost);
    CHECK(s.extended_highest_seq() == r.highest);
  }
}

TEST_CASE("a large jump is a restart only when confirmed", "[rtp][stats][seq]") {
  receiver_stats s;
  for (std::uint16_t q = 100; q <= 110; ++q) {
    s.on_packet(pkt(q), 0);
  }
  CHECK(s.packets_received() == 10);
  // One stray packet far away: not counted, stream continues.
  CHECK_FALSE(s.on_packet(pkt(30000), 0));
  CHECK(s.on_packet(pkt(111), 0));
  CHECK(s.packets_received() == 11);
  CHECK(s.extended_highest_seq() == 111);
  // Two in sequence after a jump: the sender restarted its numbering.
  CHECK_FALSE(s.on_packet(pkt(5000), 0));
  CHECK(s.on_packet(pkt(5001), 0));
  CHECK(s.packets_received() == 1);
  CHECK(s.extended_highest_seq() == 5001);
  CHECK(s.cumulative_lost() == 0);
}

TEST_CASE("a new SSRC starts afresh", "[rtp][stats][seq]") {
  receiver_stats s;
  feed(s, {1, 2, 3, 4});
  CHECK(s.packets_received() == 3);
  CHECK_FALSE(s.on_packet(pkt(900, 0, 43), 0));
  CHECK(s.ssrc() == 43);
  CHECK(s.packets_received() == 0);
  CHECK(s.on_packet(pkt(901, 0, 43), 0));
  CHECK(s.packets_received() == 1);
}

TEST_CASE("loss with known gaps, per interval and cumulative", "[rtp][stats][loss]") {
  receiver_stats s;
  for (std::uint16_t q = 1; q <= 100; ++q) {
    if (q != 10 && q != 20 && q != 30) {
      s.on_packet(pkt(q), 0);
    }
  }
  // Counting starts at 2: expected 99, received 96.
  CHECK(s.packets_expected() == 99);
  CHECK(s.cumulative_lost() == 3);
  CHECK(s.loss_fraction() == Approx(3.0 / 99));
  auto b = s.make_report(0x1234, 0xaa, 0xbb);
  CHECK(b.ssrc == 0x1234);
  CHECK(b.lsr == 0xaa);
  CHECK(b.dlsr == 0xbb);
  CHECK(b.cumulative_lost == 3);
  CHECK(b.fraction_lost == (3 * 256) / 99); // 7
  CHECK(b.highest_seq == 100);

  // Next interval: 50 expected, 10 lost → 51/256.
  for (std::uint16_t q = 101; q <= 150; ++q) {
    if (q % 5 != 1) {
      s.on_packet(pkt(q), 0);
    }
  }
  b = s.make_report(0x1234, 0, 0);
  CHECK(b.fraction_lost == (10 * 256) / 50);
  CHECK(b.cumulative_lost == 13);
  // Nothing new: fraction 0, cumulative kept.
  b = s.make_report(0x1234, 0, 0);
  CHECK(b.fraction_lost == 0);
  CHECK(b.cumulative_lost == 13);
  // Duplicates make the interval negative: reported as 0.
  feed(s, {151, 151, 151});
  CHECK(s.make_report(0x1234, 0, 0).fraction_lost == 0);
}

TEST_CASE("a report before the source is valid carries zeros", "[rtp][stats][loss]") {
  receiver_stats s;
  const auto b = s.make_report(5, 6, 7);
  CHECK(b == report_block{5, 0, 0, 0, 0, 6, 7});
}

TEST_CASE("jitter: zero for constant transit", "[rtp][stats][jitter]") {
  receiver_stats s;
  for (std::uint32_t i = 0; i < 200; ++i) {
    s.on_packet(pkt(static_cast<std::uint16_t>(i), 1000 + i * 160), 777'000 + i * 160);
  }
  CHECK(s.jitter() == 0);
  CHECK(s.jitter_ms() == 0);
}

TEST_CASE("jitter converges to |D| for an alternating delay", "[rtp][stats][jitter]") {
  // Every other packet 40 ticks (5 ms) late: |D| = 40 every packet, and the
  // A.8 filter converges to 40 (its integer form settles at 39 or 40).
  receiver_stats s;
  for (std::uint32_t i = 0; i < 300; ++i) {
    const std::uint32_t late = (i % 2 == 1) ? 40 : 0;
    s.on_packet(pkt(static_cast<std::uint16_t>(i), 0xfffff000u + i * 160),
                0x10 + i * 160 + late); // both clocks wrap
  }
  CHECK(s.jitter() >= 39);
  CHECK(s.jitter() <= 40);
  CHECK(s.jitter_ms() == Approx(5.0).margin(0.125));
}

TEST_CASE("jitter estimates E|D| for uniformly random delay", "[rtp][stats][jitter]") {
  // Delays i.i.d. uniform on [0, 300) ticks: D is the difference of two such
  // draws, E|D| = 300 / 3 = 100. The average of the filter output is close.
  ringdown::rng rng(7);
  receiver_stats s;
  double sum = 0;
  constexpr int n = 20'000;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto delay = static_cast<std::uint32_t>(rng.below(300));
    s.on_packet(pkt(static_cast<std::uint16_t>(i), i * 160), i * 160 + delay);
    if (i >= n / 2) {
      sum += s.jitter();
    }
  }
  CHECK(sum / (n / 2.0) == Approx(100).margin(5));
}

TEST_CASE("arrival as a time_point on the engine's clock", "[rtp][stats][jitter]") {
  receiver_stats s;
  const ringdown::time_point t0{std::chrono::hours{24 * 400}}; // large: no overflow
  for (std::uint32_t i = 0; i < 300; ++i) {
    const auto late = (i % 2 == 1) ? 5ms : 0ms;
    CHECK((s.on_packet(pkt(static_cast<std::uint16_t>(i), i * 160), t0 + i * 20ms + late) ||
           i == 0));
  }
  CHECK(s.jitter_ms() == Approx(5.0).margin(0.125));
}

TEST_CASE("sender stats and the SR's RTP timestamp", "[rtp][stats][sender]") {
  sender_stats s;
  CHECK_FALSE(s.has_sent());
  const ringdown::time_point t0{std::chrono::seconds{1000}};
  for (std::uint32_t i = 0; i < 3; ++i) {
    s.on_sent(5000 + i * 160, 160, t0 + i * 20ms);
  }
  CHECK(s.packets() == 3);
  CHECK(s.octets() == 480);
  CHECK(s.last_timestamp() == 5320);
  const auto info = s.make_sender_info(0x1234567800000000ULL, t0 + 100ms);
  CHECK(info.ntp == 0x1234567800000000ULL);
  CHECK(info.packets == 3);
  CHECK(info.octets == 480);
  CHECK(info.rtp_timestamp == 5320 + 60 * 8); // 60 ms after the last packet
}

TEST_CASE("round trip time from LSR and DLSR (RFC 3550 §6.4.1)", "[rtp][stats][rtt]") {
  const std::int64_t sr_sent_ms = 1'700'000'000'000;
  const std::uint32_t lsr = ntp_middle32(ntp_from_wall_ms(sr_sent_ms));
  const std::uint32_t dlsr = dlsr_from_ms(250); // the peer held it 250 ms
  // Back 250 + 80 ms after we sent the SR: 80 ms on the wire, both ways.
  const auto rtt = round_trip_ms(lsr, dlsr, ntp_from_wall_ms(sr_sent_ms + 330));
  REQUIRE(rtt);
  CHECK(*rtt == Approx(80).margin(0.1));
  // The RFC's own example: A=0xb710:8000, LSR=0xb705:2000, DLSR=0x0005:4000.
  const auto ex = round_trip_ms(0xb7052000u, 0x00054000u, 0x0000b71080000000ULL);
  REQUIRE(ex);
  CHECK(*ex == Approx(6125.0)); // 6.125 s
  CHECK_FALSE(round_trip_ms(0, dlsr, ntp_from_wall_ms(sr_sent_ms + 330)));
  CHECK_FALSE(round_trip_ms(lsr, dlsr, ntp_from_wall_ms(sr_sent_ms + 100))); // negative
}

TEST_CASE("E-model: clean leg, loss, delay", "[rtp][stats][quality]") {
  const auto clean = estimate_quality(0, 0, 0);
  CHECK(clean.r_factor == Approx(93.2 - 0.24));
  CHECK(clean.mos == Approx(4.4).margin(0.02));
  // 1 % random loss: Ie,eff = 95 × 1 / 26.1.
  CHECK(estimate_quality(0, 0.01, 0).r_factor == Approx(92.96 - 95.0 / 26.1));

  double r_prev = 101;
  double mos_prev = 5;
  for (const double loss : {0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0}) {
    INFO(loss);
    const auto q = estimate_quality(20, loss, 2);
    CHECK(q.r_factor < r_prev);
    CHECK(q.mos < mos_prev);
    r_prev = q.r_factor;
    mos_prev = q.mos;
  }
  r_prev = 101;
  for (const double delay : {0.0, 50.0, 150.0, 200.0, 300.0, 500.0}) {
    INFO(delay);
    const auto q = estimate_quality(delay, 0, 0);
    CHECK(q.r_factor < r_prev);
    r_prev = q.r_factor;
  }
  // Jitter counts twice into the delay.
  CHECK(estimate_quality(100, 0, 20).r_factor ==
        Approx(estimate_quality(140, 0, 0).r_factor));
  // Out-of-range inputs stay in range.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& q : {estimate_quality(-5, -1, -1), estimate_quality(1e9, 5, 1e9),
                        estimate_quality(nan, nan, nan)}) {
    CHECK(q.r_factor >= 0);
    CHECK(q.r_factor <= 100);
    CHECK(q.mos >= 1);
    CHECK(q.mos <= 4.5);
  }
}

TEST_CASE("a receiver report block survives the wire", "[rtp][stats][rtcp]") {
  receiver_stats s;
  for (std::uint16_t q = 0; q < 50; ++q) {
    if (q != 25) {
      s.on_packet(pkt(q, q * 160u), q * 160u + (q % 3) * 16u);
    }
  }
  rtcp_report r;
  r.ssrc = 1;
  r.add(s.make_report(42, 0x11112222, 0x00008000));
  std::array<std::uint8_t, 64> out{};
  const std::size_t n = write_rtcp(r, out);
  const auto back = parse_rtcp(std::span(out.data(), n));
  REQUIRE(back);
  CHECK(back->blocks[0] == r.blocks[0]);
  CHECK(back->blocks[0].cumulative_lost == 1);
  CHECK(back->blocks[0].jitter > 0);
}
