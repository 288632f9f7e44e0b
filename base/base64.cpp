#include "base/base64.hpp"

#include <cstdint>

namespace ringdown::base64 {

namespace {

constexpr std::string_view standard_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view url_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::string_view chars(alphabet a) noexcept {
  return a == alphabet::url ? url_chars : standard_chars;
}

} // namespace

int value_of(char c, alphabet a) noexcept {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  const auto table = chars(a);
  if (c == table[62])
    return 62;
  if (c == table[63])
    return 63;
  return -1;
}

std::string encode(std::string_view bytes, alphabet a, padding p) {
  const auto table = chars(a);
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = bytes.size() - i; // bytes left, >= 1
    std::uint32_t b = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (n > 1)
      b |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    if (n > 2)
      b |= static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(table[(b >> 18) & 0x3f]);
    out.push_back(table[(b >> 12) & 0x3f]);
    if (n > 1)
      out.push_back(table[(b >> 6) & 0x3f]);
    else if (p == padding::pad)
      out.push_back('=');
    if (n > 2)
      out.push_back(table[b & 0x3f]);
    else if (p == padding::pad)
      out.push_back('=');
  }
  return out;
}

bool decode(std::string_view text, alphabet a, std::string& out) {
  out.clear();
  if (text.size() % 4 == 1)
    return false;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = value_of(c, a);
    if (v < 0)
      return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return true;
}

} // namespace ringdown::base64
