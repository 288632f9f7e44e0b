#pragma once

#include <optional>
#include <string_view>

/// DTMF by SIP INFO (RFC 6086 "legacy" INFO, without an Info Package), as
/// hard phones configured for it send it: application/dtmf-relay
/// ("Signal=5\r\nDuration=160\r\n", the format most phones use) or
/// application/dtmf (the digit alone). Pure functions.
namespace ringdown::sip {

/// True when `content_type` (parameters allowed) is one of the two DTMF
/// bodies.
[[nodiscard]] bool is_dtmf_info(std::string_view content_type) noexcept;

/// The digit of a DTMF INFO body: 0-9, '*', '#', 'A'-'D' (letters given in
/// either case; "10" and "11" are '*' and '#', as some devices send them).
/// nullopt when the body names no digit, or the content type is not DTMF.
[[nodiscard]] std::optional<char> dtmf_info_digit(std::string_view content_type,
                                                  std::string_view body) noexcept;

} // namespace ringdown::sip
