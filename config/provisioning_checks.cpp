#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <charconv>
#include <netinet/in.h>

#include "config/provisioning.hpp"
#include "config/provisioning_layout.hpp"

namespace ringdown::config {

namespace {

constexpr std::size_t uri_user_bytes_max = 64;
constexpr std::size_t host_bytes_max = 253;
constexpr std::size_t label_bytes_max = 63;

char lower(char ch) noexcept {
  return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
}

std::string lowered(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

bool is_alnum(char ch) noexcept {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

bool is_hex(char ch) noexcept {
  return (ch >= '0' && ch <= '9') || (lower(ch) >= 'a' && lower(ch) <= 'f');
}

/// RFC 3261 §25.1 `user` without `;`, `?` and `/` (so that parameters and
/// headers can be told apart): unreserved, `&=+$,` and %-escapes.
bool is_user(std::string_view user) noexcept {
  static constexpr std::string_view marks = "-_.!~*'()&=+$,";
  for (std::size_t i = 0; i < user.size(); ++i) {
    const char ch = user[i];
    if (ch == '%') {
      if (i + 2 >= user.size() || !is_hex(user[i + 1]) || !is_hex(user[i + 2]))
        return false;
      i += 2;
    } else if (!is_alnum(ch) && marks.find(ch) == std::string_view::npos) {
      return false;
    }
  }
  return !user.empty();
}

bool is_dns_name(std::string_view host) noexcept {
  if (host.empty() || host.size() > host_bytes_max)
    return false;
  std::size_t start = 0;
  while (start <= host.size()) {
    const auto dot = std::min(host.find('.', start), host.size());
    const auto label = host.substr(start, dot - start);
    if (label.empty() || label.size() > label_bytes_max || label.front() == '-' ||
        label.back() == '-' || !std::all_of(label.begin(), label.end(), [](char ch) {
          return is_alnum(ch) || ch == '-';
        }))
      return false;
    start = dot + 1;
  }
  // A name of digits and dots only must be a valid IPv4 literal instead.
  return !std::all_of(host.begin(), host.end(),
                      [](char ch) { return ch == '.' || (ch >= '0' && ch <= '9'); });
}

/// `host[:port]` split; false when the brackets or the port are malformed.
bool split_host_port(std::string_view text, std::string_view& host, std::string_view& port,
                     bool& bracketed) noexcept {
  bracketed = text.starts_with('[');
  std::string_view rest;
  if (bracketed) {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return false;
    host = text.substr(1, close - 1);
    rest = text.substr(close + 1);
  } else {
    const auto colon = text.find(':');
    host = text.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon);
  }
  if (rest.empty()) {
    port = {};
    return true;
  }
  if (rest.front() != ':')
    return false;
  port = rest.substr(1);
  return true;
}

bool is_port(std::string_view port) noexcept {
  unsigned value = 0;
  const auto* end = port.data() + port.size();
  const auto [ptr, ec] = std::from_chars(port.data(), end, value);
  return !port.empty() && port.size() <= 5 && ec == std::errc{} && ptr == end &&
         value >= 1 && value <= 65535;
}

template <typename E, std::size_t N>
bool parse_enum(std::string_view text, const std::array<std::string_view, N>& names,
                E& out) noexcept {
  const auto at = std::find(names.begin(), names.end(), text);
  if (at == names.end())
    return false;
  out = static_cast<E>(at - names.begin());
  return true;
}

constexpr std::array<std::string_view, 4> kind_names{"turret", "phone", "softphone",
                                                     "gateway"};
constexpr std::array<std::string_view, 2> hold_names{"open", "private"};
constexpr std::array<std::string_view, 3> transport_names{"udp", "tcp", "tls"};

} // namespace

bool is_ip_literal(std::string_view host) {
  if (host.empty() || host.size() > INET6_ADDRSTRLEN)
    return false;
  const std::string text{host};
  in6_addr buffer{};
  const int family = text.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  return inet_pton(family, text.c_str(), &buffer) == 1;
}

std::optional<std::string> canonical_uri(std::string_view uri) {
  const auto colon = uri.find(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  auto scheme = lowered(uri.substr(0, colon));
  if (scheme != "sip" && scheme != "sips")
    return std::nullopt;
  auto rest = uri.substr(colon + 1);
  const auto at = rest.find('@');
  if (at == 0 || at == std::string_view::npos)
    return std::nullopt;
  const auto user = rest.substr(0, at);
  auto host_port = rest.substr(at + 1);
  host_port = host_port.substr(0, host_port.find_first_of(";?>"));
  std::string_view host;
  std::string_view port;
  bool bracketed = false;
  if (!split_host_port(host_port, host, port, bracketed) || host.empty())
    return std::nullopt;
  std::string out = scheme + ':' + std::string{user} + '@';
  out += bracketed ? '[' + lowered(host) + ']' : lowered(host);
  if (!port.empty())
    out += ':' + std::string{port};
  return out;
}

std::string check_provisioned_uri(std::string_view uri) {
  const auto bad = [&](std::string_view why) {
    return layout::quoted(uri) + " is not sip:user@host[:port] (" + std::string{why} + ")";
  };
  std::string_view rest;
  if (uri.starts_with("sip:"))
    rest = uri.substr(4);
  else if (uri.starts_with("sips:"))
    rest = uri.substr(5);
  else
    return bad("scheme must be sip: or sips:");
  const auto at = rest.find('@');
  if (at == std::string_view::npos)
    return bad("no user part");
  if (at > uri_user_bytes_max)
    return bad("user part longer than " + std::to_string(uri_user_bytes_max) + " bytes");
  if (!is_user(rest.substr(0, at)))
    return bad("user must be letters, digits, -_.!~*'()&=+$, or %HH");
  const auto host_port = rest.substr(at + 1);
  if (host_port.find_first_of(";?<>@ ") != std::string_view::npos)
    return bad("no parameters or headers");
  std::string_view host;
  std::string_view port;
  bool bracketed = false;
  if (!split_host_port(host_port, host, port, bracketed))
    return bad("malformed host");
  if (bracketed ? !(host.find(':') != std::string_view::npos && is_ip_literal(host))
                : !(is_dns_name(host) ||
                    (host.find(':') == std::string_view::npos && is_ip_literal(host))))
    return bad("host must be a DNS name or an IP literal, IPv6 in brackets");
  if (host_port.size() > (bracketed ? host.size() + 2 : host.size()) && !is_port(port))
    return bad("port must be 1..65535");
  return {};
}

std::string_view to_string(resource_kind kind) noexcept {
  const auto i = static_cast<std::size_t>(kind);
  return i < kind_names.size() ? kind_names[i] : "?";
}
std::string_view to_string(hold_policy policy) noexcept {
  const auto i = static_cast<std::size_t>(policy);
  return i < hold_names.size() ? hold_names[i] : "?";
}
std::string_view to_string(trunk_transport transport) noexcept {
  const auto i = static_cast<std::size_t>(transport);
  return i < transport_names.size() ? transport_names[i] : "?";
}
bool parse_resource_kind(std::string_view text, resource_kind& out) noexcept {
  return parse_enum(text, kind_names, out);
}
bool parse_hold_policy(std::string_view text, hold_policy& out) noexcept {
  return parse_enum(text, hold_names, out);
}
bool parse_trunk_transport(std::string_view text, trunk_transport& out) noexcept {
  return parse_enum(text, transport_names, out);
}

} // namespace ringdown::config
