#include "actors/engine/sip_gateway.hpp"

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <caf/actor.hpp>
#include <caf/send.hpp>

#include "actors/engine/directory.hpp"
#include "actors/engine/gateway_logger.hpp"
#include "actors/engine/protocol.hpp"
#include "net/sip/builder.hpp"
#include "net/transport/sip_stack.hpp"

namespace ringdown::actors {

sip_gateway::sip_gateway(boost::asio::io_context& io, transport::sip_stack& stack,
                         directory& dir, id_generator& ids, routing_context routing,
                         local_handler local, std::size_t relays_max)
    : io_(io), stack_(stack), dir_(dir), ids_(ids), routing_(std::move(routing)),
      local_(std::move(local)), relay_(stack, ids, counters_, relays_max) {}

sip_gateway::~sip_gateway() = default;

void sip_gateway::on_request(const sip::message& received,
                             const transport::server_tx_handle& tx) {
  if (relay_.on_cancel(received, tx))
    return;
  std::optional<sip::message> popped; // without our Route values (§16.4)
  if (relay_.on_loose_route(received, tx, popped))
    return;
  const sip::message& request = popped ? *popped : received;
  const auto where = route_request(request, routing_);
  if (routing_.forward)
    if (const auto owner = routing_.forward(request, where)) {
      relay_.relay(request, tx, *owner);
      return;
    }
  if (!where.key) {
    counters_.local.fetch_add(1, std::memory_order_relaxed);
    local_(request, tx);
    return;
  }
  const auto ack = request.method() == sip::method::ack;
  const caf::actor target =
      where.spawn ? dir_.lookup_or_spawn(*where.key) : dir_.find(*where.key);
  if (!target) {
    if (ack) {
      counters_.acks_absorbed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (where.spawn) {
      gateway_logger().warn("no actor for {} (Call-ID {}): 503", where.key->to_string(),
                            request.call_id());
      counters_.unavailable.fetch_add(1, std::memory_order_relaxed);
      reject(request, tx, 503);
    } else if (request.method() == sip::method::cancel && tx.cancels == 0) {
      counters_.no_dialog.fetch_add(1, std::memory_order_relaxed);
      reject(request, tx, 481);
    } else {
      gateway_logger().debug("no dialog {} for {} (Call-ID {}): 481",
                             where.key->to_string(), request.method_text(),
                             request.call_id());
      counters_.no_dialog.fetch_add(1, std::memory_order_relaxed);
      reject(request, tx, 481);
    }
    return;
  }
  counters_.dispatched.fetch_add(1, std::memory_order_relaxed);
  caf::anon_send(target, sip_request_event{std::make_shared<const sip::message>(request),
                                           tx.id, tx.cancels, tx.source});
}

void sip_gateway::reject(const sip::message& request, const transport::server_tx_handle& tx,
                         int status) {
  relay_.answer(request, tx, status);
}

void sip_gateway::enqueue(op work) {
  bool first = false;
  {
    std::lock_guard lock(queue_mutex_);
    first = queue_.empty();
    queue_.push_back(std::move(work));
  }
  if (first)
    boost::asio::post(io_, [this] { drain(); });
}

void sip_gateway::drain() {
  {
    std::lock_guard lock(queue_mutex_);
    draining_.swap(queue_);
  }
  for (auto& work : draining_) {
    std::visit(
        [this](auto& w) {
          using T = std::decay_t<decltype(w)>;
          if constexpr (std::is_same_v<T, respond_op>) {
            stack_.respond(transport::server_tx_handle{w.tx, 0, {}}, w.msg);
          } else if constexpr (std::is_same_v<T, send_op>) {
            start_send(w);
          } else if constexpr (std::is_same_v<T, cancel_op>) {
            const auto it = client_tx_.find(w.id);
            if (it != client_tx_.end())
              stack_.cancel(transport::client_tx_handle{it->second});
          } else {
            stack_.send_stateless(w.msg, w.destination);
          }
        },
        work);
  }
  draining_.clear();
}

void sip_gateway::respond(std::uint64_t tx, sip::message response) {
  enqueue(respond_op{tx, std::move(response)});
}

std::uint64_t sip_gateway::send_request(sip::message request, transport::peer destination,
                                        response_sink sink) {
  const auto id = next_request_.fetch_add(1, std::memory_order_relaxed);
  enqueue(send_op{id, std::move(request), std::move(destination), std::move(sink)});
  return id;
}

void sip_gateway::start_send(send_op& w) {
  // Kept for a send that cannot start: the sender still gets a final
  // answer, a local 503 as the transaction layer gives (§8.1.3.1).
  auto refused = sip::message_builder::response(w.msg, 503, "Service Unavailable", {});
  auto handler = [this, id = w.id, s = w.sink](const sip::message& response, bool local) {
    if (response.status_code() >= 200)
      client_tx_.erase(id);
    if (s)
      s(sip_response_event{std::make_shared<const sip::message>(response), id, local});
  };
  const auto handle =
      stack_.send_request(std::move(w.msg), w.destination, std::move(handler));
  if (handle.id == 0) {
    // No listener of that protocol, table full or malformed.
    gateway_logger().warn("cannot send request to {} (Call-ID {}): 503 to the sender",
                          w.destination.to_string(), refused.call_id());
    if (w.sink)
      w.sink(sip_response_event{std::make_shared<const sip::message>(std::move(refused)),
                                w.id, true});
    return;
  }
  client_tx_.emplace(w.id, handle.id);
}

void sip_gateway::cancel(std::uint64_t request) {
  enqueue(cancel_op{request});
}

void sip_gateway::send_stateless(sip::message message, transport::peer destination) {
  enqueue(stateless_op{std::move(message), std::move(destination)});
}

} // namespace ringdown::actors
