#include "actors/engine/sip_relay.hpp"

#include <utility>

#include "actors/engine/gateway_logger.hpp"
#include "actors/engine/relay_rules.hpp"
#include "base/assert.hpp"
#include "net/sip/builder.hpp"
#include "net/transport/sip_stack.hpp"

namespace ringdown::actors {

sip_relay::sip_relay(transport::sip_stack& stack, id_generator& ids,
                     gateway_counters& counters, std::size_t relays_max)
    : stack_(stack), ids_(ids), counters_(counters), relays_max_(relays_max) {
  RINGDOWN_ASSERT(relays_max_ > 0, "relay table without room");
}

sip_relay::~sip_relay() = default;

const std::vector<config::listen_address>& sip_relay::ours() {
  if (ours_.empty())
    ours_ = stack_.listeners();
  return ours_;
}

bool sip_relay::on_cancel(const sip::message& request,
                          const transport::server_tx_handle& tx) {
  if (request.method() != sip::method::cancel || tx.cancels == 0)
    return false;
  const auto it = entries_.find(tx.cancels);
  if (it == entries_.end())
    return false;
  // §16.10: the CANCEL is answered here, hop by hop; the INVITE's final
  // response (487 or whatever wins the race) comes back on its own.
  answer(request, tx, 200);
  gateway_logger().info("relay: CANCEL (Call-ID {}) cancels the relayed INVITE",
                        request.call_id());
  if (it->second.client != 0)
    stack_.cancel(transport::client_tx_handle{it->second.client});
  return true;
}

bool sip_relay::on_loose_route(const sip::message& request,
                               const transport::server_tx_handle& tx,
                               std::optional<sip::message>& local) {
  const auto routes = request.routes();
  if (routes.empty() || !relay::names_us(routes.front().uri, ours()))
    return false;
  sip::message popped{request};
  const auto where = relay::pop_own_routes(popped, ours());
  RINGDOWN_ASSERT(where.popped, "an own top Route is popped");
  if (where.to_us) {
    local = std::move(popped);
    return false;
  }
  if (!where.next) {
    gateway_logger().info("relay: {} (Call-ID {}): next hop has no address, 404",
                          request.method_text(), request.call_id());
    counters_.relays_refused.fetch_add(1, std::memory_order_relaxed);
    if (request.method() != sip::method::ack)
      answer(request, tx, 404);
    return true;
  }
  relay(popped, tx, *where.next);
  return true;
}

void sip_relay::relay(const sip::message& request, const transport::server_tx_handle& tx,
                      const transport::peer& to) {
  const bool ack = request.method() == sip::method::ack;
  sip::message out{request};
  if (!relay::take_hop(out)) {
    gateway_logger().info("relay: {} (Call-ID {}): Max-Forwards 0, 483",
                          request.method_text(), request.call_id());
    counters_.max_forwards_exhausted.fetch_add(1, std::memory_order_relaxed);
    if (!ack)
      answer(request, tx, 483);
    return;
  }
  if (ack) {
    // §16.11-style: an ACK for a 2xx is its own transaction, never answered.
    gateway_logger().debug("relay: ACK (Call-ID {}) to {}", request.call_id(),
                           to.to_string());
    counters_.relayed_requests.fetch_add(1, std::memory_order_relaxed);
    stack_.send_stateless(out, to);
    return;
  }
  if (relay::is_loop(request, ours())) {
    gateway_logger().warn("relay: {} (Call-ID {}) came back to us: 482",
                          request.method_text(), request.call_id());
    counters_.loops.fetch_add(1, std::memory_order_relaxed);
    answer(request, tx, 482);
    return;
  }
  if (entries_.size() >= relays_max_ || entries_.contains(tx.id)) {
    gateway_logger().warn("relay: {} (Call-ID {}): {} relays live, 503",
                          request.method_text(), request.call_id(), entries_.size());
    counters_.relays_refused.fetch_add(1, std::memory_order_relaxed);
    answer(request, tx, 503);
    return;
  }
  if (relay::creates_dialog(request))
    if (const auto rr = relay::record_route(ours(), tx.source.proto))
      out.prepend_header("Record-Route", *rr);
  const auto fresh = ids_.branch(); // z9hG4bK + random: the random part
  const auto branch = relay::relay_branch(
      request, std::string_view{fresh}.substr(id_generator::branch_cookie.size()));
  entries_.emplace(tx.id, entry{0, std::make_shared<const sip::message>(request)});
  const auto handle = stack_.send_request(
      std::move(out), to,
      [this, server = tx.id](const sip::message& response, bool local) {
        on_response(server, response, local);
      },
      branch);
  if (handle.id == 0) {
    gateway_logger().warn("relay: {} (Call-ID {}) cannot be sent to {}: 503",
                          request.method_text(), request.call_id(), to.to_string());
    entries_.erase(tx.id);
    counters_.relays_refused.fetch_add(1, std::memory_order_relaxed);
    answer(request, tx, 503);
    return;
  }
  if (const auto it = entries_.find(tx.id); it != entries_.end())
    it->second.client = handle.id;
  counters_.relayed_requests.fetch_add(1, std::memory_order_relaxed);
  gateway_logger().info("relay: {} (Call-ID {}) to {}", request.method_text(),
                        request.call_id(), to.to_string());
}

void sip_relay::on_response(std::uint64_t server, const sip::message& response,
                            bool local) {
  const int code = response.status_code();
  const transport::server_tx_handle tx{server, 0, {}};
  const auto it = entries_.find(server);
  if (local) {
    // §16.7 step 6: a timeout or transport error counts as a 408 / 503 of
    // the next hop; answered from the request as we received it.
    if (it == entries_.end())
      return;
    const auto request = it->second.request;
    entries_.erase(it);
    gateway_logger().info("relay: {} (Call-ID {}): local {}", request->method_text(),
                          request->call_id(), code);
    answer(*request, tx, code);
    return;
  }
  if (code == 100)
    return; // §16.7 step 3: 100 Trying is hop by hop
  if (code < 200) {
    const auto to = response.to();
    if (!to || to->tag().empty())
      return;
  }
  sip::message up{response};
  up.remove_first_value(sip::header_id::via); // ours (§16.7 step 3)
  if (code >= 200 && it != entries_.end())
    entries_.erase(it); // later 2xx of a forked INVITE still go up below
  gateway_logger().debug("relay: {} {} (Call-ID {}) back upstream", code,
                         response.reason_phrase(), response.call_id());
  counters_.relayed_responses.fetch_add(1, std::memory_order_relaxed);
  stack_.respond(tx, up);
}

void sip_relay::answer(const sip::message& request, const transport::server_tx_handle& tx,
                       int status) {
  auto response = sip::message_builder::response(
      request, status, sip::message_builder::default_reason(status), ids_.tag());
  if (status == 503)
    response.append_header("Retry-After", "5");
  stack_.respond(tx, response);
}

} // namespace ringdown::actors
