#include "net/transport/sip_stack.hpp"

#include "base/assert.hpp"
#include "net/sip/builder.hpp"
#include "net/transport/response_route.hpp"
#include "net/transport/sip_stack_impl.hpp"

namespace ringdown::transport {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

} // namespace

void sip_stack::impl::on_receive(transport* t, const peer& from, std::string_view bytes) {
  if (stopped)
    return;
  sip::message msg;
  const auto result = parser.parse(bytes, msg);
  const origin o{t, from};
  if (!result.ok()) {
    if (result.answerable && msg.is_request() && msg.method() != sip::method::ack) {
      log->info("malformed {} from {} (Call-ID {}): {} {}", msg.method_text(),
                from.to_string(), msg.call_id(), result.status, result.reason);
      ++probe.parse_errors_answered;
      stamp_received(msg, from);
      sip::message stamped;
      const auto wire = msg.serialize();
      if (const auto again = parser.parse(wire, stamped); again.answerable)
        reject(o, stamped, result.status, result.reason);
      else
        reject(o, msg, result.status, result.reason);
    } else {
      log->debug("dropped unanswerable message from {}: {}", from.to_string(),
                 result.reason);
      ++probe.dropped;
    }
    return;
  }
  if (msg.is_response()) {
    on_response_message(from, std::move(msg));
    return;
  }
  if (stamp_received(msg, from)) {
    const auto wire = msg.serialize();
    sip::message stamped;
    if (!parser.parse(wire, stamped).ok()) {
      ++probe.dropped;
      return;
    }
    msg = std::move(stamped);
  }
  on_request_message(o, std::move(msg));
}

void sip_stack::impl::on_request_message(const origin& o, sip::message request) {
  log->debug("{} from {} (Call-ID {})", request.method_text(), o.from.to_string(),
             request.call_id());
  using outcome = sip::transaction_table::request_outcome;
  const bool ack = request.method() == sip::method::ack;
  sip::transaction_table::effects out;
  const auto r = table.on_request(ack ? sip::message{request} : std::move(request),
                                  clk.now(), is_reliable(o.from.proto), out);
  switch (r.outcome) {
  case outcome::new_transaction:
    txs.emplace(r.tx, tx_state{}).first->second.o = o;
    apply(out, r.cancels);
    return;
  case outcome::matched:
    apply(out);
    return;
  case outcome::stray_ack:
    on_request(request, server_tx_handle{0, 0, o.from});
    return;
  case outcome::refused_full:
    reject(o, request, 503, "Service Unavailable");
    return;
  case outcome::malformed:
    ++probe.dropped;
    return;
  }
}

void sip_stack::impl::on_timer(sip::tx_id tx, sip::timer_name name) {
  if (auto it = txs.find(tx); it != txs.end())
    it->second.timers.set(name, 0);
  sip::transaction_table::effects out;
  table.on_timer(tx, name, clk.now(), out);
  apply(out);
}

void sip_stack::impl::apply(sip::transaction_table::effects& out, std::uint64_t cancels) {
  for (auto& e : out) {
    const auto tx = e.tx;
    // Looked up per effect: the TU may answer (and so re-enter) on pass_to_tu.
    auto it = txs.find(tx);
    if (it == txs.end())
      continue;
    tx_state& st = it->second; // stable: the TU may add transactions (rehash)
    std::visit(
        overloaded{
            [&](const sip::send_message& m) {
              if (st.client) {
                client_send(tx, st, m.msg);
                return;
              }
              if (send_response(st.o, *m.msg))
                return;
              // §17.2.4: the transaction hears of the failure.
              sip::transaction_table::effects more;
              table.on_transport_error(tx, clk.now(), more);
              apply(more);
            },
            [&](const sip::arm_timer& a) {
              timers.cancel(st.timers.get(a.name));
              // tx and name in one word: the callback stays within
              // std::function's inline storage (no allocation per
              // armed timer); tx ids stay far below 2^56.
              const std::uint64_t tx_name = tx << 8 | static_cast<std::uint64_t>(a.name);
              st.timers.set(a.name, timers.arm(a.deadline - clk.now(), [this, tx_name] {
                on_timer(tx_name >> 8, static_cast<sip::timer_name>(tx_name & 0xff));
              }));
            },
            [&](const sip::cancel_timer& c) {
              timers.cancel(st.timers.get(c.name));
              st.timers.set(c.name, 0);
            },
            [&](const sip::pass_to_tu& p) {
              if (st.client)
                client_pass(tx, st, *p.msg, false);
              else
                on_request(*p.msg, server_tx_handle{tx, cancels, st.o.from});
            },
            [&](const sip::tu_timeout&) {
              log->info("transaction {} timed out", tx);
              if (st.client)
                client_fail(st, 408);
            },
            [&](const sip::tu_transport_error&) {
              log->info("transaction {} failed: transport error", tx);
              if (st.client)
                client_fail(st, 503);
            },
            [&](const sip::terminated&) {
              st.timers.for_each([&](auto id) { timers.cancel(id); });
              txs.erase(tx);
            },
        },
        e.what);
  }
}

void sip_stack::impl::reject(const origin& o, const sip::message& request, int status,
                             std::string_view reason) {
  const auto response = sip::message_builder::response(request, status, reason, ids.tag());
  send_response(o, response);
}

bool sip_stack::impl::send_response(const origin& o, const sip::message& response) {
  const auto top = response.top_via();
  if (!top) {
    ++probe.dropped;
    return false;
  }
  const auto dest = response_destination(*top, o.from);
  log->debug("{} {} to {} (Call-ID {})", response.status_code(), response.reason_phrase(),
             dest.to_string(), response.call_id());
  return o.via->send(dest, response.serialize(), nullptr);
}

sip_stack::sip_stack(boost::asio::io_context& io, const config::node_config& cfg,
                     const ringdown::clock& clk, id_generator& ids,
                     request_handler on_request)
    : impl_(std::make_unique<impl>(io, cfg, clk, ids, std::move(on_request))) {}

sip_stack::~sip_stack() {
  shutdown();
}

bool sip_stack::listen(const config::listen_address& where, std::string& error) {
  RINGDOWN_ASSERT(!impl_->stopped, "listen after shutdown");
  impl* self = impl_.get();
  // The handler needs the transport it belongs to; it is created below.
  auto slot = std::make_shared<transport*>(nullptr);
  transport_context ctx{
      impl_->io,
      impl_->cfg,
      impl_->clk,
      impl_->probe,
      [self, slot](const peer& from, std::string_view bytes) {
        self->on_receive(*slot, from, bytes);
      },
      [self, slot](std::uint64_t id) { self->on_connect_failed(*slot, id); },
      impl_->next_connection_id};
  auto t = where.proto == config::listen_address::protocol::udp
               ? make_udp_transport(ctx, where, error)
               : make_stream_transport(ctx, where, error);
  if (!t)
    return false;
  *slot = t.get();
  impl_->transports.push_back(std::move(t));
  return true;
}

std::vector<config::listen_address> sip_stack::listeners() const {
  std::vector<config::listen_address> out;
  for (const auto& t : impl_->transports)
    out.push_back(t->local());
  return out;
}

void sip_stack::respond(server_tx_handle tx, const sip::message& response) {
  if (impl_->stopped || tx.id == 0)
    return;
  sip::transaction_table::effects out;
  if (!impl_->table.send_response(tx.id, response, impl_->clk.now(), out))
    return;
  impl_->apply(out);
}

void sip_stack::shutdown() {
  if (impl_->stopped)
    return;
  impl_->stopped = true;
  for (auto& t : impl_->transports)
    t->close();
  impl_->timers.cancel_all();
  impl_->txs.clear();
}

const transport_probe& sip_stack::probe() const noexcept {
  return impl_->probe;
}

std::size_t sip_stack::connections() const noexcept {
  std::size_t n = 0;
  for (const auto& t : impl_->transports)
    n += t->connections();
  return n;
}

std::size_t sip_stack::transactions() const noexcept {
  return impl_->table.size();
}

} // namespace ringdown::transport
