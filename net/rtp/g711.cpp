#include "net/rtp/g711.hpp"

#include <array>
#include <bit>
#include <cstring>

#include "base/assert.hpp"

namespace ringdown::rtp {
namespace {

constexpr int ulaw_bias = 0x84;
constexpr int ulaw_clip = 32635;

constexpr std::uint8_t ulaw_search(int x) noexcept {
  // Negative samples are coded from their one's complement (~x = -x - 1),
  // as in G.191, so the code depends only on x >> 2.
  std::uint8_t mask = 0xFF;
  if (x < 0) {
    x = ~x;
    mask = 0x7F;
  }
  if (x > ulaw_clip) {
    x = ulaw_clip;
  }
  x += ulaw_bias;
  const int seg = std::bit_width(static_cast<unsigned>(x) >> 7) - 1; // 0..7
  const int code = (seg << 4) | ((x >> (seg + 3)) & 0x0F);
  return static_cast<std::uint8_t>(code ^ mask);
}

constexpr std::int16_t ulaw_expand(std::uint8_t code) noexcept {
  const int u = static_cast<std::uint8_t>(~code);
  const int t = (((u & 0x0F) << 3) + ulaw_bias) << ((u & 0x70) >> 4);
  return static_cast<std::int16_t>((u & 0x80) ? ulaw_bias - t : t - ulaw_bias);
}

constexpr std::uint8_t alaw_search(int x) noexcept {
  std::uint8_t mask = 0xD5; // sign bit set for positive, even bits inverted
  if (x < 0) {
    x = ~x;
    mask = 0x55;
  }
  const int seg = std::bit_width(static_cast<unsigned>(x) | 0xFF) - 8; // 0..8
  if (seg >= 8) {
    return static_cast<std::uint8_t>(0x7F ^ mask);
  }
  const int code = (seg << 4) | ((x >> (seg != 0 ? seg + 3 : 4)) & 0x0F);
  return static_cast<std::uint8_t>(code ^ mask);
}

constexpr std::int16_t alaw_expand(std::uint8_t code) noexcept {
  const int a = code ^ 0x55;
  int mag = (a & 0x0F) << 4;
  const int seg = (a & 0x70) >> 4;
  if (seg != 0) {
    mag = (mag + 0x108) << (seg - 1);
  } else {
    mag += 8;
  }
  return static_cast<std::int16_t>((a & 0x80) ? mag : -mag);
}

using decode_table = std::array<std::int16_t, 256>;
using byte_table = std::array<std::uint8_t, 256>;
/// Indexed by the sample's 14 high bits as unsigned: (std::uint16_t)s >> 2.
using encode_table = std::array<std::uint8_t, 16384>;

template <typename F>
constexpr decode_table make_decode(F expand) {
  decode_table t{};
  for (int i = 0; i < 256; ++i) {
    t[static_cast<std::size_t>(i)] = expand(static_cast<std::uint8_t>(i));
  }
  return t;
}

template <typename F>
constexpr encode_table make_encode(F search) {
  encode_table t{};
  for (int i = 0; i < 16384; ++i) {
    const int sample = static_cast<std::int16_t>(static_cast<std::uint16_t>(i << 2));
    t[static_cast<std::size_t>(i)] = search(sample);
  }
  return t;
}

template <typename D, typename E>
constexpr byte_table make_transcode(D expand, E search) {
  byte_table t{};
  for (int i = 0; i < 256; ++i) {
    t[static_cast<std::size_t>(i)] = search(expand(static_cast<std::uint8_t>(i)));
  }
  return t;
}

constexpr decode_table ulaw_to_linear = make_decode(ulaw_expand);
constexpr decode_table alaw_to_linear = make_decode(alaw_expand);
constexpr encode_table linear_to_ulaw = make_encode(ulaw_search);
constexpr encode_table linear_to_alaw = make_encode(alaw_search);
constexpr byte_table ulaw_to_alaw = make_transcode(ulaw_expand, alaw_search);
constexpr byte_table alaw_to_ulaw = make_transcode(alaw_expand, ulaw_search);

static_assert(ulaw_search(0) == 0xFF && ulaw_expand(0x00) == -32124);
static_assert(alaw_search(0) == 0xD5 && alaw_expand(0xD5) == 8);

constexpr std::size_t encode_index(std::int16_t s) noexcept {
  return static_cast<std::size_t>(static_cast<std::uint16_t>(s) >> 2);
}

} // namespace

std::uint8_t ulaw_encode(std::int16_t sample) noexcept {
  return linear_to_ulaw[encode_index(sample)];
}
std::int16_t ulaw_decode(std::uint8_t code) noexcept {
  return ulaw_to_linear[code];
}
std::uint8_t alaw_encode(std::int16_t sample) noexcept {
  return linear_to_alaw[encode_index(sample)];
}
std::int16_t alaw_decode(std::uint8_t code) noexcept {
  return alaw_to_linear[code];
}

std::uint8_t ulaw_encode_search(std::int16_t sample) noexcept {
  return ulaw_search(sample);
}
std::uint8_t alaw_encode_search(std::int16_t sample) noexcept {
  return alaw_search(sample);
}

std::uint8_t silence_byte(codec c) noexcept {
  return c == codec::pcmu ? 0xFF : 0xD5;
}

void decode(codec c, std::span<const std::uint8_t> in,
            std::span<std::int16_t> out) noexcept {
  RINGDOWN_ASSERT(out.size() >= in.size(), "G.711 decode output too small");
  const decode_table& t = c == codec::pcmu ? ulaw_to_linear : alaw_to_linear;
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = t[in[i]];
  }
}

void encode(codec c, std::span<const std::int16_t> in,
            std::span<std::uint8_t> out) noexcept {
  RINGDOWN_ASSERT(out.size() >= in.size(), "G.711 encode output too small");
  const encode_table& t = c == codec::pcmu ? linear_to_ulaw : linear_to_alaw;
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = t[encode_index(in[i])];
  }
}

void transcode(codec from, codec to, std::span<const std::uint8_t> in,
               std::span<std::uint8_t> out) noexcept {
  RINGDOWN_ASSERT(out.size() >= in.size(), "G.711 transcode output too small");
  const std::size_t n = in.size();
  if (from == to) {
    if (n != 0 && in.data() != out.data()) {
      std::memmove(out.data(), in.data(), n);
    }
    return;
  }
  const byte_table& t = from == codec::pcmu ? ulaw_to_alaw : alaw_to_ulaw;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = t[in[i]];
  }
}

} // namespace ringdown::rtp
