#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/integration/media/media_fixture.hpp"

using namespace ringdown;
using namespace ringdown::test;
using namespace std::chrono_literals;
using rtp::codec;

namespace {

const std::vector<std::uint8_t> marked(160, 0x5A);

/// A phone sending a 1300 Hz sine at its 20 ms packet clock until stopped.
struct sine_sender {
  sine_sender(const udp_peer& p, std::uint16_t to, std::uint32_t ssrc)
      : thread([&p, to, ssrc, this] {
          auto next = std::chrono::steady_clock::now();
          for (std::uint32_t n = 0; !done; ++n) {
            p.send_to(to, rtp_packet(0, static_cast<std::uint16_t>(n), n * 160, ssrc,
                                     sine_frame(codec::pcmu, 1300, n)));
            next += 20ms;
            std::this_thread::sleep_until(next); // the phone's packet clock
          }
        }) {}
  ~sine_sender() {
    done = true;
    thread.join();
  }
  std::atomic<bool> done{false};
  std::thread thread;
};

/// What `p` receives for `window`: the packets.
std::vector<std::vector<std::uint8_t>> listen(const udp_peer& p,
                                              std::chrono::milliseconds window) {
  std::vector<std::vector<std::uint8_t>> got;
  const auto end = std::chrono::steady_clock::now() + window;
  while (std::chrono::steady_clock::now() < end)
    if (auto pkt = p.receive(50ms); pkt && pkt->size() > 12)
      got.push_back(std::move(*pkt));
  return got;
}

std::vector<std::int16_t> audio_of(const std::vector<std::vector<std::uint8_t>>& packets) {
  std::vector<std::int16_t> pcm;
  for (const auto& p : packets)
    if (pt_of(p) == 0) {
      const auto d = decoded(codec::pcmu, p);
      pcm.insert(pcm.end(), d.begin(), d.end());
    }
  return pcm;
}

double music_power(std::span<const std::int16_t> pcm) {
  return goertzel(pcm, 523) + goertzel(pcm, 659) + goertzel(pcm, 784);
}

/// Sends `marked` three times from `from` and counts how many reach `to`
/// byte for byte (forwarded, not mixed).
int forwarded(const udp_peer& from, std::uint16_t port, const udp_peer& to,
              std::uint16_t seq) {
  for (std::uint16_t n = 0; n < 3; ++n)
    from.send_to(port, rtp_packet(0, static_cast<std::uint16_t>(seq + n), 160U * (seq + n),
                                  0xABCD, marked));
  int count = 0;
  while (auto p = to.receive(500ms))
    count += std::vector<std::uint8_t>(p->begin() + 12, p->end()) == marked ? 1 : 0;
  return count;
}

} // namespace

TEST_CASE("a held leg moves to the music-on-hold bridge and back on one unbroken stream",
          "[media][moh][move]") {
  media_fixture f;
  const auto b = f.bridge();
  udp_peer p0, p1;
  const auto port0 = f.engine.add_leg(b, 0).value();
  const auto port1 = f.engine.add_leg(b, 1).value();
  f.engine.configure_leg(b, 0, media_fixture::spec_for(p0));
  f.engine.configure_leg(b, 1, media_fixture::spec_for(p1));
  REQUIRE(forwarded(p0, port0, p1, 100) == 3);
  p1.send_to(port1, rtp_packet(0, 1, 160, 0x1111, marked)); // p1's source is latched

  const auto moh = f.engine.create_music_bridge(nullptr, rtp::default_tone("moh"));
  REQUIRE(moh);
  REQUIRE(f.engine.move_leg(b, 1, *moh, 7));
  CHECK(f.engine.counters().legs_moved == 1);
  std::vector<std::vector<std::uint8_t>> held;
  {
    sine_sender talking(p0, port0, 0xABCD); // the call goes on without p1
    held = listen(p1, 900ms);
  }
  REQUIRE(held.size() >= 30);
  const auto pcm = audio_of(held);
  const auto tail = std::span<const std::int16_t>(pcm).last(160 * 30);
  CHECK(music_power(tail) > 50 * goertzel(tail, 1300)); // music, not the call
  CHECK(f.engine.counters().music_legs == 1);
  // One stream throughout: the SSRC of the call's bridge, sequence numbers
  // running on without a gap.
  const auto ssrc = ssrc_of(held.front());
  for (std::size_t i = 1; i < held.size(); ++i) {
    CHECK(ssrc_of(held[i]) == ssrc);
    CHECK(seq_of(held[i]) == static_cast<std::uint16_t>(seq_of(held[i - 1]) + 1));
  }

  REQUIRE(f.engine.move_leg(*moh, 7, b, 1));
  CHECK(f.engine.counters().music_legs == 0);
  p0.drain();
  p1.drain();
  CHECK(forwarded(p0, port0, p1, 200) == 3); // the call's bridge forwards again
  CHECK(forwarded(p1, port1, p0, 300) == 3); // both ways, from the same port
  p0.send_to(port0, rtp_packet(0, 400, 64000, 0xABCD, marked));
  const auto after = p1.receive(1s);
  REQUIRE(after);
  CHECK(ssrc_of(*after) == ssrc);
}

TEST_CASE("a leg leaves a mixing bridge for music on hold: the two left forward",
          "[media][moh][move]") {
  // The engine's music-on-hold bridge plays the configured plan's "moh".
  auto cfg = media_fixture::make_config();
  REQUIRE(cfg.tones.set("moh", rtp::tone_spec{"moh", {{1800, 0, -13, 1000, 0}}, true}));
  media_fixture f(cfg);
  const auto b = f.bridge();
  udp_peer p0, p1, p2;
  std::vector<std::uint16_t> ports;
  for (rtp::leg_index i = 0; i < 3; ++i) {
    const udp_peer& p = i == 0 ? p0 : i == 1 ? p1 : p2;
    ports.push_back(f.engine.add_leg(b, i).value());
    f.engine.configure_leg(b, i, media_fixture::spec_for(p));
  }
  const auto place = f.engine.music_on_hold();
  REQUIRE(place);
  const auto again = f.engine.music_on_hold();
  REQUIRE(again);
  CHECK(again->bridge == place->bridge); // one music-on-hold bridge per engine
  CHECK(again->leg != place->leg);       // a place of one's own in it
  REQUIRE(f.engine.move_leg(b, 2, place->bridge, place->leg));
  {
    sine_sender talking(p0, ports[0], 0xABCD);
    const auto pcm = audio_of(listen(p2, 900ms));
    REQUIRE(pcm.size() >= 160 * 30);
    const auto tail = std::span<const std::int16_t>(pcm).last(160 * 30);
    CHECK(goertzel(tail, 1800) > 50 * goertzel(tail, 1300)); // the configured music
    CHECK(goertzel(tail, 1800) > 50 * music_power(tail));    // not the default melody
  }
  p1.drain();
  CHECK(forwarded(p0, ports[0], p1, 100) == 3); // two legs left: forwarding

  REQUIRE(f.engine.move_leg(place->bridge, place->leg, b, 2));
  p2.drain();
  sine_sender talking(p0, ports[0], 0xABCD);
  const auto pcm = audio_of(listen(p2, 900ms)); // mixing again, three legs
  REQUIRE(pcm.size() >= 160 * 30);
  const auto tail = std::span<const std::int16_t>(pcm).last(160 * 30);
  CHECK(goertzel(tail, 1300) > 50 * goertzel(tail, 1800));
}

TEST_CASE("a move of an unknown leg or to an unknown bridge moves nothing",
          "[media][move]") {
  media_fixture f;
  const auto b = f.bridge();
  udp_peer p0, p1;
  const auto port0 = f.engine.add_leg(b, 0).value();
  (void)f.engine.add_leg(b, 1).value();
  f.engine.configure_leg(b, 0, media_fixture::spec_for(p0));
  f.engine.configure_leg(b, 1, media_fixture::spec_for(p1));
  const auto other = f.bridge();
  CHECK_FALSE(f.engine.move_leg(b, 5, other, 0));
  CHECK_FALSE(f.engine.move_leg(b, 1, other + 1000, 0));
  CHECK_FALSE(f.engine.move_leg(b, 1, b, 1));
  CHECK(f.engine.counters().legs_moved == 0);
  CHECK(forwarded(p0, port0, p1, 10) == 3); // the call never noticed
}
