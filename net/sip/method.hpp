#pragma once

#include <cstdint>
#include <string_view>

namespace ringdown::sip {

/// SIP request methods known to Ringdown (RFC 3261 and extensions). Anything
/// else parses as `method::unknown` and keeps its text in the message.
enum class method : std::uint8_t {
  unknown,
  invite,    // RFC 3261
  ack,       // RFC 3261
  bye,       // RFC 3261
  cancel,    // RFC 3261
  options,   // RFC 3261
  register_, // RFC 3261
  prack,     // RFC 3262
  subscribe, // RFC 6665
  notify,    // RFC 6665
  publish,   // RFC 3903
  info,      // RFC 6086
  refer,     // RFC 3515
  message,   // RFC 3428
  update,    // RFC 3311
};

/// Method from its token; method names are case-sensitive (RFC 3261 §7.1).
method method_from(std::string_view token) noexcept;
/// Canonical token of a known method; "" for unknown.
std::string_view to_string(method m) noexcept;

} // namespace ringdown::sip
