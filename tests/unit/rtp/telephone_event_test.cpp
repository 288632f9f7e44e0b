#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "net/rtp/rtp_packet.hpp"
#include "net/rtp/telephone_event.hpp"

using namespace ringdown::rtp;

namespace {

using bytes = std::vector<std::uint8_t>;

struct pkt {
  bool marker;
  std::uint32_t timestamp;
  std::uint8_t event;
  bool end;
  std::uint16_t duration;
};

// Feeds packets to a receiver and returns the digits it reported.
std::string run(dtmf_receiver& rx, const std::vector<pkt>& pkts, std::uint32_t ssrc = 7) {
  std::string digits;
  std::uint16_t seq = 100;
  for (const auto& p : pkts) {
    const rtp_header h{101, p.marker, seq++, p.timestamp, ssrc};
    if (const auto d = rx.feed(h, telephone_event{p.event, p.end, 10, p.duration})) {
      digits += d->digit;
    }
  }
  return digits;
}

// RFC 4733 §2.5.1: start with marker, updates every 20 ms, end sent 3 times.
std::vector<pkt> key(std::uint8_t event, std::uint32_t ts) {
  return {{true, ts, event, false, 160},  {false, ts, event, false, 320},
          {false, ts, event, false, 480}, {false, ts, event, false, 640},
          {false, ts, event, false, 800}, {false, ts, event, true, 960},
          {false, ts, event, true, 960},  {false, ts, event, true, 960}};
}

std::vector<pkt> operator+(std::vector<pkt> a, const std::vector<pkt>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

} // namespace

TEST_CASE("telephone-event payload parse and write (RFC 4733 §2.3)", "[rtp][dtmf]") {
  const bytes wire = {0x05, 0x8a, 0x03, 0x20}; // event 5, E=1, volume 10, 800
  const auto e = parse_telephone_event(wire);
  REQUIRE(e);
  CHECK(*e == telephone_event{5, true, 10, 800});
  std::array<std::uint8_t, 4> out{};
  REQUIRE(write_telephone_event(*e, out) == 4);
  CHECK(bytes(out.begin(), out.end()) == wire);
  // The R bit is ignored; volume is 6 bits.
  CHECK(parse_telephone_event(bytes{0x0b, 0x7f, 0, 0}) ==
        telephone_event{11, false, 63, 0});
  REQUIRE(write_telephone_event(telephone_event{1, false, 0xff, 1}, out) == 4);
  CHECK(out[1] == 0x3f);
  // Too short: nothing; longer: the first event.
  CHECK_FALSE(parse_telephone_event(bytes{0x05, 0x8a, 0x03}));
  CHECK_FALSE(parse_telephone_event(bytes{}));
  CHECK(parse_telephone_event(bytes{0x05, 0x8a, 0x03, 0x20, 0x06, 0, 0, 0})->event == 5);
  std::array<std::uint8_t, 3> small{};
  CHECK(write_telephone_event(*e, small) == 0);
}

TEST_CASE("event codes and keypad characters", "[rtp][dtmf]") {
  const std::string keypad = "0123456789*#ABCD";
  for (std::uint8_t ev = 0; ev < 16; ++ev) {
    CHECK(event_to_digit(ev) == keypad[ev]);
    CHECK(digit_to_event(keypad[ev]) == ev);
  }
  CHECK(event_to_digit(16) == 0); // flash
  CHECK(event_to_digit(255) == 0);
  CHECK(digit_to_event('b') == std::uint8_t{13});
  for (const char c : {'E', 'e', 'x', ' ', '\0', '+', '/'}) {
    CHECK_FALSE(digit_to_event(c));
  }
}

TEST_CASE("one key press gives one digit, reported at first sight", "[rtp][dtmf]") {
  dtmf_receiver rx;
  CHECK_FALSE(rx.current());
  const auto k = key(5, 8000);
  const rtp_header start{101, true, 1, 8000, 7};
  const auto first = rx.feed(start, telephone_event{5, false, 10, 160});
  REQUIRE(first);
  CHECK(*first == dtmf_digit{'5', 8000, 160, false});
  CHECK(run(rx, std::vector<pkt>(k.begin() + 1, k.end())).empty());
  REQUIRE(rx.current());
  CHECK(*rx.current() == dtmf_digit{'5', 8000, 960, true});
}

TEST_CASE("digit sequences from realistic packet streams", "[rtp][dtmf]") {
  auto drop_first = [](std::vector<pkt> v) {
    v.erase(v.begin());
    return v;
  };
  auto only_ends = [](std::vector<pkt> v) {
    return std::vector<pkt>(v.end() - 3, v.end());
  };
  struct row {
    const char* what;
    std::vector<pkt> pkts;
    std::string digits;
  };
  const row rows[] = {
      {"one key", key(1, 1000), "1"},
      {"lost start packet", drop_first(key(1, 1000)), "1"},
      {"only the end packets", only_ends(key(9, 1000)), "9"},
      {"same key twice", key(4, 1000) + key(4, 3000), "44"},
      {"same key twice, second start lost", key(4, 1000) + drop_first(key(4, 3000)), "44"},
      {"three keys", key(10, 1000) + key(0, 3000) + key(11, 5000), "*0#"},
      {"late end of the previous key",
       key(2, 1000) + key(3, 3000) + only_ends(key(2, 1000)), "23"},
      {"flash is not a digit", key(16, 1000) + key(7, 3000), "7"},
      {"timestamp wraps", key(6, 0xffffff00u) + key(6, 0x00000700u), "66"},
      {"long event in two segments (§2.5.1.3)",
       {{true, 0, 8, false, 160},
        {false, 0, 8, false, 0xffff},
        {false, 0xffff, 8, false, 160},
        {false, 0xffff, 8, true, 400},
        {false, 0xffff, 8, true, 400}},
       "8"},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    dtmf_receiver rx;
    CHECK(run(rx, r.pkts) == r.digits);
  }
}

TEST_CASE("a new SSRC starts a new event even on the same timestamp", "[rtp][dtmf]") {
  dtmf_receiver rx;
  CHECK(run(rx, key(1, 1000), 7) == "1");
  CHECK(run(rx, key(1, 1000), 8) == "1");
}

TEST_CASE("dtmf_sender produces the RFC 4733 packet train", "[rtp][dtmf][send]") {
  dtmf_sender tx;
  CHECK_FALSE(tx.active());
  REQUIRE(tx.start('7', 5000));
  std::vector<dtmf_sender::step> steps;
  while (auto s = tx.next()) {
    steps.push_back(*s);
    REQUIRE(steps.size() < 100);
  }
  CHECK_FALSE(tx.active());
  REQUIRE(steps.size() == 7); // 4 updates of 100 ms, end three times
  const std::uint16_t durations[] = {160, 320, 480, 640, 800, 800, 800};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    INFO(i);
    CHECK(steps[i].marker == (i == 0));
    CHECK(steps[i].timestamp == 5000);
    CHECK(steps[i].event.event == 7);
    CHECK(steps[i].event.volume == 10);
    CHECK(steps[i].event.duration == durations[i]);
    CHECK(steps[i].event.end == (i >= 4));
  }
  CHECK_FALSE(tx.next());

  // Durations are clamped; an unknown character sends nothing.
  REQUIRE(tx.start('#', 0, 10));
  std::size_t n = 0;
  std::uint16_t last = 0;
  while (auto s = tx.next()) {
    ++n;
    last = s->event.duration;
  }
  CHECK(n == 1 + 3);
  CHECK(last == 320);
  REQUIRE(tx.start('#', 0, 100'000));
  while (auto s = tx.next()) {
    last = s->event.duration;
  }
  CHECK(last == 64000);
  CHECK_FALSE(tx.start('x', 0));
  CHECK_FALSE(tx.next());
}

TEST_CASE("sender to receiver over the wire gives the digits", "[rtp][dtmf][send]") {
  dtmf_sender tx;
  dtmf_receiver rx;
  std::string got;
  std::uint16_t seq = 0xfff0;
  std::uint32_t ts = 160'000;
  for (const char c : std::string("1199*#AD")) {
    REQUIRE(tx.start(c, ts, 120));
    while (auto s = tx.next()) {
      std::array<std::uint8_t, 16> buf{};
      REQUIRE(write_rtp_header(rtp_header{101, s->marker, seq++, s->timestamp, 0xabc},
                               buf) == 12);
      REQUIRE(write_telephone_event(s->event, std::span(buf).subspan(12)) == 4);
      const auto v = parse_rtp(buf);
      REQUIRE(v);
      const auto e = parse_telephone_event(v->payload);
      REQUIRE(e);
      if (const auto d = rx.feed(v->header, *e)) {
        got += d->digit;
      }
    }
    REQUIRE(rx.current());
    CHECK(rx.current()->ended);
    CHECK(rx.current()->duration == 960);
    ts += 8 * 200; // next key 200 ms later
  }
  CHECK(got == "1199*#AD");
}
