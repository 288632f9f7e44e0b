#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "net/sip/uri.hpp"

namespace ringdown::transport {

/// Transport protocol of a listener, a connection or a destination.
using protocol = config::listen_address::protocol;

/// "UDP", "TCP" or "TLS", as written in a Via (RFC 3261 §20.42).
std::string_view to_string(protocol p) noexcept;
/// True for TCP and TLS (RFC 3261 §18: reliable transports).
constexpr bool is_reliable(protocol p) noexcept {
  return p != protocol::udp;
}
/// 5060 for UDP/TCP, 5061 for TLS (RFC 3261 §19.1.2).
constexpr std::uint16_t default_port(protocol p) noexcept {
  return p == protocol::tls ? 5061 : 5060;
}

/// A transport address: where a message came from or goes to. Plain data,
/// copied freely. `host` is an IP literal without brackets (or, for a
/// destination taken from a Via, possibly a host name).
struct peer {
  protocol proto = protocol::udp;
  std::string host;
  std::uint16_t port = 0;
  /// Stream transports: the connection the message arrived on or should
  /// leave on; 0 for none (UDP, or "open or reuse one to host:port").
  std::uint64_t connection_id = 0;

  [[nodiscard]] std::string to_string() const;
};

/// The destination a request to `target` goes to, without DNS: the URI's
/// host must be an IP literal (IPv4 or [IPv6]); a host name gives nullopt
/// (RFC 3263 resolution is out of scope), as do tel URIs and an unknown
/// `transport=` value. Protocol: TLS for sips, else `transport=` (udp, tcp,
/// tls; UDP when absent). Port: the URI's, else 5060 (5061 for TLS).
/// `maddr` is not honoured. Pure.
std::optional<peer> peer_for(const sip::uri& target);

/// `host` without the brackets of an IPv6 reference.
std::string_view strip_brackets(std::string_view host) noexcept;

} // namespace ringdown::transport
