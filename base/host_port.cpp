#include "base/host_port.hpp"

#include <arpa/inet.h>
#include <charconv>

namespace ringdown {

bool split_host_port(std::string_view text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return false;
  auto h = text.substr(0, colon);
  const auto p = text.substr(colon + 1);
  int family = AF_INET;
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']')
      return false;
    h = h.substr(1, h.size() - 2);
    family = AF_INET6;
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc{} || end != p.data() + p.size() || value == 0 || value > 65535)
    return false;
  const std::string literal{h};
  unsigned char parsed[sizeof(in6_addr)];
  if (::inet_pton(family, literal.c_str(), parsed) != 1)
    return false;
  host = literal;
  port = static_cast<std::uint16_t>(value);
  return true;
}

} // namespace ringdown
