#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "net/sip/message.hpp"

/// Transaction matching keys (RFC 3261 §17.1.3, §17.2.3). Small owned
/// values (they outlive the messages they were taken from) with equality
/// and std::hash, used by `transaction_table`. Pure functions; any thread.
namespace ringdown::sip {

/// Client transaction key (§17.1.3): the branch of the top Via of the
/// request plus its CSeq method. A response matches the client transaction
/// whose key equals `client_key::of(response)`. ACK has no client
/// transaction.
struct client_key {
  std::string branch;
  std::string method; ///< CSeq method token, e.g. "INVITE", "CANCEL"

  /// Key of a request we send or of a response we receive; nullopt when the
  /// top Via has no branch or the CSeq is missing.
  static std::optional<client_key> of(const message& m);

  friend bool operator==(const client_key&, const client_key&) = default;
};

/// Server transaction key (§17.2.3).
///
/// RFC 3261 requests (top Via branch starts with "z9hG4bK"): branch,
/// sent-by (host lower-cased, port as written, 0 when absent) and method,
/// where ACK takes the method INVITE so it finds its INVITE transaction.
/// CANCEL has its own key; `cancel_target()` gives the key of the INVITE
/// it cancels (§9.2).
///
/// RFC 2543 fallback (no cookie): Request-URI (as written), From tag,
/// Call-ID, CSeq number, top Via (sent-by and branch if any) and method
/// (ACK as INVITE); the To tag too, except for INVITE and ACK: the ACK of
/// a non-2xx carries the To tag of the response, so the table checks it
/// against the response the transaction sent instead (§17.2.3).
struct server_key {
  std::string branch;
  std::string sent_by; ///< "host:port"
  std::string method;
  bool rfc3261 = true;
  /// RFC 2543 fallback only (empty for RFC 3261 keys): Request-URI, From
  /// tag, Call-ID, CSeq number and To tag, each but the last followed by a
  /// line feed (no parsed value holds one). One string, not five: a key
  /// lives in the table for each server transaction of every call.
  std::string rfc2543;

  /// Key of a received request; nullopt when the top Via or the CSeq is
  /// missing or malformed.
  static std::optional<server_key> of(const message& request);

  /// For a CANCEL's key: the key of the INVITE transaction it cancels.
  [[nodiscard]] server_key cancel_target() const;

  friend bool operator==(const server_key&, const server_key&) = default;
};

} // namespace ringdown::sip

template <>
struct std::hash<ringdown::sip::client_key> {
  std::size_t operator()(const ringdown::sip::client_key& k) const noexcept;
};
template <>
struct std::hash<ringdown::sip::server_key> {
  std::size_t operator()(const ringdown::sip::server_key& k) const noexcept;
};
