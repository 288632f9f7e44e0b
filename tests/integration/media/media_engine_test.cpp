#include <catch2/catch.hpp>

#include "net/rtp/srtp_session.hpp"
#include "tests/integration/media/media_fixture.hpp"

using namespace ringdown;
using namespace ringdown::test;
using namespace std::chrono_literals;
using rtp::codec;
using kind = rtp::media_event::kind;

namespace {

std::vector<std::uint8_t> pattern(std::uint8_t seed) {
  std::vector<std::uint8_t> p(160);
  for (std::size_t i = 0; i < p.size(); ++i)
    p[i] = static_cast<std::uint8_t>(seed + i);
  return p;
}

struct two_legs {
  media_fixture& f;
  rtp::bridge_id b;
  udp_peer a, c;
  std::uint16_t port_a = 0, port_c = 0;

  two_legs(media_fixture& fx, codec ca = codec::pcmu, codec cc = codec::pcmu)
      : f(fx), b(fx.bridge()) {
    port_a = f.engine.add_leg(b, 0).value();
    port_c = f.engine.add_leg(b, 1).value();
    f.engine.configure_leg(b, 0, media_fixture::spec_for(a, ca));
    f.engine.configure_leg(b, 1, media_fixture::spec_for(c, cc));
  }
};

} // namespace

TEST_CASE("a two-party bridge forwards packets at once, re-stamped onto its own stream",
          "[media][forward]") {
  media_fixture f;
  two_legs t(f);
  CHECK(t.port_a % 2 == 0);
  CHECK(t.port_c % 2 == 0);
  for (std::uint16_t i = 0; i < 20; ++i)
    t.a.send_to(t.port_a,
                rtp_packet(0, static_cast<std::uint16_t>(65530 + i), 1000 + 160U * i,
                           0xA1A1A1A1, pattern(static_cast<std::uint8_t>(i))));
  std::vector<std::vector<std::uint8_t>> got;
  while (got.size() < 20)
    if (auto p = t.c.receive(2s))
      got.push_back(*p);
    else
      break;
  REQUIRE(got.size() == 20);
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(pt_of(got[i]) == 0);
    CHECK(ssrc_of(got[i]) != 0xA1A1A1A1);
    CHECK(std::vector<std::uint8_t>(got[i].begin() + 12, got[i].end()) ==
          pattern(static_cast<std::uint8_t>(i)));
    if (i > 0)
      CHECK(seq_of(got[i]) == static_cast<std::uint16_t>(seq_of(got[i - 1]) + 1));
  }
  // And the other way.
  t.c.send_to(t.port_c, rtp_packet(0, 7, 7, 0xC3C3C3C3, pattern(9)));
  auto back = t.a.receive(2s);
  REQUIRE(back);
  CHECK(std::vector<std::uint8_t>(back->begin() + 12, back->end()) == pattern(9));
  CHECK(f.engine.counters().packets_in >= 21);
}

TEST_CASE("a µ-law leg bridged to an A-law leg hears the same audio transcoded",
          "[media][forward]") {
  media_fixture f;
  two_legs t(f, codec::pcmu, codec::pcma);
  const auto frame = sine_frame(codec::pcmu, 1000, 0);
  t.a.send_to(t.port_a, rtp_packet(0, 1, 0, 1, frame));
  auto p = t.c.receive(2s);
  REQUIRE(p);
  CHECK(pt_of(*p) == 8);
  std::vector<std::uint8_t> expect(frame.size());
  rtp::transcode(codec::pcmu, codec::pcma, frame, expect);
  CHECK(std::vector<std::uint8_t>(p->begin() + 12, p->end()) == expect);
  const auto pcm = decoded(codec::pcma, *p);
  CHECK(goertzel(pcm, 1000) > 100 * goertzel(pcm, 440));
}

TEST_CASE("an SRTP leg is bridged to an RTP leg: a forged packet is dropped and counted",
          "[media][srtp]") {
  media_fixture f;
  two_legs t(f);
  std::vector<std::uint8_t> theirs(30), ours(30);
  for (std::size_t i = 0; i < 30; ++i) {
    theirs[i] = static_cast<std::uint8_t>(i * 7 + 1);
    ours[i] = static_cast<std::uint8_t>(i * 11 + 3);
  }
  auto spec = media_fixture::spec_for(t.a);
  spec.srtp = rtp::srtp_keys{"AES_CM_128_HMAC_SHA1_80", theirs, ours};
  f.engine.configure_leg(t.b, 0, spec);
  auto phone_out = rtp::srtp_session::create(rtp::srtp_suite::aes_cm_128_hmac_sha1_80,
                                             theirs, rtp::srtp_direction::outbound);
  auto phone_in = rtp::srtp_session::create(rtp::srtp_suite::aes_cm_128_hmac_sha1_80, ours,
                                            rtp::srtp_direction::inbound);
  REQUIRE(phone_out);
  REQUIRE(phone_in);

  auto send_protected = [&](std::uint16_t seq, bool forge) {
    auto p =
        rtp_packet(0, seq, seq * 160U, 0x5EC0E, pattern(static_cast<std::uint8_t>(seq)));
    std::size_t len = p.size();
    p.resize(len + rtp::srtp_overhead_max);
    REQUIRE(phone_out->protect_rtp(p, len));
    p.resize(len);
    if (forge)
      p[20] ^= 0x40;
    t.a.send_to(t.port_a, p);
  };
  send_protected(1, false);
  auto plain = t.c.receive(2s);
  REQUIRE(plain);
  CHECK(std::vector<std::uint8_t>(plain->begin() + 12, plain->end()) == pattern(1));

  send_protected(2, true);
  send_protected(3, false);
  plain = t.c.receive(2s);
  REQUIRE(plain);
  CHECK(std::vector<std::uint8_t>(plain->begin() + 12, plain->end()) == pattern(3));
  CHECK(f.engine.counters().srtp_auth_failures == 1);

  // RTP from the plain side arrives protected on the SRTP side.
  t.c.send_to(t.port_c, rtp_packet(0, 50, 50, 0xC, pattern(50)));
  auto secured = t.a.receive(2s);
  REQUIRE(secured);
  CHECK(secured->size() == 12 + 160 + 10);
  std::size_t len = secured->size();
  REQUIRE(phone_in->unprotect_rtp(*secured, len));
  CHECK(std::vector<std::uint8_t>(secured->begin() + 12, secured->begin() + 12 + 160) ==
        pattern(50));
}

TEST_CASE("symmetric RTP latches onto the address the phone really sends from",
          "[media][latch]") {
  media_fixture f;
  two_legs t(f);
  auto wrong = media_fixture::spec_for(t.a);
  wrong.remote_port = 9; // what a phone behind a NAT would have written in its SDP
  f.engine.configure_leg(t.b, 0, wrong);
  t.a.send_to(t.port_a, rtp_packet(0, 1, 0, 1, pattern(1)));
  REQUIRE(t.c.receive(2s));
  REQUIRE(
      f.wait_event([](const auto& e) { return e.what == kind::latched && e.leg == 0; }));
  t.c.send_to(t.port_c, rtp_packet(0, 1, 0, 2, pattern(2)));
  auto p = t.a.receive(2s);
  REQUIRE(p);
  CHECK(std::vector<std::uint8_t>(p->begin() + 12, p->end()) == pattern(2));
  // Another source is not taken once latched.
  udp_peer intruder;
  intruder.send_to(t.port_a, rtp_packet(0, 2, 160, 1, pattern(3)));
  t.a.send_to(t.port_a, rtp_packet(0, 3, 320, 1, pattern(4)));
  p = t.c.receive(2s);
  REQUIRE(p);
  CHECK(std::vector<std::uint8_t>(p->begin() + 12, p->end()) == pattern(4));
  CHECK(f.engine.counters().foreign_source >= 1);
}

TEST_CASE("malformed RTP is dropped and counted: the call goes on", "[media][malformed]") {
  media_fixture f;
  two_legs t(f);
  const std::vector<std::uint8_t> garbage{0x12, 0x34, 0x56};
  const std::vector<std::uint8_t> bad_version(40, 0x40);
  t.a.send_to(t.port_a, garbage);
  t.a.send_to(t.port_a, bad_version);
  t.a.send_to(t.port_a, rtp_packet(0, 1, 0, 1, pattern(5)));
  auto p = t.c.receive(2s);
  REQUIRE(p);
  CHECK(std::vector<std::uint8_t>(p->begin() + 12, p->end()) == pattern(5));
  CHECK(f.engine.counters().malformed_rtp == 2);
}

TEST_CASE("running out of ports refuses the new leg and breaks nothing else",
          "[media][ports]") {
  auto cfg = media_fixture::make_config();
  cfg.port_first = 42000;
  cfg.port_last = 42003; // two pairs
  media_fixture f(cfg);
  two_legs t(f);
  const auto b2 = f.bridge();
  CHECK_FALSE(f.engine.add_leg(b2, 0).has_value());
  CHECK(f.engine.counters().ports_exhausted == 1);
  t.a.send_to(t.port_a, rtp_packet(0, 1, 0, 1, pattern(6)));
  REQUIRE(t.c.receive(2s));
  // Ending a call gives its ports back: both legs report their figures
  // once their ports are free again.
  f.engine.destroy_bridge(t.b);
  REQUIRE(
      f.wait_event([](const auto& e) { return e.what == kind::leg_stats && e.leg == 1; }));
  REQUIRE(
      f.wait_event([](const auto& e) { return e.what == kind::leg_stats && e.leg == 0; }));
  CHECK(f.engine.add_leg(b2, 0).has_value());
}

TEST_CASE("a silent leg is reported after the media timeout", "[media][timeout]") {
  auto cfg = media_fixture::make_config();
  cfg.media_timeout_ms = 300;
  media_fixture f(cfg);
  two_legs t(f);
  // Leg 1 keeps talking; leg 0 says nothing.
  const auto e =
      f.wait_event([](const auto& ev) { return ev.what == kind::media_timeout; }, 3s);
  REQUIRE(e);
  CHECK(f.engine.counters().media_timeouts >= 1);
}

TEST_CASE("RFC 4733 digits are collected until the terminator and not passed on",
          "[media][digits]") {
  media_fixture f;
  two_legs t(f);
  f.engine.collect_digits(t.b, 0, rtp::digit_collection{10, 3000, '#'});
  std::uint16_t seq = 100;
  std::uint32_t ts = 8000;
  for (const std::uint8_t ev : {std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{11}}) {
    for (int step = 0; step < 5; ++step) {
      const bool end = step >= 2;
      const std::uint16_t duration = static_cast<std::uint16_t>(160 * (step + 1));
      const std::vector<std::uint8_t> payload{
          ev, static_cast<std::uint8_t>(end ? 0x8A : 0x0A),
          static_cast<std::uint8_t>(duration >> 8), static_cast<std::uint8_t>(duration)};
      t.a.send_to(t.port_a, rtp_packet(101, seq++, ts, 0xD, payload, step == 0));
    }
    ts += 1600;
  }
  const auto e =
      f.wait_event([](const auto& ev) { return ev.what == kind::digits_collected; });
  REQUIRE(e);
  CHECK(e->digits == "12");
  CHECK_FALSE(t.c.receive(100ms).has_value());
}

TEST_CASE("a collection with no digit ends after the first-digit wait, not the inter-digit "
          "one",
          "[media][digits]") {
  media_fixture f;
  two_legs t(f);
  rtp::digit_collection how;
  how.inter_digit_ms = 60'000;
  how.first_digit_ms = 300;
  f.engine.collect_digits(t.b, 0, how);
  const auto e =
      f.wait_event([](const auto& ev) { return ev.what == kind::digits_collected; }, 5s);
  REQUIRE(e);
  CHECK(e->digits.empty());
  CHECK(e->leg == 0);
}

TEST_CASE("a leg that may be silent (it holds the call) is not timed out",
          "[media][timeout]") {
  auto cfg = media_fixture::make_config();
  cfg.media_timeout_ms = 300;
  media_fixture f(cfg);
  two_legs t(f);
  auto quiet = media_fixture::spec_for(t.a);
  quiet.may_be_silent = true;
  f.engine.configure_leg(t.b, 0, quiet);
  // Leg 1 times out (nobody sends on it); leg 0 never does.
  REQUIRE(f.wait_event(
      [](const auto& e) { return e.what == kind::media_timeout && e.leg == 1; }, 3s));
  CHECK_FALSE(f.wait_event(
      [](const auto& e) { return e.what == kind::media_timeout && e.leg == 0; }, 500ms));
}
