#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

/// Character classes and small scanning helpers shared by the SIP message
/// parsers (RFC 3261 §25.1). Pure functions, no state, usable on any thread.
namespace ringdown::sip::scan {

constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_alnum(char c) noexcept {
  return is_digit(c) || is_alpha(c);
}
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/// Linear white space inside a header value: SP, HT and the CR LF of a fold.
constexpr bool is_lws(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

namespace detail {
constexpr std::array<bool, 256> make_table(std::string_view extra) {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = is_alnum(static_cast<char>(c));
  for (char c : extra)
    t[static_cast<unsigned char>(c)] = true;
  return t;
}
inline constexpr auto token_table = make_table("-.!%*_+`'~");
inline constexpr auto unreserved_table = make_table("-_.!~*'()");
inline constexpr auto hostname_table = make_table("-.");
} // namespace detail

/// RFC 3261 `token` characters.
inline bool is_token(char c) noexcept {
  return detail::token_table[static_cast<unsigned char>(c)];
}
/// RFC 3261 `unreserved` (alphanum / mark).
inline bool is_unreserved(char c) noexcept {
  return detail::unreserved_table[static_cast<unsigned char>(c)];
}

/// Case-insensitive ASCII equality.
inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

inline std::string_view trim_left(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && is_lws(s[i]))
    ++i;
  return s.substr(i);
}
inline std::string_view trim_right(std::string_view s) noexcept {
  std::size_t n = s.size();
  while (n > 0 && is_lws(s[n - 1]))
    --n;
  return s.substr(0, n);
}
/// `s` without leading and trailing LWS.
inline std::string_view trim(std::string_view s) noexcept {
  return trim_right(trim_left(s));
}

/// True when every character of a non-empty `s` is a token character.
bool all_token(std::string_view s) noexcept;

/// Unsigned decimal of at most `max`; nullopt when empty, non-digit or over.
std::optional<std::uint64_t> to_uint(std::string_view s, std::uint64_t max) noexcept;

/// Index of the first `sep` in `s` outside quoted strings and <...>, or npos.
std::size_t find_unquoted(std::string_view s, char sep) noexcept;

/// Splits a comma list: returns the first element (untrimmed) and moves
/// `rest` past it and its comma. Quotes and <> are respected.
std::string_view next_element(std::string_view& rest) noexcept;

/// Validates a host: hostname, IPv4 or `[IPv6]` reference (RFC 3261 §25.1).
bool valid_host(std::string_view host) noexcept;

} // namespace ringdown::sip::scan
