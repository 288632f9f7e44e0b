#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <variant>
#include <vector>

#include "actors/engine/gateway_counters.hpp"
#include "actors/engine/request_router.hpp"
#include "actors/engine/sip_port.hpp"
#include "actors/engine/sip_relay.hpp"
#include "base/ids.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace ringdown::transport {
class sip_stack;
struct server_tx_handle;
} // namespace ringdown::transport

namespace ringdown::actors {

class directory;

/// The bridge between the SIP stack and the actors (ARCHITECTURE.md §3):
/// incoming requests are routed (`route_request`) to the actor named by
/// their key, spawned on demand, as `sip_request_event`s, unless the relay
/// takes them: loose-routed requests for another hop, CANCELs of relayed
/// INVITEs, and whatever `routing_context::forward` sends to the owner
/// node (ARCHITECTURE.md §1 interzone proxy, §4 placement); what actors send
/// (`sip_port`) is queued onto the stack's I/O thread. The actors never
/// touch the stack; the stack never blocks on an actor.
///
/// Threading: `on_request` and the response sinks run on the I/O thread;
/// the `sip_port` calls come from any actor thread and only post work.
/// Owned by the node; outlives the actor system's actors.
class sip_gateway final : public sip_port {
public:
  /// Answers what no actor serves (OPTIONS, unknown methods): called on
  /// the I/O thread with the request and its transaction.
  using local_handler = std::function<void(const sip::message& request,
                                           const transport::server_tx_handle& tx)>;

  /// `ids` (To-tags of the gateway's own 481/503) belongs to the I/O thread.
  /// `relays_max` bounds the relay's live transactions.
  sip_gateway(boost::asio::io_context& io, transport::sip_stack& stack, directory& dir,
              id_generator& ids, routing_context routing, local_handler local,
              std::size_t relays_max = sip_relay::relays_max_default);
  ~sip_gateway() override;
  sip_gateway(const sip_gateway&) = delete;
  sip_gateway& operator=(const sip_gateway&) = delete;

  /// The stack's request handler (I/O thread).
  void on_request(const sip::message& request, const transport::server_tx_handle& tx);

  void respond(std::uint64_t tx, sip::message response) override;
  std::uint64_t send_request(sip::message request, transport::peer destination,
                             response_sink sink) override;
  void cancel(std::uint64_t request) override;
  void send_stateless(sip::message message, transport::peer destination) override;

  [[nodiscard]] const gateway_counters& counters() const noexcept { return counters_; }
  /// Relayed transactions not yet finished (I/O thread).
  [[nodiscard]] std::size_t relays() const noexcept { return relay_.active(); }

private:
  // Work the actors hand to the I/O thread. Queued under a mutex and
  // drained in batches: one wake-up of the I/O thread carries everything
  // queued since the last one (under load, many sends per wake-up).
  struct respond_op {
    std::uint64_t tx;
    sip::message msg;
  };
  struct send_op {
    std::uint64_t id;
    sip::message msg;
    transport::peer destination;
    response_sink sink;
  };
  struct cancel_op {
    std::uint64_t id;
  };
  struct stateless_op {
    sip::message msg;
    transport::peer destination;
  };
  using op = std::variant<respond_op, send_op, cancel_op, stateless_op>;

  void enqueue(op work);
  /// Runs the queued work (I/O thread).
  void drain();
  void start_send(send_op& work);

  /// A stack-made answer (481, 503) to a request no actor took.
  void reject(const sip::message& request, const transport::server_tx_handle& tx,
              int status);

  boost::asio::io_context& io_;
  transport::sip_stack& stack_;
  directory& dir_;
  id_generator& ids_;
  routing_context routing_;
  local_handler local_;
  std::atomic<std::uint64_t> next_request_{1};
  /// request id → client transaction id; I/O thread only.
  std::unordered_map<std::uint64_t, std::uint64_t> client_tx_;
  gateway_counters counters_;
  sip_relay relay_; ///< I/O thread only
  std::mutex queue_mutex_;
  std::vector<op> queue_;    ///< guarded by queue_mutex_
  std::vector<op> draining_; ///< I/O thread only
};

} // namespace ringdown::actors
