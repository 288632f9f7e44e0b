#pragma once

#include <string>
#include <string_view>

namespace ringdown::base64 {

/// Base 64 encoding of RFC 4648: the standard alphabet (§4, `+` `/`, as in
/// SDES keys, RFC 4568) or the URL- and filename-safe one (§5, `-` `_`, as
/// in the registrar's nonces). Free functions, no state; any thread.
enum class alphabet : unsigned char { standard, url };

/// Whether `encode` appends `=` to a multiple of four characters (§3.2).
enum class padding : unsigned char { none, pad };

/// `bytes` encoded with `a`, padded or not.
[[nodiscard]] std::string encode(std::string_view bytes, alphabet a, padding p);

/// Decodes unpadded `text` of alphabet `a` into `out` (cleared first).
/// False on any character outside the alphabet (`=` included: a caller that
/// accepts padding strips it first) or a length that no encoding has
/// (length % 4 == 1). Bits left over past the last whole byte are ignored.
[[nodiscard]] bool decode(std::string_view text, alphabet a, std::string& out);

/// The value (0..63) of `c` in alphabet `a`, -1 when it is not in it.
[[nodiscard]] int value_of(char c, alphabet a) noexcept;

} // namespace ringdown::base64
