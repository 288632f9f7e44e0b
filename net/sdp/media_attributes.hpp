#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/sdp/session.hpp"

namespace ringdown::sdp {

/// `a=rtcp:<port> [<nettype> <addrtype> <address>]` (RFC 3605 §2.1).
struct rtcp_attribute {
  std::uint16_t port = 0;
  std::optional<connection> address;
  bool operator==(const rtcp_attribute&) const = default;
};

std::optional<rtcp_attribute> parse_rtcp(std::string_view value);
std::string to_string(const rtcp_attribute& r);

/// The a=rtcp of `m`, if present and well-formed.
std::optional<rtcp_attribute> find_rtcp(const media& m);
/// `a=rtcp-mux` (RFC 5761 §5.1.1) is present.
bool has_rtcp_mux(const media& m) noexcept;
/// `a=ptime` (RFC 8866 §6.4), in milliseconds; fractional values round down.
std::optional<std::uint32_t> ptime_ms(const media& m);
/// `a=maxptime` (RFC 8866 §6.5), in milliseconds.
std::optional<std::uint32_t> maxptime_ms(const media& m);

/// Removes every attribute of `m` called `name`.
void remove_attributes(media& m, std::string_view name);

} // namespace ringdown::sdp
