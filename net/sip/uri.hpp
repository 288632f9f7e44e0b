#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/sip/params.hpp"

namespace ringdown::sip {

/// A parsed SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966). Zero-copy: every
/// view points into the text it was parsed from, which must outlive it.
/// Escapes (%HH) are kept as written; comparison unescapes.
struct uri {
  /// `other`: any absoluteURI scheme (RFC 3261 §25.1), only produced by
  /// name_addr::parse (From/To/Contact may carry one, RFC 4475 §3.3.4);
  /// then only `text` is set. uri::parse never returns it.
  enum class scheme_t : std::uint8_t { sip, sips, tel, other };

  scheme_t scheme = scheme_t::sip;
  std::string_view user;     ///< userinfo user part (sip/sips); the number (tel)
  std::string_view password; ///< rarely present; empty when absent
  std::string_view host;     ///< hostname, IPv4, or IPv6 reference *with* brackets
  std::uint16_t port = 0;    ///< 0 when absent
  param_list params;         ///< `;name=value` uri-parameters
  std::string_view headers;  ///< text after '?', without it; empty when absent
  std::string_view text;     ///< the whole URI as written

  [[nodiscard]] bool has_port() const noexcept { return port != 0; }
  [[nodiscard]] bool is_ipv6() const noexcept { return host.starts_with('['); }
  /// `transport` parameter (lower-case compared), empty when absent.
  [[nodiscard]] std::string_view transport() const noexcept;
  [[nodiscard]] bool has_lr() const noexcept { return params.contains("lr"); }

  /// Parses `text`; nullopt when it is not a well-formed sip/sips/tel URI.
  static std::optional<uri> parse(std::string_view text) noexcept;
  /// True when `text` is an RFC 3261 absoluteURI (`scheme:` + uric chars).
  static bool is_absolute_uri(std::string_view text) noexcept;
};

/// URI equivalence per RFC 3261 §19.1.4 (sip/sips) and RFC 3966 §4 (tel):
/// scheme, case-sensitive user and password, case-insensitive host, explicit
/// port vs default differ, the user/ttl/method/maddr/transport parameters
/// must match when present in either, other parameters only when in both,
/// headers all must match; %HH escapes compared unescaped.
bool equivalent(const uri& a, const uri& b);

} // namespace ringdown::sip
