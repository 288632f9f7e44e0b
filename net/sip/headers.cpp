#include "net/sip/headers.hpp"

#include "net/sip/header_params.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::sip {

using scan::is_lws;
using scan::trim;
using scan::trim_left;

namespace {

// Reads a token at the start of `s`; returns it and leaves `s` after it.
std::string_view take_token(std::string_view& s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && scan::is_token(s[i]))
    ++i;
  const std::string_view t = s.substr(0, i);
  s = s.substr(i);
  return t;
}

// Reads an expected separator with optional LWS around it.
bool take_sep(std::string_view& s, char c) noexcept {
  s = trim_left(s);
  if (s.empty() || s[0] != c)
    return false;
  s = trim_left(s.substr(1));
  return true;
}

// Splits `s` at its first unquoted ';': the head and the params text.
void split_params(std::string_view s, std::string_view& head, param_list& params) noexcept {
  const std::size_t semi = scan::find_unquoted(s, ';');
  head = trim(s.substr(0, semi));
  params = semi == std::string_view::npos ? param_list{} : param_list(s.substr(semi + 1));
}

} // namespace

std::optional<std::uint16_t> via::rport() const noexcept {
  const auto p = params.find("rport");
  if (!p || !p->has_value)
    return std::nullopt;
  const auto v = scan::to_uint(p->value, 65535);
  if (!v)
    return std::nullopt;
  return static_cast<std::uint16_t>(*v);
}

std::optional<via> via::parse(std::string_view value) noexcept {
  via v;
  std::string_view s = trim(value);
  const char* const proto_begin = s.data();
  if (take_token(s).empty() || !take_sep(s, '/') || take_token(s).empty())
    return std::nullopt;
  v.protocol =
      std::string_view(proto_begin, static_cast<std::size_t>(s.data() - proto_begin));
  v.protocol = scan::trim_right(v.protocol);
  if (!take_sep(s, '/'))
    return std::nullopt;
  v.transport = take_token(s);
  if (v.transport.empty() || s.empty() || !is_lws(s[0]))
    return std::nullopt;
  s = trim_left(s);
  // sent-by = host [ COLON port ]
  std::size_t e = 0;
  if (!s.empty() && s[0] == '[') {
    e = s.find(']');
    if (e == std::string_view::npos)
      return std::nullopt;
    ++e;
  } else {
    while (e < s.size() && s[e] != ':' && s[e] != ';' && !is_lws(s[e]))
      ++e;
  }
  v.host = s.substr(0, e);
  if (!scan::valid_host(v.host))
    return std::nullopt;
  s = trim_left(s.substr(e));
  if (!s.empty() && s[0] == ':') {
    s = trim_left(s.substr(1));
    std::size_t d = 0;
    while (d < s.size() && scan::is_digit(s[d]))
      ++d;
    const auto port = scan::to_uint(s.substr(0, d), 65535);
    if (!port)
      return std::nullopt;
    v.port = static_cast<std::uint16_t>(*port);
    s = trim_left(s.substr(d));
  }
  if (!s.empty()) {
    if (s[0] != ';')
      return std::nullopt;
    v.params = param_list(s.substr(1));
    if (!detail::params_ok(v.params.text()))
      return std::nullopt;
  }
  return v;
}

std::optional<name_addr> name_addr::parse(std::string_view value) noexcept {
  name_addr n;
  std::string_view s = trim(value);
  if (s.empty())
    return std::nullopt;
  std::string_view after; // text after the URI
  if (s[0] == '"' || s.find('<') != std::string_view::npos) {
    // name-addr = [ display-name ] LAQUOT addr-spec RAQUOT
    std::size_t lt = 0;
    if (s[0] == '"') {
      std::size_t i = 1;
      for (; i < s.size(); ++i) {
        if (s[i] == '\\')
          ++i;
        else if (s[i] == '"')
          break;
      }
      if (i >= s.size())
        return std::nullopt; // unterminated quoted-string
      n.display_name = s.substr(1, i - 1);
      s = trim_left(s.substr(i + 1));
      if (s.empty() || s[0] != '<')
        return std::nullopt;
    } else {
      // display-name = *(token LWS); read liberally (RFC 4475 §3.1.2.15:
      // an element may infer the missing quotes) up to the '<'.
      lt = s.find('<');
      const std::string_view dn = scan::trim_right(s.substr(0, lt));
      for (char c : dn)
        if (c == '"' || c == '>')
          return std::nullopt;
      n.display_name = dn;
      s = s.substr(lt);
    }
    const std::size_t gt = s.find('>');
    if (gt == std::string_view::npos)
      return std::nullopt;
    n.uri_text = trim(s.substr(1, gt - 1));
    after = trim_left(s.substr(gt + 1));
  } else {
    // addr-spec: the URI ends at the first ';' (RFC 3261 §20.10).
    const std::size_t semi = s.find(';');
    n.uri_text = scan::trim_right(s.substr(0, semi));
    after = semi == std::string_view::npos ? std::string_view{} : s.substr(semi);
  }
  if (n.uri_text.empty())
    return std::nullopt;
  if (auto u = uri::parse(n.uri_text)) {
    n.uri = *u;
  } else if (uri::is_absolute_uri(n.uri_text) &&
             !scan::iequals(n.uri_text.substr(0, 3), "sip") &&
             !scan::iequals(n.uri_text.substr(0, 4), "tel:")) {
    n.uri = sip::uri{};
    n.uri.scheme = uri::scheme_t::other;
    n.uri.text = n.uri_text;
  } else {
    return std::nullopt;
  }
  if (!after.empty()) {
    if (after[0] != ';')
      return std::nullopt;
    n.params = param_list(after.substr(1));
    if (!detail::params_ok(n.params.text()))
      return std::nullopt;
  }
  return n;
}

std::optional<double> contact::q() const noexcept {
  const auto p = address.params.find("q");
  if (!p || !p->has_value)
    return std::nullopt;
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  const std::string_view v = p->value;
  if (v.empty() || (v[0] != '0' && v[0] != '1'))
    return std::nullopt;
  double r = v[0] - '0';
  if (v.size() > 1) {
    if (v[1] != '.' || v.size() > 5)
      return std::nullopt;
    double scale = 0.1;
    for (std::size_t i = 2; i < v.size(); ++i) {
      if (!scan::is_digit(v[i]))
        return std::nullopt;
      r += (v[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (r > 1.0)
    return std::nullopt;
  return r;
}

std::optional<std::uint32_t> contact::expires() const noexcept {
  const auto p = address.params.find("expires");
  if (!p || !p->has_value)
    return std::nullopt;
  const auto v = scan::to_uint(p->value, 0xFFFFFFFFu);
  if (!v)
    return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::optional<contact> contact::parse(std::string_view value) noexcept {
  contact c;
  if (trim(value) == "*") {
    c.star = true;
    return c;
  }
  auto n = name_addr::parse(value);
  if (!n)
    return std::nullopt;
  c.address = *n;
  return c;
}

std::optional<cseq> cseq::parse(std::string_view value) noexcept {
  cseq c;
  std::string_view s = trim(value);
  std::size_t d = 0;
  while (d < s.size() && scan::is_digit(s[d]))
    ++d;
  // RFC 3261 §8.1.1.5: the sequence number is below 2**31.
  const auto n = scan::to_uint(s.substr(0, d), 0x7FFFFFFFu);
  if (!n || d == s.size() || !is_lws(s[d]))
    return std::nullopt;
  c.number = static_cast<std::uint32_t>(*n);
  c.method_text = trim(s.substr(d));
  if (!scan::all_token(c.method_text))
    return std::nullopt;
  c.method = method_from(c.method_text);
  return c;
}

std::optional<std::string_view> auth_header::param(std::string_view name) const noexcept {
  std::string_view rest = params;
  while (!rest.empty()) {
    const std::string_view el = trim(scan::next_element(rest));
    const std::size_t eq = el.find('=');
    if (eq == std::string_view::npos)
      continue;
    if (!scan::iequals(scan::trim_right(el.substr(0, eq)), name))
      continue;
    std::string_view v = trim_left(el.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
      v = v.substr(1, v.size() - 2);
    return v;
  }
  return std::nullopt;
}

std::optional<auth_header> auth_header::parse(std::string_view value) noexcept {
  auth_header a;
  std::string_view s = trim(value);
  a.scheme = take_token(s);
  if (a.scheme.empty() || (!s.empty() && !is_lws(s[0])))
    return std::nullopt;
  a.params = trim(s);
  return a;
}

std::optional<token_params> token_params::parse(std::string_view value) noexcept {
  token_params t;
  split_params(value, t.value, t.params);
  if (t.value.empty())
    return std::nullopt;
  return t;
}

} // namespace ringdown::sip
