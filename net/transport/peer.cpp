#include "net/transport/peer.hpp"

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

std::string_view strip_brackets(std::string_view host) noexcept {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    return host.substr(1, host.size() - 2);
  return host;
}

} // namespace ringdown::transport
