// sip_stack, client side: client transactions (RFC 3261 §17.1), CANCEL
// (§9.1), stateless sends (§13.2.2.4), stray responses (RFC 6026 §7.3).

#include "base/assert.hpp"
#include "base/host_port.hpp"
#include "net/sip/builder.hpp"
#include "net/transport/sip_stack_impl.hpp"

namespace ringdown::transport {

transport* sip_stack::impl::listener_for(const peer& to) const {
  transport* first = nullptr;
  for (const auto& t : transports) {
    if (t->proto() != to.proto)
      continue;
    if (to.connection_id != 0 && t->has_connection(to.connection_id))
      return t.get();
    if (first == nullptr)
      first = t.get();
  }
  return first;
}

void sip_stack::impl::stamp_via(sip::message& request, const transport& via,
                                std::string_view branch) {
  const auto local = via.local();
  std::string value{"SIP/2.0/"};
  value += to_string(via.proto());
  value += ' ';
  append_host_port(value, local.host, local.port);
  value += ";branch=";
  value += branch;
  value += ";rport";
  request.prepend_header("Via", value);
}

client_tx_handle sip_stack::impl::start_client(sip::message request,
                                               const peer& destination,
                                               response_handler handler,
                                               std::string_view branch) {
  if (stopped || !request.is_request() || request.method() == sip::method::ack)
    return {};
  transport* via = listener_for(destination);
  if (via == nullptr) {
    log->warn("no {} listener: cannot send {} (Call-ID {}) to {}",
              to_string(destination.proto), request.method_text(), request.call_id(),
              destination.to_string());
    return {};
  }
  if (branch.empty())
    stamp_via(request, *via, ids.branch());
  else
    stamp_via(request, *via, branch);
  const auto call_id = std::string{request.call_id()};
  sip::transaction_table::effects out;
  const auto r = table.send_request(std::move(request), clk.now(),
                                    is_reliable(destination.proto), out);
  if (r.outcome != sip::transaction_table::send_outcome::started) {
    log->warn("cannot start client transaction (Call-ID {}): outcome {}", call_id,
              static_cast<int>(r.outcome));
    return {};
  }
  auto& st = txs.emplace(r.tx, tx_state{}).first->second;
  st.o = origin{via, destination};
  st.client = true;
  st.on_response = std::move(handler);
  apply(out);
  return client_tx_handle{r.tx};
}

void sip_stack::impl::client_send(sip::tx_id tx, tx_state& st,
                                  const sip::message_ptr& msg) {
  if (!st.request && !st.final_seen)
    st.request = msg; // the transaction's first send is its request
  std::uint64_t used = 0;
  if (st.o.via->send(st.o.from, msg->serialize(), &used)) {
    st.connection = used;
    return;
  }
  ++probe.send_failures;
  // §17.1.4; fed back later so that the TU never hears of it from inside
  // send_request or cancel.
  timers.arm(duration::zero(), [this, tx] { feed_transport_error(tx); });
}

void sip_stack::impl::feed_transport_error(sip::tx_id tx) {
  if (stopped)
    return;
  sip::transaction_table::effects out;
  table.on_transport_error(tx, clk.now(), out);
  apply(out);
}

void sip_stack::impl::on_connect_failed(const transport* t, std::uint64_t connection_id) {
  if (stopped)
    return;
  std::vector<sip::tx_id> victims;
  for (const auto& [tx, st] : txs)
    if (st.client && st.o.via == t && st.connection == connection_id && !st.final_seen)
      victims.push_back(tx);
  for (const auto tx : victims)
    feed_transport_error(tx);
}

void sip_stack::impl::client_pass(sip::tx_id tx, tx_state& st, const sip::message& response,
                                  bool local) {
  const auto code = response.status_code();
  if (code >= 200) {
    st.final_seen = true;
    st.request.reset(); // only CANCEL and local failures need it, before a final
  } else if (!st.provisional) {
    st.provisional = true;
    if (st.cancel_pending)
      send_cancel(tx, st);
  }
  if (st.quiet || !st.on_response)
    return;
  // A copy: the handler may start transactions (which may rehash `txs`;
  // `st` itself stays put) or cancel this one.
  auto handler = st.on_response;
  handler(response, local);
}

void sip_stack::impl::client_fail(tx_state& st, int status) {
  if (!st.request || st.final_seen)
    return;
  st.final_seen = true;
  log->info("{} to {} (Call-ID {}): local {}", st.request->method_text(),
            st.o.from.to_string(), st.request->call_id(), status);
  if (st.quiet || !st.on_response)
    return;
  // RFC 3261 §8.1.3.1: treated as if a 408 / 503 had been received.
  const auto rsp = sip::message_builder::response(
      *st.request, status, sip::message_builder::default_reason(status));
  auto handler = st.on_response;
  handler(rsp, true);
}

void sip_stack::impl::send_cancel(sip::tx_id invite_tx, tx_state& st) {
  if (st.cancel_sent || st.final_seen || !st.request)
    return;
  st.cancel_sent = true;
  st.cancel_pending = false;
  const auto& inv = *st.request;
  const auto vias = inv.values(sip::header_id::via);
  const auto cseq = inv.cseq();
  RINGDOWN_ASSERT(!vias.empty() && cseq.has_value(), "INVITE without Via or CSeq");
  sip::message_builder b{"CANCEL", inv.request_uri_text()};
  b.header("Via", vias.front());
  b.header("Max-Forwards", "70");
  b.header("From", inv.header(sip::header_id::from));
  b.header("To", inv.header(sip::header_id::to));
  b.header("Call-ID", inv.call_id());
  b.header("CSeq", std::to_string(cseq->number) + " CANCEL");
  for (const auto route : inv.values(sip::header_id::route))
    b.header("Route", route);
  auto cancel = b.build();
  log->debug("CANCEL to {} (Call-ID {})", st.o.from.to_string(), cancel.call_id());
  // §9.1: the CANCEL carries the INVITE's top Via (same branch) and is its
  // own non-INVITE client transaction to the same destination.
  sip::transaction_table::effects out;
  const auto r =
      table.send_request(std::move(cancel), clk.now(), is_reliable(st.o.from.proto), out);
  if (r.outcome != sip::transaction_table::send_outcome::started) {
    log->warn("CANCEL of transaction {} not sent: outcome {}", invite_tx,
              static_cast<int>(r.outcome));
    return;
  }
  tx_state cst;
  cst.o = st.o;
  if (st.connection != 0)
    cst.o.from.connection_id = st.connection; // the INVITE's flow
  cst.client = true;
  cst.quiet = true;
  txs.emplace(r.tx, std::move(cst));
  apply(out);
}

void sip_stack::impl::on_response_message(const peer& from, sip::message response) {
  const auto status = response.status_code();
  const auto cseq = response.cseq();
  const bool invite_2xx =
      status >= 200 && status < 300 && cseq && cseq->method == sip::method::invite;
  sip::transaction_table::effects out;
  std::optional<sip::message> keep;
  if (invite_2xx && on_stray_2xx)
    keep.emplace(response);
  const auto call_id = std::string{response.call_id()};
  const auto r = table.on_response(std::move(response), clk.now(), out);
  if (r.outcome == sip::transaction_table::response_outcome::matched) {
    apply(out);
    return;
  }
  if (r.outcome == sip::transaction_table::response_outcome::stray)
    ++probe.stray_responses;
  if (r.outcome == sip::transaction_table::response_outcome::stray && keep) {
    log->debug("stray {} from {} (Call-ID {}) to the core", status, from.to_string(),
               call_id);
    on_stray_2xx(*keep);
    return;
  }
  log->debug("stray {} response from {} (Call-ID {}) dropped", status, from.to_string(),
             call_id);
  ++probe.dropped;
}

client_tx_handle sip_stack::send_request(sip::message request, const peer& destination,
                                         response_handler on_response,
                                         std::string_view branch) {
  return impl_->start_client(std::move(request), destination, std::move(on_response),
                             branch);
}

void sip_stack::cancel(client_tx_handle tx) {
  if (impl_->stopped || tx.id == 0)
    return;
  const auto it = impl_->txs.find(tx.id);
  if (it == impl_->txs.end() || !it->second.client || !it->second.request ||
      it->second.request->method() != sip::method::invite || it->second.final_seen ||
      it->second.cancel_sent)
    return;
  if (it->second.provisional)
    impl_->send_cancel(tx.id, it->second);
  else
    it->second.cancel_pending = true; // §9.1: wait for a provisional response
}

void sip_stack::send_stateless(const sip::message& msg, const peer& destination) {
  if (impl_->stopped)
    return;
  transport* via = impl_->listener_for(destination);
  if (via == nullptr) {
    ++impl_->probe.dropped;
    return;
  }
  if (msg.is_response()) {
    via->send(destination, msg.serialize(), nullptr);
    return;
  }
  sip::message request{msg};
  impl_->stamp_via(request, *via, impl_->ids.branch());
  impl_->log->debug("{} to {} (Call-ID {}), stateless", request.method_text(),
                    destination.to_string(), request.call_id());
  via->send(destination, request.serialize(), nullptr);
}

void sip_stack::on_stray_2xx(std::function<void(const sip::message& response)> handler) {
  impl_->on_stray_2xx = std::move(handler);
}

} // namespace ringdown::transport
