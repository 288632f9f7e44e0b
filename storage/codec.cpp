#include "storage/codec.hpp"

namespace ringdown::storage {

namespace {

/// LEB128 of a 64-bit value takes at most ten bytes; the tenth carries
/// only the top bit.
constexpr std::size_t varint_bytes_max = 10;

template <typename T>
void put_le(std::string& out, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<char>(static_cast<std::uint8_t>(v >> (8 * i))));
}

template <typename T>
T get_le(std::string_view bytes) noexcept {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    v |= static_cast<T>(static_cast<std::uint8_t>(bytes[i])) << (8 * i);
  return v;
}

} // namespace

encoder& encoder::u8(std::uint8_t v) {
  out_.push_back(static_cast<char>(v));
  return *this;
}

encoder& encoder::u32(std::uint32_t v) {
  put_le(out_, v);
  return *this;
}

encoder& encoder::u64(std::uint64_t v) {
  put_le(out_, v);
  return *this;
}

encoder& encoder::i64(std::int64_t v) {
  return u64(static_cast<std::uint64_t>(v));
}

encoder& encoder::varint(std::uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>(static_cast<std::uint8_t>(v) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
  return *this;
}

encoder& encoder::str(std::string_view s) {
  varint(s.size());
  out_.append(s);
  return *this;
}

std::string_view decoder::take(std::size_t n) noexcept {
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  auto out = in_.substr(pos_, n);
  pos_ += n;
  return out;
}

std::uint8_t decoder::u8() noexcept {
  auto b = take(1);
  return ok_ ? static_cast<std::uint8_t>(b[0]) : 0;
}

std::uint32_t decoder::u32() noexcept {
  auto b = take(4);
  return ok_ ? get_le<std::uint32_t>(b) : 0;
}

std::uint64_t decoder::u64() noexcept {
  auto b = take(8);
  return ok_ ? get_le<std::uint64_t>(b) : 0;
}

std::int64_t decoder::i64() noexcept {
  return static_cast<std::int64_t>(u64());
}

std::uint64_t decoder::varint() noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < varint_bytes_max; ++i) {
    const auto b = u8();
    if (!ok_)
      return 0;
    const std::uint64_t bits = b & 0x7f;
    // The tenth byte may only carry bit 63 and must end the number.
    if (i == varint_bytes_max - 1 && b > 1) {
      ok_ = false;
      return 0;
    }
    v |= bits << (7 * i);
    if ((b & 0x80) == 0)
      return v;
  }
  ok_ = false; // unreachable: the tenth byte either ends or fails above
  return 0;
}

std::string_view decoder::str() noexcept {
  const auto n = varint();
  if (!ok_)
    return {};
  if (n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  return take(static_cast<std::size_t>(n));
}

} // namespace ringdown::storage
