#include "net/sip/scan.hpp"

#include <cstring>

namespace ringdown::sip::scan {

bool all_token(std::string_view s) noexcept {
  if (s.empty())
    return false;
  for (char c : s)
    if (!is_token(c))
      return false;
  return true;
}

std::optional<std::uint64_t> to_uint(std::string_view s, std::uint64_t max) noexcept {
  if (s.empty() || s.size() > 19)
    return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c))
      return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > max)
    return std::nullopt;
  return v;
}

std::size_t find_unquoted(std::string_view s, char sep) noexcept {
  if (s.empty())
    return std::string_view::npos;
  // Fast path: no quote or '<' before the first `sep` (memchr is vectorised).
  const char* const p = s.data();
  const void* hit = std::memchr(p, sep, s.size());
  const std::size_t lim =
      hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - p) : s.size();
  if (std::memchr(p, '"', lim) == nullptr && std::memchr(p, '<', lim) == nullptr)
    return hit ? lim : std::string_view::npos;
  bool quoted = false;
  bool angle = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
      continue;
    }
    if (c == sep && !angle)
      return i;
    if (c == '"')
      quoted = true;
    else if (c == '<')
      angle = true;
    else if (c == '>')
      angle = false;
  }
  return std::string_view::npos;
}

std::string_view next_element(std::string_view& rest) noexcept {
  const std::size_t i = find_unquoted(rest, ',');
  if (i == std::string_view::npos) {
    const std::string_view all = rest;
    rest = {};
    return all;
  }
  const std::string_view el = rest.substr(0, i);
  rest = rest.substr(i + 1);
  return el;
}

namespace {
bool valid_ipv6(std::string_view s) noexcept {
  // hex4 groups separated by ':', at most one "::", optional trailing IPv4.
  if (s.size() < 2)
    return false;
  int groups = 0;
  bool double_colon = false;
  std::size_t i = 0;
  if (s.starts_with("::")) {
    double_colon = true;
    i = 2;
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && is_hex(s[j]))
      ++j;
    if (j < s.size() && s[j] == '.') { // trailing IPv4
      for (std::size_t k = i; k < s.size(); ++k)
        if (!is_digit(s[k]) && s[k] != '.')
          return false;
      groups += 2;
      break;
    }
    if (j == i || j - i > 4)
      return false;
    ++groups;
    if (j == s.size())
      break;
    if (s[j] != ':')
      return false;
    if (j + 1 < s.size() && s[j + 1] == ':') {
      if (double_colon)
        return false;
      double_colon = true;
      i = j + 2;
      if (i == s.size())
        break;
    } else {
      i = j + 1;
      if (i == s.size())
        return false;
    }
  }
  return double_colon ? groups <= 7 : groups == 8;
}
} // namespace

bool valid_host(std::string_view host) noexcept {
  if (host.empty())
    return false;
  if (host.front() == '[')
    return host.size() > 2 && host.back() == ']' &&
           valid_ipv6(host.substr(1, host.size() - 2));
  // hostname / IPv4: labels of alphanum and '-', separated by '.'.
  if (host.front() == '.' || host.front() == '-')
    return false;
  for (char c : host)
    if (!detail::hostname_table[static_cast<unsigned char>(c)])
      return false;
  return true;
}

} // namespace ringdown::sip::scan
