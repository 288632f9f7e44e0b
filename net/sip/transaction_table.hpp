#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "base/clock.hpp"
#include "base/ids.hpp"
#include "config/config.hpp"
#include "net/sip/message.hpp"
#include "net/sip/timer.hpp"
#include "net/sip/transaction_effect.hpp"
#include "net/sip/transaction_invite_client.hpp"
#include "net/sip/transaction_invite_server.hpp"
#include "net/sip/transaction_key.hpp"
#include "net/sip/transaction_non_invite_client.hpp"
#include "net/sip/transaction_non_invite_server.hpp"

namespace ringdown::sip {

/// Short handle of one transaction of a table; never reused by it, 0 = none.
using tx_id = std::uint64_t;

/// The SIP transactions of one transport thread (RFC 3261 §17): the four
/// state machines by key, matching (§17.1.3, §17.2.3), and a limit. Pure:
/// no I/O, no clock reads, no threads; owned by one transport thread (the
/// shell), which feeds it every message, timer and send failure and carries
/// out the effects it returns (see transaction_effect.hpp for each effect).
///
/// Shell loop:
/// - request parsed  → `on_request(msg, now, reliable, out)`; by outcome:
///   new_transaction: the TU gets the request through `pass_to_tu` in `out`
///   and answers with `send_response(tx, ...)`; refused_full: answer 503
///   statelessly; stray_ack: give the ACK to the core (ACK for a 2xx);
///   malformed: drop. `cancels` names the INVITE a new CANCEL cancels (0:
///   none, the core answers 481).
/// - response parsed → `on_response(msg, now, out)`; stray: give it to the
///   core (RFC 6026 §7.3: a UA core may use a stray 2xx), else handled.
/// - TU sends a request → `send_request(msg, now, reliable, out)` (a branch
///   is generated when the top Via has none); keep the destination by tx.
///   ACK for a 2xx is not a transaction: the TU sends it to the transport.
/// - `arm_timer` effect → one real timer per (tx, name); on expiry
///   `on_timer(tx, name, now, out)`. `cancel_timer` → cancel it.
/// - a send for tx failed → `on_transport_error(tx, now, out)`.
/// - `terminated` effect → forget tx (the table already removed it).
/// Each effect is tagged with its transaction's `tx_id`; `key_of` gives the
/// matching key of a live transaction.
class transaction_table {
public:
  struct tagged_effect {
    tx_id tx = 0;
    transaction_effect what;
  };
  using effects = std::vector<tagged_effect>;

  enum class request_outcome : std::uint8_t {
    new_transaction, ///< server transaction created, request passed to TU
    matched,         ///< fed to its server transaction (retransmission, ACK)
    stray_ack,       ///< ACK matching no transaction: for the core
    refused_full,    ///< transactions_max reached: answer 503 statelessly
    malformed,       ///< no usable top Via / CSeq, or not a request: drop
  };
  struct request_result {
    request_outcome outcome = request_outcome::malformed;
    tx_id tx = 0;      ///< the server transaction (new or matched)
    tx_id cancels = 0; ///< for a new CANCEL: the INVITE server transaction
  };

  enum class response_outcome : std::uint8_t { matched, stray, malformed };
  struct response_result {
    response_outcome outcome = response_outcome::malformed;
    tx_id tx = 0;
  };

  enum class send_outcome : std::uint8_t {
    started,      ///< client transaction created, request sent
    refused_full, ///< transactions_max reached
    is_ack,       ///< ACK has no client transaction
    duplicate,    ///< a client transaction with this branch and method exists
    malformed,    ///< not a request, or no top Via / CSeq
  };
  struct send_result {
    send_outcome outcome = send_outcome::malformed;
    tx_id tx = 0;
  };

  /// `ids` (for branches) must outlive the table.
  transaction_table(const config::sip_timers& timers, std::size_t transactions_max,
                    id_generator& ids, trying_policy trying = trying_policy::immediate);

  request_result on_request(message request, time_point now, bool reliable, effects& out);
  response_result on_response(message response, time_point now, effects& out);
  send_result send_request(message request, time_point now, bool reliable, effects& out);
  /// A response of the TU in server transaction `tx`; false when `tx` is not
  /// a live server transaction (the response is then not sent).
  bool send_response(tx_id tx, message response, time_point now, effects& out);
  /// Unknown `tx` (already terminated) is ignored.
  void on_timer(tx_id tx, timer_name t, time_point now, effects& out);
  void on_transport_error(tx_id tx, time_point now, effects& out);

  [[nodiscard]] std::size_t size() const noexcept { return txs_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return max_; }
  [[nodiscard]] std::optional<tx_id> find(const client_key& k) const;
  [[nodiscard]] std::optional<tx_id> find(const server_key& k) const;
  /// The key of a live transaction; nullopt when `tx` is unknown.
  [[nodiscard]] std::optional<std::variant<client_key, server_key>> key_of(tx_id tx) const;
  /// The machine of `tx` when it is live and of kind S; else null.
  template <class S>
  [[nodiscard]] const S* get(tx_id tx) const {
    const auto it = txs_.find(tx);
    return it == txs_.end() ? nullptr : std::get_if<S>(&it->second.stm);
  }

private:
  using stm_variant = std::variant<invite_client_stm, non_invite_client_stm,
                                   invite_server_stm, non_invite_server_stm>;
  /// One transaction. Its key lives once, in `clients_` or `servers_`
  /// (node-based: the key's address is stable until erased); the entry
  /// points at it. Exactly one of the two pointers is set.
  struct entry {
    stm_variant stm;
    const client_key* client = nullptr;
    const server_key* server = nullptr;
  };

  template <class Event>
  void dispatch(tx_id tx, const Event& ev, time_point now, effects& out);
  void start(tx_id tx, time_point now, effects& out);
  void flush(tx_id tx, effects& out);
  void note_full(const message& m, std::string_view what);

  timer_values values_;
  std::size_t max_;
  id_generator& ids_;
  trying_policy trying_;
  tx_id next_id_ = 1;
  bool full_warned_ = false;
  std::unordered_map<tx_id, entry> txs_;
  std::unordered_map<client_key, tx_id> clients_;
  std::unordered_map<server_key, tx_id> servers_;
  transaction_effects scratch_;
};

} // namespace ringdown::sip
