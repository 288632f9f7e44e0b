#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

/// Small text helpers shared by the SDP sources (internal to net/sdp).
namespace ringdown::sdp::text {

inline bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
inline bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

inline bool all_digits(std::string_view s) noexcept {
  if (s.empty())
    return false;
  for (char c : s)
    if (!is_digit(c))
      return false;
  return true;
}

/// RFC 8866 `token` characters (RFC 4566 §9 grammar).
inline bool is_token_char(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c))
    return true;
  switch (c) {
  case '!':
  case '#':
  case '$':
  case '%':
  case '&':
  case '\'':
  case '*':
  case '+':
  case '-':
  case '.':
  case '^':
  case '_':
  case '`':
  case '{':
  case '|':
  case '}':
  case '~':
    return true;
  default:
    return false;
  }
}

inline bool is_token(std::string_view s) noexcept {
  if (s.empty())
    return false;
  for (char c : s)
    if (!is_token_char(c))
      return false;
  return true;
}

/// Parses an unsigned decimal number made of digits only, no sign, no blanks.
template <typename T>
std::optional<T> to_uint(std::string_view s) noexcept {
  if (!all_digits(s))
    return std::nullopt;
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size())
    return std::nullopt;
  return v;
}

inline std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.back()))
    s.remove_suffix(1);
  return s;
}

inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front()))
    s.remove_prefix(1);
  return trim_right(s);
}

/// Cuts the next blank-separated token off `s` (runs of blanks collapse).
inline std::string_view next_token(std::string_view& s) noexcept {
  while (!s.empty() && is_blank(s.front()))
    s.remove_prefix(1);
  std::size_t n = 0;
  while (n < s.size() && !is_blank(s[n]))
    ++n;
  auto tok = s.substr(0, n);
  s.remove_prefix(n);
  return tok;
}

inline char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = lower(c);
  return out;
}

} // namespace ringdown::sdp::text
