#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/integration/media/media_fixture.hpp"

using namespace ringdown;
using namespace ringdown::test;
using namespace std::chrono_literals;
using rtp::codec;
using kind = rtp::media_event::kind;

namespace {

/// Phones on the bridge: each sends a sine (or nothing) at its own 20 ms
/// packet clock while a thread per phone collects what it hears.
struct talkers {
  std::vector<udp_peer*> peers;
  std::vector<std::uint16_t> ports;
  std::vector<double> freqs; ///< 0 = silent
  std::vector<std::vector<std::int16_t>> heard;

  void run(std::uint32_t frames) {
    heard.assign(peers.size(), {});
    std::atomic<bool> done{false};
    std::vector<std::thread> listeners;
    for (std::size_t i = 0; i < peers.size(); ++i)
      listeners.emplace_back([this, i, &done] {
        while (!done)
          if (auto p = peers[i]->receive(100ms); p && p->size() > 12 && pt_of(*p) == 0) {
            auto pcm = decoded(codec::pcmu, *p);
            heard[i].insert(heard[i].end(), pcm.begin(), pcm.end());
          }
      });
    auto next = std::chrono::steady_clock::now();
    for (std::uint32_t n = 0; n < frames; ++n) {
      for (std::size_t i = 0; i < peers.size(); ++i)
        if (freqs[i] > 0)
          peers[i]->send_to(ports[i], rtp_packet(0, static_cast<std::uint16_t>(n), n * 160,
                                                 static_cast<std::uint32_t>(i + 1),
                                                 sine_frame(codec::pcmu, freqs[i], n)));
      next += 20ms;
      std::this_thread::sleep_until(next); // the phones' 20 ms packet clock
    }
    done = true;
    for (auto& t : listeners)
      t.join();
  }
};

} // namespace

TEST_CASE("three legs are mixed N-1: each hears the others and not itself",
          "[media][mix]") {
  media_fixture f;
  const auto b = f.bridge();
  udp_peer p0, p1, p2;
  talkers t;
  t.peers = {&p0, &p1, &p2};
  t.freqs = {500, 1300, 0};
  for (rtp::leg_index i = 0; i < 3; ++i) {
    t.ports.push_back(f.engine.add_leg(b, i).value());
    f.engine.configure_leg(b, i, media_fixture::spec_for(*t.peers[i]));
  }
  t.run(60);
  for (const auto& h : t.heard)
    REQUIRE(h.size() >= 160 * 30);
  auto tail = [](const std::vector<std::int16_t>& v) {
    return std::span<const std::int16_t>(v).last(160 * 20);
  };
  // Leg 2 (silent) hears both talkers.
  CHECK(goertzel(tail(t.heard[2]), 500) > 50 * goertzel(tail(t.heard[2]), 900));
  CHECK(goertzel(tail(t.heard[2]), 1300) > 50 * goertzel(tail(t.heard[2]), 900));
  // Leg 0 hears 1300 Hz and not its own 500 Hz; leg 1 the other way round.
  CHECK(goertzel(tail(t.heard[0]), 1300) > 50 * goertzel(tail(t.heard[0]), 500));
  CHECK(goertzel(tail(t.heard[1]), 500) > 50 * goertzel(tail(t.heard[1]), 1300));
  CHECK(f.engine.counters().ticks > 0);
}

TEST_CASE("a tone plays to one leg while the bridge has no one else", "[media][tone]") {
  media_fixture f;
  const auto b = f.bridge();
  udp_peer phone;
  const auto port = f.engine.add_leg(b, 0).value();
  (void)port;
  f.engine.configure_leg(b, 0, media_fixture::spec_for(phone));
  f.engine.play_tone(b, 0, rtp::default_tone("busy"));
  std::vector<std::int16_t> heard;
  while (heard.size() < 160 * 20)
    if (auto p = phone.receive(2s)) {
      auto pcm = decoded(codec::pcmu, *p);
      heard.insert(heard.end(), pcm.begin(), pcm.end());
    } else {
      break;
    }
  REQUIRE(heard.size() >= 160 * 20);
  const auto first = std::span<const std::int16_t>(heard).first(160 * 20);
  CHECK(goertzel(first, 425) > 50 * goertzel(first, 1000));
  f.engine.stop_tone(b, 0);
}

TEST_CASE("a digit sent to a leg goes out as RFC 4733 events", "[media][digits]") {
  media_fixture f;
  const auto b = f.bridge();
  udp_peer phone;
  (void)f.engine.add_leg(b, 0).value();
  f.engine.configure_leg(b, 0, media_fixture::spec_for(phone));
  f.engine.send_digit(b, 0, '5', 100);
  int events = 0, ends = 0;
  bool marker = false;
  for (int i = 0; i < 40 && ends < 3; ++i) {
    auto p = phone.receive(2s);
    REQUIRE(p);
    if (pt_of(*p) != 101)
      continue;
    ++events;
    CHECK((*p)[12] == 5);
    marker = marker || ((*p)[1] & 0x80) != 0;
    if ((*p)[13] & 0x80)
      ++ends;
  }
  CHECK(events >= 5);
  CHECK(ends == 3);
  CHECK(marker);
}

TEST_CASE("a held leg is not mixed in and hears the hold tone", "[media][hold]") {
  media_fixture f;
  const auto b = f.bridge();
  udp_peer p0, p1;
  talkers t;
  t.peers = {&p0, &p1};
  t.freqs = {1300, 0};
  t.ports = {f.engine.add_leg(b, 0).value(), f.engine.add_leg(b, 1).value()};
  f.engine.configure_leg(b, 0, media_fixture::spec_for(p0));
  auto held = media_fixture::spec_for(p1);
  held.held = true;
  f.engine.configure_leg(b, 1, held);
  f.engine.play_tone(b, 1, rtp::default_tone("dial"));
  t.run(40);
  REQUIRE(t.heard[1].size() >= 160 * 20);
  const auto tail = std::span<const std::int16_t>(t.heard[1]).last(160 * 20);
  CHECK(goertzel(tail, 425) > 50 * goertzel(tail, 1300));
}

TEST_CASE("a two-party bridge mixes while a tone plays, then forwards at once again",
          "[media][tone][forward]") {
  // Mixing reads the legs' sockets on ticks, forwarding on every packet:
  // the sockets move between the two and back without losing a packet.
  media_fixture f;
  const auto b = f.bridge();
  udp_peer p0, p1;
  talkers t;
  t.peers = {&p0, &p1};
  t.freqs = {1300, 0};
  for (rtp::leg_index i = 0; i < 2; ++i) {
    t.ports.push_back(f.engine.add_leg(b, i).value());
    f.engine.configure_leg(b, i, media_fixture::spec_for(*t.peers[i]));
  }
  f.engine.play_tone(b, 1, rtp::default_tone("dial"));
  t.run(40);
  REQUIRE(t.heard[1].size() >= 160 * 20);
  const auto tail = std::span<const std::int16_t>(t.heard[1]).last(160 * 20);
  CHECK(goertzel(tail, 1300) > 50 * goertzel(tail, 2000)); // the other party
  CHECK(goertzel(tail, 425) > 50 * goertzel(tail, 2000));  // and the tone

  f.engine.stop_tone(b, 1);
  std::this_thread::sleep_for(100ms);
  while (p1.receive(50ms)) {
  } // what the last ticks sent
  const std::vector<std::uint8_t> marked(160, 0x5A);
  for (std::uint16_t n = 0; n < 3; ++n)
    p0.send_to(t.ports[0], rtp_packet(0, static_cast<std::uint16_t>(100 + n),
                                      16000 + 160U * n, 1, marked));
  int forwarded = 0;
  while (auto p = p1.receive(500ms))
    forwarded += std::vector<std::uint8_t>(p->begin() + 12, p->end()) == marked ? 1 : 0;
  CHECK(forwarded == 3); // byte for byte: forwarded, not mixed

  f.engine.play_tone(b, 1, rtp::default_tone("dial"));
  t.run(20);
  CHECK(t.heard[1].size() >= 160 * 10); // mixing again
}
