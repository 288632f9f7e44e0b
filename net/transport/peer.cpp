#include "net/transport/peer.hpp"

#include <arpa/inet.h>
#include <array>
#include <cctype>

#include "base/host_port.hpp"

namespace ringdown::transport {

std::string_view to_string(protocol p) noexcept {
  switch (p) {
  case protocol::udp:
    return "UDP";
  case protocol::tcp:
    return "TCP";
  case protocol::tls:
    return "TLS";
  }
  return "UDP";
}

std::string peer::to_string() const {
  std::string out{transport::to_string(proto)};
  out += ':';
  append_host_port(out, host, port);
  return out;
}

namespace {

bool ieq(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto ca = static_cast<unsigned char>(a[i]);
    const auto cb = static_cast<unsigned char>(b[i]);
    if (std::tolower(ca) != std::tolower(cb))
      return false;
  }
  return true;
}

/// True for an IPv4 literal, or an IPv6 one when `v6`.
bool is_ip_literal(std::string_view host, bool v6) {
  std::array<char, 64> text{};
  if (host.empty() || host.size() >= text.size())
    return false;
  host.copy(text.data(), host.size());
  std::array<unsigned char, 16> binary{};
  return inet_pton(v6 ? AF_INET6 : AF_INET, text.data(), binary.data()) == 1;
}

} // namespace

std::optional<peer> peer_for(const sip::uri& target) {
  using scheme = sip::uri::scheme_t;
  if (target.scheme != scheme::sip && target.scheme != scheme::sips)
    return std::nullopt;
  const bool v6 = target.is_ipv6();
  const auto host = strip_brackets(target.host);
  if (!is_ip_literal(host, v6))
    return std::nullopt; // a host name: needs RFC 3263, not done here
  peer out;
  const auto t = target.transport();
  if (target.scheme == scheme::sips || ieq(t, "tls"))
    out.proto = protocol::tls;
  else if (t.empty() || ieq(t, "udp"))
    out.proto = protocol::udp;
  else if (ieq(t, "tcp"))
    out.proto = protocol::tcp;
  else
    return std::nullopt; // sctp, ws...: not served
  out.host = std::string{host};
  out.port = target.has_port() ? target.port : default_port(out.proto);
  return out;
}

std::string_view strip_brackets(std::string_view host) noexcept {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    return host.substr(1, host.size() - 2);
  return host;
}

} // namespace ringdown::transport
