#pragma once

// Private to sip_stack*.cpp: the state behind `sip_stack`'s pimpl.

#include <array>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/assert.hpp"
#include "base/logging.hpp"
#include "net/sip/parser.hpp"
#include "net/sip/transaction_table.hpp"
#include "net/transport/sip_stack.hpp"
#include "net/transport/timer_queue.hpp"
#include "net/transport/transport.hpp"

namespace ringdown::transport {

/// Where a server transaction's request came from, or where a client
/// transaction's requests go: the transport instance and the peer.
struct origin {
  transport* via = nullptr;
  peer from;
};

/// The real timers one transaction has armed, by timer name. A machine
/// arms at most three at once (an INVITE server: Timers G and H, and the
/// 100 Trying delay), so a few slots serve, not one per timer name: every
/// transaction of every call carries this for 32 s after the answer.
class tx_timers {
public:
  /// The timer armed for `name`; 0 when none.
  [[nodiscard]] timer_queue::timer_id get(sip::timer_name name) const noexcept {
    for (const auto p : slots_)
      if (p != 0 && (p & 0xff) == static_cast<std::uint64_t>(name))
        return p >> 8;
    return 0;
  }
  /// Records `id` (0: none) as the timer armed for `name`.
  void set(sip::timer_name name, timer_queue::timer_id id) {
    RINGDOWN_ASSERT(id < (std::uint64_t{1} << 56), "timer id out of range");
    const auto tag = static_cast<std::uint64_t>(name);
    std::uint64_t* free = nullptr;
    for (auto& p : slots_) {
      if (p != 0 && (p & 0xff) == tag) {
        p = id == 0 ? 0 : id << 8 | tag;
        return;
      }
      if (p == 0 && free == nullptr)
        free = &p;
    }
    if (id == 0)
      return;
    RINGDOWN_ASSERT(free != nullptr,
                    "a transaction armed more timers than tx_timers holds");
    *free = id << 8 | tag;
  }
  template <class F>
  void for_each(F f) const {
    for (const auto p : slots_)
      if (p != 0)
        f(p >> 8);
  }

private:
  std::array<std::uint64_t, 4> slots_{}; ///< id << 8 | name; 0: free
};

/// What the shell keeps per live transaction.
struct tx_state {
  origin o; ///< server: the source; client: the destination
  tx_timers timers;
  // -- client transactions only --
  bool client = false;
  bool provisional = false;    ///< a 1xx has been passed up (§9.1)
  bool final_seen = false;     ///< a final response has been passed up
  bool cancel_pending = false; ///< cancel() before any 1xx
  bool cancel_sent = false;
  bool quiet = false;           ///< a CANCEL: responses not passed up
  std::uint64_t connection = 0; ///< stream connection the request was queued on
  sip::message_ptr request;     ///< from the first send_message effect
  sip_stack::response_handler on_response;
};

struct sip_stack::impl {
  impl(boost::asio::io_context& context, const config::node_config& config,
       const ringdown::clock& clock, id_generator& id_gen, request_handler handler)
      : io(context), cfg(config), clk(clock), ids(id_gen), on_request(std::move(handler)),
        parser(config.limits), table(config.timers, config.transactions_max, id_gen,
                                     sip::trying_policy::after_200ms),
        timers(context) {}

  boost::asio::io_context& io;
  const config::node_config& cfg;
  const ringdown::clock& clk;
  id_generator& ids;
  request_handler on_request;
  std::function<void(const sip::message&)> on_stray_2xx;
  sip::parser parser;
  sip::transaction_table table;
  timer_queue timers;
  transport_probe probe;
  std::vector<std::unique_ptr<transport>> transports;
  std::unordered_map<sip::tx_id, tx_state> txs;
  std::uint64_t next_connection_id = 1;
  bool stopped = false;
  std::shared_ptr<spdlog::logger> log = log::get("sip.transport");

  // server side, sip_stack.cpp
  void on_receive(transport* t, const peer& from, std::string_view bytes);
  void on_request_message(const origin& o, sip::message request);
  void on_timer(sip::tx_id tx, sip::timer_name name);
  void apply(sip::transaction_table::effects& out, std::uint64_t cancels = 0);
  void reject(const origin& o, const sip::message& request, int status,
              std::string_view reason);
  bool send_response(const origin& o, const sip::message& response);

  // client side, sip_stack_client.cpp
  /// The transport holding connection `to.connection_id` when open, else
  /// the first listener of protocol `to.proto`; null when none.
  transport* listener_for(const peer& to) const;
  /// Prepends our Via for `via` (sent-by = its local address) with `branch`.
  void stamp_via(sip::message& request, const transport& via, std::string_view branch);
  client_tx_handle start_client(sip::message request, const peer& destination,
                                response_handler on_response, std::string_view branch);
  void on_response_message(const peer& from, sip::message response);
  /// A client transaction's send_message effect.
  void client_send(sip::tx_id tx, tx_state& st, const sip::message_ptr& msg);
  /// A client transaction's pass_to_tu / tu_timeout / tu_transport_error.
  void client_pass(sip::tx_id tx, tx_state& st, const sip::message& response, bool local);
  void client_fail(tx_state& st, int status);
  void feed_transport_error(sip::tx_id tx);
  void on_connect_failed(const transport* t, std::uint64_t connection_id);
  void send_cancel(sip::tx_id invite_tx, tx_state& st);
};

} // namespace ringdown::transport
