#pragma once

#include <string_view>

/// Grammar check of header parameter lists, shared by the typed header
/// parsers (headers.cpp). Pure functions.
namespace ringdown::sip::detail {

/// True when `text` (after the first ';') is `token [= token / host /
/// quoted-string]` elements separated by ';', LWS allowed around ';' and '='.
bool params_ok(std::string_view text) noexcept;

} // namespace ringdown::sip::detail
