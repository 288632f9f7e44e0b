#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "net/transport/peer.hpp"

namespace ringdown::transport {

/// Counters of the SIP transport layer (STYLE.md 4: `probe`). Owned by the
/// `sip_stack`; written on the I/O thread, readable from any thread.
struct transport_probe {
  using counter = std::atomic<std::uint64_t>;
  std::array<counter, 3> messages_in{};  ///< indexed by `protocol`
  std::array<counter, 3> messages_out{}; ///< indexed by `protocol`
  counter parse_errors_answered{};       ///< malformed requests answered 4xx
  counter dropped{};                     ///< unanswerable, stray or unroutable
  counter stray_responses{};             ///< matching no client transaction
  counter send_failures{};               ///< socket errors, queue overflow
  counter connections_opened{};          ///< accepted or connected (TCP+TLS)
  counter connections_open{};            ///< currently open
  counter connections_refused{};         ///< over connections_max
  counter connections_idle_closed{};     ///< closed by connection_idle_s
  counter tls_handshake_failures{};      ///< failed or timed out
  counter keepalive_pings{};             ///< RFC 5626 CRLFCRLF answered

  void count_in(protocol p) noexcept { ++messages_in[static_cast<std::size_t>(p)]; }
  void count_out(protocol p) noexcept { ++messages_out[static_cast<std::size_t>(p)]; }

  /// One line, `key=value` pairs, for the shutdown log.
  [[nodiscard]] std::string summary() const;
};

} // namespace ringdown::transport
