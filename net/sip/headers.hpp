#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "net/sip/method.hpp"
#include "net/sip/params.hpp"
#include "net/sip/uri.hpp"

/// Typed views of header values. Each is a parse of one header value (one
/// element of a comma list); every view points into the message buffer and
/// lives as long as the message. `parse` returns nullopt on a grammar error.
namespace ringdown::sip {

/// Via (RFC 3261 §20.42, §18.2.1; RFC 3581 rport).
struct via {
  std::string_view protocol;  ///< "SIP/2.0"
  std::string_view transport; ///< "UDP", "TCP", "TLS", ... as written
  std::string_view host;      ///< sent-by host; IPv6 with brackets
  std::uint16_t port = 0;     ///< sent-by port, 0 when absent
  param_list params;

  [[nodiscard]] std::string_view branch() const noexcept { return params.value("branch"); }
  [[nodiscard]] std::string_view received() const noexcept {
    return params.value("received");
  }
  [[nodiscard]] std::string_view maddr() const noexcept { return params.value("maddr"); }
  /// rport: absent, present without value (request it), or with a port.
  [[nodiscard]] bool has_rport() const noexcept { return params.contains("rport"); }
  [[nodiscard]] std::optional<std::uint16_t> rport() const noexcept;
  static std::optional<via> parse(std::string_view value) noexcept;
};

/// name-addr / addr-spec with header parameters: From, To, Contact, Route,
/// Record-Route, Refer-To, Referred-By, P-Asserted-Identity (RFC 3261 §20).
struct name_addr {
  std::string_view display_name; ///< without quotes; empty when absent
  std::string_view uri_text;     ///< the URI between <> or the bare addr-spec
  sip::uri uri;
  param_list params; ///< header params after the URI (tag, q, expires...)

  [[nodiscard]] std::string_view tag() const noexcept { return params.value("tag"); }
  static std::optional<name_addr> parse(std::string_view value) noexcept;
};

/// Contact (RFC 3261 §20.10): `*` or a name-addr with q and expires.
struct contact {
  bool star = false;
  name_addr address;
  [[nodiscard]] std::optional<double> q() const noexcept;
  [[nodiscard]] std::optional<std::uint32_t> expires() const noexcept;
  static std::optional<contact> parse(std::string_view value) noexcept;
};

/// CSeq (RFC 3261 §20.16).
struct cseq {
  std::uint32_t number = 0;
  sip::method method = sip::method::unknown;
  std::string_view method_text;
  static std::optional<cseq> parse(std::string_view value) noexcept;
};

/// Authorization, Proxy-Authorization, WWW-Authenticate, Proxy-Authenticate
/// (RFC 3261 §20.7, RFC 7616/8760): scheme and comma-separated auth-params.
struct auth_header {
  std::string_view scheme; ///< "Digest"
  std::string_view params; ///< raw auth-param list
  /// Value of auth-param `name` (case-insensitive), quotes removed.
  [[nodiscard]] std::optional<std::string_view> param(std::string_view name) const noexcept;
  static std::optional<auth_header> parse(std::string_view value) noexcept;
};

/// A token with parameters: Event, Subscription-State, Session-Expires,
/// Content-Type (type/subtype;params), Replaces (call-id;to-tag;from-tag),
/// Reason (protocol;cause;text), Call-Info (<uri>;purpose) use this shape.
struct token_params {
  std::string_view value; ///< the part before the first ';' (trimmed)
  param_list params;
  static std::optional<token_params> parse(std::string_view value) noexcept;
};

} // namespace ringdown::sip
