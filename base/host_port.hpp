#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ringdown {

/// Appends `host:port`, bracketing an IPv6 literal (`[::1]:5060`), the form
/// logs, Via sent-by and listen addresses share.
inline void append_host_port(std::string& out, std::string_view host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  if (v6)
    out += '[';
  out += host;
  if (v6)
    out += ']';
  out += ':';
  out += std::to_string(port);
}

/// Parses "host:port" (IPv4 literal, or IPv6 literal in brackets, port
/// 1..65535) into `host` (without brackets) and `port`; false when it is
/// not that. Host names are refused: listen and member addresses are IP
/// literals.
bool split_host_port(std::string_view text, std::string& host, std::uint16_t& port);

} // namespace ringdown
