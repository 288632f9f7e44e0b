#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "actors/engine/gateway_counters.hpp"
#include "base/ids.hpp"
#include "config/config.hpp"
#include "net/sip/message.hpp"
#include "net/transport/peer.hpp"

namespace ringdown::transport {
class sip_stack;
struct server_tx_handle;
} // namespace ringdown::transport

namespace ringdown::actors {

/// The SIP relay of the gateway: a transaction-stateful proxy (RFC 3261
/// §16) that sends a request this node does not own on to the node that
/// does, and its responses back, every header and the body kept byte for
/// byte except what §16 has a proxy change (top Route of ours popped,
/// Max-Forwards, our Record-Route on dialog-creating requests, our Via).
///
/// One server transaction (upstream) ↔ one client transaction (downstream)
/// per relayed request, held in a bounded table until the final response
/// or a local error; ACKs go statelessly. No CAF: the gateway owns it and
/// calls it on the stack's I/O thread, the only thread it runs on.
class sip_relay {
public:
  /// Live relayed transactions at most; beyond, 503 with Retry-After.
  static constexpr std::size_t relays_max_default = 4096;

  /// `stack`, `ids` (branches, To-tags of our own answers) and `counters`
  /// must outlive the relay and belong to the I/O thread.
  sip_relay(transport::sip_stack& stack, id_generator& ids, gateway_counters& counters,
            std::size_t relays_max = relays_max_default);
  ~sip_relay();
  sip_relay(const sip_relay&) = delete;
  sip_relay& operator=(const sip_relay&) = delete;

  /// A CANCEL whose INVITE we relayed (§16.10): answered 200 here, the
  /// relayed INVITE cancelled downstream (its 487 comes back through us).
  /// False when `request` is not such a CANCEL.
  bool on_cancel(const sip::message& request, const transport::server_tx_handle& tx);

  /// Loose routing (§16.4, §16.12). True when the request was taken (the
  /// top Route named us and the rest names another hop: relayed, or
  /// answered when that fails). False: the request stays here; `local` is
  /// then set to the request without our Route values when it had any.
  bool on_loose_route(const sip::message& request, const transport::server_tx_handle& tx,
                      std::optional<sip::message>& local);

  /// Relays `request` to `to`: ACK statelessly, anything else in a client
  /// transaction whose responses go back on `tx`. Answers 483, 482 or 503
  /// itself when §16.3 or the table's limit says so.
  void relay(const sip::message& request, const transport::server_tx_handle& tx,
             const transport::peer& to);

  /// Answers `request` in server transaction `tx` with a response of ours
  /// (a To-tag; Retry-After on 503).
  void answer(const sip::message& request, const transport::server_tx_handle& tx,
              int status);

  /// Relayed transactions not yet finished.
  [[nodiscard]] std::size_t active() const noexcept { return entries_.size(); }

private:
  struct entry {
    std::uint64_t client = 0; ///< client transaction id, 0 while starting
    std::shared_ptr<const sip::message> request; ///< as received (local answers)
  };

  /// Our listeners, read from the stack on first use (they are opened
  /// before the stack serves).
  const std::vector<config::listen_address>& ours();
  void on_response(std::uint64_t server, const sip::message& response, bool local);

  transport::sip_stack& stack_;
  id_generator& ids_;
  gateway_counters& counters_;
  std::size_t relays_max_;
  std::vector<config::listen_address> ours_;
  /// server transaction id → its relay.
  std::unordered_map<std::uint64_t, entry> entries_;
};

} // namespace ringdown::actors
