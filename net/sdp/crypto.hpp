#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.hpp"
#include "net/sdp/session.hpp"

namespace ringdown::sdp {

/// One key-param of `a=crypto` (RFC 4568 §9.2):
/// `inline:<base64 key||salt>[|<lifetime>][|<MKI>:<MKI length>]`.
struct crypto_key {
  std::string method = "inline";
  std::string key_salt;                ///< base64 text, as written
  std::optional<std::string> lifetime; ///< `2^31` or decimal digits
  std::optional<std::uint32_t> mki_value;
  std::optional<std::uint32_t> mki_length; ///< bytes, 1..128
  bool operator==(const crypto_key&) const = default;
};

/// `a=crypto:<tag> <suite> <key-params> [<session-params>]` (RFC 4568 §9.1),
/// SDP Security Descriptions for SRTP. Carried to the media plane as parsed.
struct crypto {
  std::uint32_t tag = 1; ///< 1..999999999
  std::string suite;     ///< e.g. AES_CM_128_HMAC_SHA1_80
  std::vector<crypto_key> keys;
  std::vector<std::string> session_params; ///< e.g. UNENCRYPTED_SRTCP, KDR=1
  bool operator==(const crypto&) const = default;
};

std::optional<crypto> parse_crypto(std::string_view value);
/// The attribute value, e.g. `1 AES_CM_128_HMAC_SHA1_80 inline:...|2^20|1:4`.
std::string to_string(const crypto& c);
/// Every well-formed `a=crypto` of `m`, in order (malformed ones skipped).
std::vector<crypto> media_cryptos(const media& m);

/// Master key plus master salt length in bytes of a known suite (RFC 4568
/// §6.2, RFC 6188, RFC 7714); nullopt for a suite this code does not know.
std::optional<std::size_t> key_salt_bytes(std::string_view suite) noexcept;
/// True when `key_salt` decodes and has the length `suite` needs.
bool key_fits_suite(const crypto_key& key, std::string_view suite);

/// A fresh base64 key||salt of the length `suite` needs (30 bytes when the
/// suite is unknown), from the cryptographic generator (secure_random):
/// never from an `rng`, whose outputs go on the wire as tags and SSRCs.
std::string random_key_salt(std::string_view suite);

std::string base64_encode(const std::uint8_t* data, std::size_t size);
/// Standard alphabet with padding; nullopt on any other character.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

} // namespace ringdown::sdp
