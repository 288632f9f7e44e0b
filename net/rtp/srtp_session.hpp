#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct srtp_ctx_t_; // libsrtp2's session context, kept out of this header

namespace ringdown::rtp {

/// The SRTP crypto suites offered and accepted by SDES (RFC 4568 §6.2).
/// Both use AES-128 counter mode and HMAC-SHA1; they differ in the SRTP
/// authentication tag (80 or 32 bits). SRTCP uses an 80-bit tag with both
/// (RFC 4568 §6.2.1, §6.2.2).
enum class srtp_suite : std::uint8_t { aes_cm_128_hmac_sha1_80, aes_cm_128_hmac_sha1_32 };

/// The suite of an `a=crypto` suite name, e.g. `AES_CM_128_HMAC_SHA1_80`
/// (exact, upper case as RFC 4568 registers them); nullopt for any other.
std::optional<srtp_suite> srtp_suite_from_name(std::string_view name) noexcept;
std::string_view to_string(srtp_suite suite) noexcept;

/// Master key (16 bytes) followed by master salt (14 bytes): the decoded
/// `inline:` key of both suites.
inline constexpr std::size_t srtp_key_salt_bytes = 30;
/// SRTP authentication tag length in bytes: 10 for _80, 4 for _32.
std::size_t srtp_tag_bytes(srtp_suite suite) noexcept;
/// The most bytes protect_rtp or protect_rtcp appends to a packet: the SRTCP
/// E flag and index (4) plus an 80-bit tag (10). A buffer handed to protect
/// needs this much room after the packet.
inline constexpr std::size_t srtp_overhead_max = 14;

enum class srtp_direction : std::uint8_t { inbound, outbound };

/// Why the last protect or unprotect returned false.
enum class srtp_failure : std::uint8_t {
  auth,   ///< authentication tag mismatch (forged, corrupt, or wrong key)
  replay, ///< index already seen or older than the replay window
  other,  ///< malformed packet, wrong direction, no room for the tag, ...
};

/// One SRTP/SRTCP crypto context: one per direction per leg, keyed from the
/// leg's SDES `a=crypto` (the remote key for inbound, ours for outbound).
/// Accepts any SSRC (libsrtp2 ssrc_any_inbound / ssrc_any_outbound), a
/// replay window of 128 packets, retransmission of the same index refused.
/// Owned by the leg's media object and used on that leg's media thread
/// only; not thread-safe. Move-only. Packets are transformed in place
/// without allocation (libsrtp2 allocates once per new SSRC seen).
///
/// A failure never disturbs the context: a forged or corrupt packet is
/// dropped by the caller and counted here, and the next good packet passes.
/// Bridging an SRTP leg to a plain RTP leg is the caller's business: it
/// unprotects on one side and forwards the plain packet.
class srtp_session {
public:
  /// nullopt with `error` set (naming the libsrtp2 status) when key_salt is
  /// not srtp_key_salt_bytes long or libsrtp2 refuses the policy.
  static std::optional<srtp_session> create(srtp_suite suite,
                                            std::span<const std::uint8_t> key_salt,
                                            srtp_direction direction,
                                            std::string* error = nullptr);

  srtp_session(srtp_session&&) noexcept = default;
  srtp_session& operator=(srtp_session&&) noexcept = default;
  srtp_session(const srtp_session&) = delete;
  srtp_session& operator=(const srtp_session&) = delete;
  ~srtp_session();

  /// Outbound only. Encrypts buffer[0, length) in place and appends the tag;
  /// needs buffer.size() >= length + srtp_overhead_max. On success `length`
  /// is the SRTP packet length; on failure the buffer is unspecified.
  bool protect_rtp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;
  bool protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;
  /// Inbound only. Authenticates and decrypts buffer[0, length) in place; on
  /// success `length` is the plain packet length. On failure `length` is
  /// unchanged, last_failure() says why and the matching counter grows.
  bool unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;
  bool unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;

  [[nodiscard]] srtp_suite suite() const noexcept { return suite_; }
  [[nodiscard]] srtp_direction direction() const noexcept { return direction_; }
  /// Meaningful after a call returned false.
  [[nodiscard]] srtp_failure last_failure() const noexcept { return last_failure_; }
  /// libsrtp2's name of the last failing status, e.g. `srtp_err_status_auth_fail`.
  [[nodiscard]] std::string_view last_status_name() const noexcept;
  [[nodiscard]] std::uint64_t auth_failures() const noexcept { return auth_failures_; }
  [[nodiscard]] std::uint64_t replay_failures() const noexcept { return replay_failures_; }
  [[nodiscard]] std::uint64_t other_failures() const noexcept { return other_failures_; }

private:
  struct ctx_deleter {
    void operator()(srtp_ctx_t_* ctx) const noexcept;
  };
  enum class op : std::uint8_t { protect_rtp, protect_rtcp, unprotect_rtp, unprotect_rtcp };

  srtp_session(srtp_ctx_t_* ctx, srtp_suite suite, srtp_direction direction) noexcept;
  bool run(op what, std::span<std::uint8_t> buffer, std::size_t& length) noexcept;
  bool fail(srtp_failure why, int status) noexcept;

  std::unique_ptr<srtp_ctx_t_, ctx_deleter> ctx_;
  srtp_suite suite_;
  srtp_direction direction_;
  srtp_failure last_failure_ = srtp_failure::other;
  int last_status_ = 0;
  std::uint64_t auth_failures_ = 0;
  std::uint64_t replay_failures_ = 0;
  std::uint64_t other_failures_ = 0;
};

} // namespace ringdown::rtp
