#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.hpp"
#include "base/random.hpp"

namespace ringdown::registrar {

/// Outcome of checking a nonce and its nonce-count.
enum class nonce_status : std::uint8_t {
  ok,      ///< issued by us, fresh, nc higher than any seen for it
  stale,   ///< issued by us but expired, or no longer tracked: re-challenge
           ///< with stale=true (RFC 7616 §3.3)
  invalid, ///< not ours (bad encoding or MAC, issued in the future)
  replay,  ///< nc not strictly higher than the last one accepted
};

/// Issues and verifies digest nonces (RFC 7616 §3.3, §5.4-§5.5).
///
/// A nonce is base64url(issue time (8 bytes, monotonic ns) || random (8
/// bytes) || HMAC-SHA256(secret, time || random)), so any nonce can be
/// checked for authenticity and age without state. The secret (32 bytes)
/// comes from the cryptographic generator (secure_random) at construction,
/// the per-nonce random part from the injected rng: nonces do not survive a
/// restart (clients just get a stale challenge). Replay protection keeps
/// the last accepted nonce-count of each issued nonce in a table bounded
/// by `tracked_max` (the oldest issued is evicted; an evicted nonce counts
/// as stale). Pure: time comes in as arguments. Owned by one registrar_stm,
/// used on its thread only.
class nonce_manager {
public:
  static constexpr std::int64_t default_lifetime_ms = 300'000;
  static constexpr std::size_t default_tracked_max = 10'000;
  static constexpr std::size_t nonce_bytes = 8 + 8 + 32;

  /// `gen` must outlive the manager.
  nonce_manager(rng& gen, std::int64_t lifetime_ms = default_lifetime_ms,
                std::size_t tracked_max = default_tracked_max);

  /// A fresh nonce issued at `now`, tracked with nc 0.
  [[nodiscard]] std::string issue(time_point now);

  /// Checks `nonce` at `now` and, when fine, records `nc` as the last one
  /// accepted. Call only after the digest response was verified, so a
  /// forged request cannot advance the count.
  [[nodiscard]] nonce_status check_and_count(std::string_view nonce, std::uint32_t nc,
                                             time_point now);
  /// Authenticity and age only (no nc bookkeeping).
  [[nodiscard]] nonce_status verify(std::string_view nonce, time_point now) const;

  [[nodiscard]] std::size_t tracked() const noexcept { return last_nc_.size(); }
  [[nodiscard]] std::int64_t lifetime_ms() const noexcept { return lifetime_ms_; }

private:
  void evict(time_point now);

  rng& rng_;
  std::int64_t lifetime_ms_;
  std::size_t tracked_max_;
  std::array<unsigned char, 32> secret_{};
  std::unordered_map<std::string, std::uint32_t> last_nc_;
  std::deque<std::pair<std::int64_t, std::string>> order_; ///< (issue ns, nonce)
};

/// base64url without padding (RFC 4648 §5), and its strict inverse
/// (false on a character outside the alphabet or a bad length).
[[nodiscard]] std::string base64url_encode(std::string_view bytes);
[[nodiscard]] bool base64url_decode(std::string_view text, std::string& out);

} // namespace ringdown::registrar
