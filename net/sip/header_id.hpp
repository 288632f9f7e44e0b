#pragma once

#include <cstdint>
#include <string_view>

namespace ringdown::sip {

/// Headers the message model knows by name (RFC 3261 §20 and extensions),
/// including compact forms (RFC 3261 §7.3.3). Anything else is `other` and
/// is kept byte for byte.
enum class header_id : std::uint8_t {
  other,
  accept,
  allow,
  authorization,
  call_id, // i
  call_info,
  contact,          // m
  content_encoding, // e
  content_length,   // l
  content_type,     // c
  cseq,
  event, // o  (RFC 6665)
  expires,
  from, // f
  max_forwards,
  min_expires,
  p_asserted_identity, // RFC 3325
  proxy_authenticate,
  proxy_authorization,
  proxy_require,
  reason, // RFC 3326
  record_route,
  refer_to,    // r  (RFC 3515)
  referred_by, // b  (RFC 3892)
  replaces,    // RFC 3891
  require,
  route,
  server,
  session_expires,    // x  (RFC 4028)
  min_se,             // RFC 4028
  subject,            // s
  subscription_state, // RFC 6665
  supported,          // k
  to,                 // t
  unsupported,
  user_agent,
  via, // v
  www_authenticate,
  allow_events, // u
  count_,       ///< number of ids; not a header
};

/// Id of a header name (case-insensitive, long or compact form).
header_id header_id_from(std::string_view name) noexcept;
/// Canonical long name, e.g. "Call-ID"; "" for `other`.
std::string_view canonical_name(header_id id) noexcept;
/// True for headers whose value is a comma-separated list (RFC 3261 §7.3.1)
/// that the typed accessors split: Via, Contact, Route, Record-Route, ...
bool is_list_header(header_id id) noexcept;

} // namespace ringdown::sip
