#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringdown::registrar {

/// Digest algorithms of RFC 7616 §3.3 that the registrar accepts.
enum class digest_algorithm : std::uint8_t { md5, md5_sess, sha256, sha256_sess };

/// The `algorithm` token ("MD5", "SHA-256-sess", ...); case-insensitive
/// parse, nullopt for an algorithm we do not support (e.g. SHA-512-256).
[[nodiscard]] std::optional<digest_algorithm>
parse_algorithm(std::string_view token) noexcept;
[[nodiscard]] std::string_view to_string(digest_algorithm a) noexcept;

/// Credentials of one `Authorization: Digest ...` header (RFC 7616 §3.4),
/// copied out of the message. Plain value.
struct digest_credentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;                               ///< lower-case hex as sent
  digest_algorithm algorithm = digest_algorithm::md5; ///< MD5 when absent
  std::string cnonce;
  std::string qop;     ///< "auth" (only value accepted); empty when absent
  std::string nc_text; ///< 8 hex digits as sent
  std::uint32_t nc = 0;
  std::string opaque;
};

/// Limits on one Authorization header.
inline constexpr std::size_t auth_params_max = 16;
inline constexpr std::size_t auth_value_bytes_max = 512;

/// Why a credentials header was refused.
enum class credentials_error : std::uint8_t {
  none,
  not_digest,        ///< scheme is not Digest (another scheme: ignore it)
  malformed,         ///< grammar, duplicate or over-long parameter
  missing_parameter, ///< username, realm, nonce, uri or response absent
  bad_algorithm,     ///< an algorithm we do not support
  bad_qop,           ///< qop other than auth, or qop without cnonce/nc
};

/// Strict parse of an Authorization header value (RFC 7616 §3.4, RFC 7235
/// auth-param grammar): `Digest` then `name=token|quoted-string` pairs,
/// comma separated; a duplicate name, an unknown algorithm, a qop other
/// than `auth`, a qop without cnonce or an nc that is not 8 hex digits
/// refuse the whole header. `userhash=true` (RFC 7616 §3.4.4) is refused.
[[nodiscard]] std::optional<digest_credentials>
parse_credentials(std::string_view header_value, credentials_error& why);

/// Lower-case hex digest of `data` with the hash of `a` (MD5 or SHA-256).
[[nodiscard]] std::string hash_hex(digest_algorithm a, std::string_view data);

/// The expected `response` (RFC 7616 §3.4.1-§3.4.3) for method `method`:
/// A1 = user:realm:password (for -sess: H(A1):nonce:cnonce), A2 =
/// method:uri, response = KD(H(A1), nonce:nc:cnonce:qop:H(A2)) with
/// qop=auth, or KD(H(A1), nonce:H(A2)) when qop is empty (RFC 2069 form).
[[nodiscard]] std::string expected_response(const digest_credentials& c,
                                            std::string_view password,
                                            std::string_view method);

/// A WWW-Authenticate value: `Digest realm="..", qop="auth",
/// algorithm=<a>, nonce="..", opaque=".."[, stale=true]` (RFC 7616 §3.3).
[[nodiscard]] std::string make_challenge(std::string_view realm, std::string_view nonce,
                                         std::string_view opaque, digest_algorithm a,
                                         bool stale);

/// Compares in time that depends only on the lengths (not on where the
/// first difference is).
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

} // namespace ringdown::registrar
