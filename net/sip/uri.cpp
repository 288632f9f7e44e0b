#include "net/sip/uri.hpp"

#include <array>

#include "net/sip/scan.hpp"

namespace ringdown::sip {

namespace {

using scan::is_alnum;
using scan::is_hex;
using scan::is_unreserved;

// Characters allowed besides %HH escapes, per URI component (RFC 3261 §25.1).
using char_table = std::array<bool, 256>;
constexpr char_table component(std::string_view extra) {
  char_table t = scan::detail::unreserved_table;
  for (char c : extra)
    t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr char_table user_chars = component("&=+$,;?/");
constexpr char_table password_chars = component("&=+$,");
constexpr char_table param_chars = component("[]/:&+$=;"); // ';' '=' split later
constexpr char_table header_chars = component("[]/?:+$=&");
constexpr char_table tel_chars = component("-.()+*#;=/:&$,[]?");
constexpr char_table uric_chars = component(";/?:@&=+$,[]");

// Every char is in `allowed` or a valid %HH escape.
bool chars_ok(std::string_view s, const char_table& allowed) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (allowed[static_cast<unsigned char>(c)])
      continue;
    if (c != '%' || !(i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])))
      return false;
    i += 2;
  }
  return true;
}

bool parse_port(std::string_view s, std::uint16_t& port) noexcept {
  const auto v = scan::to_uint(s, 65535);
  if (!v)
    return false;
  port = static_cast<std::uint16_t>(*v);
  return true;
}

std::optional<uri> parse_sip(std::string_view text, std::string_view rest, uri u) noexcept {
  // '@' appears nowhere but after userinfo; '?' may appear in the user part.
  const std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const std::size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos) {
      u.password = userinfo.substr(colon + 1);
      userinfo = userinfo.substr(0, colon);
      if (!chars_ok(u.password, password_chars))
        return std::nullopt;
    }
    u.user = userinfo;
    if (u.user.empty() || !chars_ok(u.user, user_chars))
      return std::nullopt;
  }
  const std::size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    u.headers = rest.substr(q + 1);
    rest = rest.substr(0, q);
    if (u.headers.empty() || !chars_ok(u.headers, header_chars))
      return std::nullopt;
  }
  std::size_t host_end = 0;
  if (!rest.empty() && rest[0] == '[') {
    host_end = rest.find(']');
    if (host_end == std::string_view::npos)
      return std::nullopt;
    ++host_end;
  } else {
    while (host_end < rest.size() && rest[host_end] != ':' && rest[host_end] != ';')
      ++host_end;
  }
  u.host = rest.substr(0, host_end);
  if (!scan::valid_host(u.host))
    return std::nullopt;
  rest = rest.substr(host_end);
  if (!rest.empty() && rest[0] == ':') {
    std::size_t e = 1;
    while (e < rest.size() && rest[e] != ';')
      ++e;
    if (!parse_port(rest.substr(1, e - 1), u.port))
      return std::nullopt;
    rest = rest.substr(e);
  }
  if (!rest.empty()) {
    if (rest[0] != ';')
      return std::nullopt;
    rest = rest.substr(1);
    if (!chars_ok(rest, param_chars))
      return std::nullopt;
    u.params = param_list(rest);
  }
  u.text = text;
  return u;
}

std::optional<uri> parse_tel(std::string_view text, std::string_view rest, uri u) noexcept {
  const std::size_t semi = rest.find(';');
  u.user = rest.substr(0, semi);
  if (u.user.empty() || !chars_ok(rest, tel_chars))
    return std::nullopt;
  if (semi != std::string_view::npos)
    u.params = param_list(rest.substr(semi + 1));
  u.text = text;
  return u;
}

} // namespace

std::optional<uri> uri::parse(std::string_view text) noexcept {
  uri u;
  std::string_view rest;
  if (text.size() >= 4 && scan::iequals(text.substr(0, 4), "sip:")) {
    u.scheme = scheme_t::sip;
    rest = text.substr(4);
  } else if (text.size() >= 5 && scan::iequals(text.substr(0, 5), "sips:")) {
    u.scheme = scheme_t::sips;
    rest = text.substr(5);
  } else if (text.size() >= 4 && scan::iequals(text.substr(0, 4), "tel:")) {
    u.scheme = scheme_t::tel;
    return parse_tel(text, text.substr(4), u);
  } else {
    return std::nullopt;
  }
  return parse_sip(text, rest, u);
}

bool uri::is_absolute_uri(std::string_view text) noexcept {
  if (text.empty() || !scan::is_alpha(text[0]))
    return false;
  std::size_t i = 1;
  while (i < text.size() &&
         (is_alnum(text[i]) || text[i] == '+' || text[i] == '-' || text[i] == '.'))
    ++i;
  if (i >= text.size() || text[i] != ':')
    return false;
  // uric = reserved / unreserved / escaped
  return chars_ok(text.substr(i + 1), uric_chars);
}

std::string_view uri::transport() const noexcept {
  return params.value("transport");
}

} // namespace ringdown::sip
