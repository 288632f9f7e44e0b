#include "config/config.hpp"

#include <charconv>

namespace ringdown::config {

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
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
      return false;
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const auto last = rest.rfind(':');
    if (last == std::string_view::npos || rest.substr(0, last).find(':') != std::string_view::npos)
      return false;
    host = rest.substr(0, last);
    port = rest.substr(last + 1);
  }
  if (host.empty() || port.empty())
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
  std::string out = proto == protocol::udp ? "udp:" : proto == protocol::tcp ? "tcp:" : "tls:";
  const bool v6 = host.find(':') != std::string::npos;
  if (v6)
    out += '[';
  out += host;
  if (v6)
    out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

} // namespace ringdown::config
