#include <arpa/inet.h>
#include <charconv>
#include <netinet/in.h>

#include "base/host_port.hpp"
#include "config/config.hpp"

namespace ringdown::config {

namespace {

bool is_ip_literal(std::string_view host, bool v6) {
  if (host.size() > INET6_ADDRSTRLEN)
    return false;
  const std::string text{host};
  in6_addr buffer{};
  return inet_pton(v6 ? AF_INET6 : AF_INET, text.c_str(), &buffer) == 1;
}

} // namespace

bool listen_address::parse(std::string_view text, listen_address& out) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return false;
  const auto proto = text.substr(0, colon);
  if (proto == "udp")
    out.proto = protocol::udp;
  else if (proto == "tcp")
    out.proto = protocol::tcp;
  else if (proto == "tls")
    out.proto = protocol::tls;
  else
    return false;
  auto rest = text.substr(colon + 1);
  std::string_view host;
  std::string_view port;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() ||
        rest[close + 1] != ':')
      return false;
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const auto last = rest.rfind(':');
    if (last == std::string_view::npos ||
        rest.substr(0, last).find(':') != std::string_view::npos)
      return false;
    host = rest.substr(0, last);
    port = rest.substr(last + 1);
  }
  if (host.empty() || port.empty() || !is_ip_literal(host, rest.starts_with('[')))
    return false;
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || ptr != port.data() + port.size() || value == 0 || value > 65535)
    return false;
  out.host = std::string{host};
  out.port = static_cast<std::uint16_t>(value);
  return true;
}

std::string listen_address::to_string() const {
  std::string out = proto == protocol::udp   ? "udp:"
                    : proto == protocol::tcp ? "tcp:"
                                             : "tls:";
  append_host_port(out, host, port);
  return out;
}

} // namespace ringdown::config
