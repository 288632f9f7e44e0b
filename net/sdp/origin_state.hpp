#pragma once

#include <cstdint>
#include <string>

#include "base/random.hpp"
#include "net/sdp/session.hpp"

namespace ringdown::sdp {

/// Our `o=` line across the offers and answers one dialog leg sends (RFC 3264
/// §8: same session id, version one higher for every changed SDP; RFC 8866
/// §5.2). Owned by the dialog (or bridge leg) that sends the SDP, on its actor.
class origin_state {
public:
  /// `session_id` and `version` as chosen by the caller; the first `next()`
  /// returns `version`.
  origin_state(std::string address, std::uint64_t session_id, std::uint64_t version,
               std::string username = "-");
  /// Session id drawn from `gen` (62 bits, so it prints as at most 19 digits),
  /// initial version equal to it, as RFC 8866 §5.2 suggests.
  static origin_state create(std::string address, rng& gen, std::string username = "-");

  /// The o= line for a new SDP from us: one version more than the last one
  /// handed out (the initial version the first time).
  [[nodiscard]] origin next();
  /// The o= line of the last SDP handed out (to resend it unchanged).
  [[nodiscard]] origin current() const;

  [[nodiscard]] std::uint64_t session_id() const noexcept { return session_id_; }
  [[nodiscard]] std::uint64_t version() const noexcept { return version_; }
  /// Our media address moved (failover re-anchoring): later o= lines use it.
  void set_address(std::string address) { address_ = std::move(address); }

private:
  std::string username_;
  std::string address_;
  std::uint64_t session_id_;
  std::uint64_t version_;
  bool issued_ = false;
};

/// `IP6` when `address` contains a colon, else `IP4`.
std::string addrtype_of(std::string_view address);

/// Adds one to the decimal digits of `o.sess_version` (any length). Returns
/// false, leaving `o` unchanged, when the field is not digits.
bool increment_version(origin& o);

} // namespace ringdown::sdp
