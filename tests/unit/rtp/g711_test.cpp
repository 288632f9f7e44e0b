#include <array>
#include <cstdint>
#include <spandsp.h>
#include <vector>

#include <catch2/catch.hpp>

#include "net/rtp/g711.hpp"

using namespace ringdown::rtp;

TEST_CASE("G.711 known vectors", "[rtp][g711]") {
  CHECK(ulaw_encode(0) == 0xFF);
  CHECK(ulaw_encode(-1) == 0x7F);
  CHECK(ulaw_decode(0x00) == -32124);
  CHECK(ulaw_decode(0x80) == 32124);
  CHECK(ulaw_decode(0xFF) == 0);
  CHECK(ulaw_encode(32767) == 0x80);
  CHECK(ulaw_encode(-32768) == 0x00);
  CHECK(alaw_encode(0) == 0xD5);
  CHECK(alaw_encode(-1) == 0x55);
  CHECK(alaw_decode(0xD5) == 8);
  CHECK(alaw_decode(0x55) == -8);
  CHECK(alaw_decode(0xAA) == 32256);
  CHECK(alaw_decode(0x2A) == -32256);
  CHECK(alaw_encode(32767) == 0xAA);
  CHECK(alaw_encode(-32768) == 0x2A);
  CHECK(silence_byte(codec::pcmu) == 0xFF);
  CHECK(silence_byte(codec::pcma) == 0xD5);
}

TEST_CASE("G.711 tables agree with the segment search and with spandsp for every sample",
          "[rtp][g711]") {
  int mismatches = 0;
  for (int s = -32768; s <= 32767; ++s) {
    const auto x = static_cast<std::int16_t>(s);
    mismatches += ulaw_encode(x) != ulaw_encode_search(x);
    mismatches += alaw_encode(x) != alaw_encode_search(x);
    mismatches += alaw_encode(x) != linear_to_alaw(s);
    if (s >= 0) {
      // spandsp codes negative µ-law samples from -x, G.191 from ~x (= -x - 1):
      // compare the positive half and check the sign symmetry of the negative.
      mismatches += ulaw_encode(x) != linear_to_ulaw(s);
      mismatches += ulaw_encode(static_cast<std::int16_t>(~s)) != (ulaw_encode(x) ^ 0x80);
    }
  }
  CHECK(mismatches == 0);
  for (int b = 0; b < 256; ++b) {
    const auto code = static_cast<std::uint8_t>(b);
    CHECK(ulaw_decode(code) == ulaw_to_linear(code));
    CHECK(alaw_decode(code) == alaw_to_linear(code));
  }
}

TEST_CASE("G.711 decode then encode is the identity on decoded values", "[rtp][g711]") {
  for (int b = 0; b < 256; ++b) {
    const auto code = static_cast<std::uint8_t>(b);
    const std::int16_t u = ulaw_decode(code);
    const std::int16_t a = alaw_decode(code);
    CHECK(ulaw_decode(ulaw_encode(u)) == u);
    CHECK(alaw_decode(alaw_encode(a)) == a);
    // Every code but µ-law's negative zero (0x7F) is its own encoding.
    if (code != 0x7F) {
      CHECK(ulaw_encode(u) == code);
    }
    CHECK(alaw_encode(a) == code);
  }
}

TEST_CASE("G.711 encoding is monotonic and within one step of the input", "[rtp][g711]") {
  std::int16_t prev_u = ulaw_decode(ulaw_encode(-32768));
  std::int16_t prev_a = alaw_decode(alaw_encode(-32768));
  for (int s = -32767; s <= 32767; ++s) {
    const auto x = static_cast<std::int16_t>(s);
    const std::int16_t u = ulaw_decode(ulaw_encode(x));
    const std::int16_t a = alaw_decode(alaw_encode(x));
    REQUIRE(u >= prev_u);
    REQUIRE(a >= prev_a);
    prev_u = u;
    prev_a = a;
  }
  // Error bounded by half the top segment's step (1024 µ-law, 512 A-law) plus clip.
  for (int s = -32000; s <= 32000; s += 7) {
    const auto x = static_cast<std::int16_t>(s);
    REQUIRE(std::abs(ulaw_decode(ulaw_encode(x)) - s) <= 1024);
    REQUIRE(std::abs(alaw_decode(alaw_encode(x)) - s) <= 1024);
  }
}

TEST_CASE("G.711 span encode and decode", "[rtp][g711]") {
  frame pcm{};
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<std::int16_t>((static_cast<int>(i) - 80) * 400);
  }
  for (codec c : {codec::pcmu, codec::pcma}) {
    std::array<std::uint8_t, frame_samples> bytes{};
    encode(c, pcm, bytes);
    frame back{};
    decode(c, bytes, back);
    for (std::size_t i = 0; i < pcm.size(); ++i) {
      const std::uint8_t b = c == codec::pcmu ? ulaw_encode(pcm[i]) : alaw_encode(pcm[i]);
      REQUIRE(bytes[i] == b);
      REQUIRE(back[i] == (c == codec::pcmu ? ulaw_decode(b) : alaw_decode(b)));
    }
  }
  std::array<std::uint8_t, 4> silent{};
  silent.fill(silence_byte(codec::pcma));
  std::array<std::int16_t, 4> out{};
  decode(codec::pcma, silent, out);
  CHECK(out == std::array<std::int16_t, 4>{8, 8, 8, 8});
}

TEST_CASE("G.711 transcoding between laws", "[rtp][g711]") {
  std::vector<std::uint8_t> all(256);
  for (int b = 0; b < 256; ++b) {
    all[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(b);
  }
  std::vector<std::uint8_t> a(256), u(256), a2(256), u2(256);
  transcode(codec::pcmu, codec::pcma, all, a);
  transcode(codec::pcma, codec::pcmu, a, u);
  transcode(codec::pcmu, codec::pcma, u, a2);
  transcode(codec::pcma, codec::pcmu, a2, u2);
  // One round may lose precision; after it, the round trip is stable.
  CHECK(a2 == a);
  CHECK(u2 == u);
  for (int b = 0; b < 256; ++b) {
    const auto i = static_cast<std::size_t>(b);
    CHECK(a[i] == alaw_encode(ulaw_decode(all[i])));
    // The round trip moves a µ-law value by at most one A-law step.
    CHECK(std::abs(ulaw_decode(u[i]) - ulaw_decode(all[i])) <= 1024);
  }
  // Same law: a copy, also in place.
  std::vector<std::uint8_t> copy(256);
  transcode(codec::pcma, codec::pcma, all, copy);
  CHECK(copy == all);
  transcode(codec::pcmu, codec::pcma, all, all);
  CHECK(all == a);
}
