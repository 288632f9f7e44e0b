#include "net/sip/transaction_table.hpp"

#include <string>
#include <type_traits>

#include "base/assert.hpp"
#include "base/logging.hpp"

namespace ringdown::sip {
namespace {

const std::shared_ptr<spdlog::logger>& logger() {
  static const auto lg = log::get("sip.transaction");
  return lg;
}

template <class S>
constexpr bool is_client_v =
    std::is_same_v<S, invite_client_stm> || std::is_same_v<S, non_invite_client_stm>;

} // namespace

transaction_table::transaction_table(const config::sip_timers& timers,
                                     std::size_t transactions_max, id_generator& ids,
                                     trying_policy trying)
    : values_(timer_values::from(timers)), max_(transactions_max), ids_(ids),
      trying_(trying) {
  RINGDOWN_ASSERT(transactions_max > 0, "transactions_max must be positive");
}

transaction_table::request_result transaction_table::on_request(message request,
                                                                time_point now,
                                                                bool reliable,
                                                                effects& out) {
  if (!request.is_request())
    return {};
  auto key = server_key::of(request);
  if (!key)
    return {};
  const bool ack = request.method() == method::ack;
  if (const auto it = servers_.find(*key); it != servers_.end()) {
    const tx_id tx = it->second;
    if (ack && !key->rfc3261) {
      // RFC 2543 ACK: its To tag must be the one of the response we sent.
      const auto* inv = get<invite_server_stm>(tx);
      const auto to = request.to();
      const bool same = inv && inv->last_response() && to && inv->last_response()->to() &&
                        inv->last_response()->to()->tag() == to->tag();
      if (!same)
        return {request_outcome::stray_ack, 0, 0};
    }
    dispatch(tx, request_received{share(std::move(request))}, now, out);
    return {request_outcome::matched, tx, 0};
  }
  if (ack)
    return {request_outcome::stray_ack, 0, 0};
  if (txs_.size() >= max_) {
    note_full(request, "refusing");
    return {request_outcome::refused_full, 0, 0};
  }
  request_result result{request_outcome::new_transaction, next_id_++, 0};
  if (request.method() == method::cancel)
    result.cancels = find(key->cancel_target()).value_or(0);
  auto msg = share(std::move(request));
  stm_variant stm =
      msg->method() == method::invite
          ? stm_variant{std::in_place_type<invite_server_stm>, msg, values_, reliable,
                        trying_}
          : stm_variant{std::in_place_type<non_invite_server_stm>, msg, values_, reliable};
  const auto [pos, added] = servers_.emplace(std::move(*key), result.tx);
  RINGDOWN_ASSERT(added, "server transaction key already in the table");
  txs_.emplace(result.tx, entry{std::move(stm), nullptr, &pos->first});
  start(result.tx, now, out);
  return result;
}

transaction_table::response_result
transaction_table::on_response(message response, time_point now, effects& out) {
  if (!response.is_response())
    return {};
  const auto key = client_key::of(response);
  if (!key)
    return {};
  const auto it = clients_.find(*key);
  if (it == clients_.end())
    return {response_outcome::stray, 0};
  const tx_id tx = it->second;
  dispatch(tx, response_received{share(std::move(response))}, now, out);
  return {response_outcome::matched, tx};
}

transaction_table::send_result transaction_table::send_request(message request,
                                                               time_point now,
                                                               bool reliable,
                                                               effects& out) {
  if (!request.is_request() || !request.top_via() || !request.cseq())
    return {};
  if (request.method() == method::ack)
    return {send_outcome::is_ack, 0};
  if (txs_.size() >= max_) {
    note_full(request, "cannot send");
    return {send_outcome::refused_full, 0};
  }
  if (request.top_via()->branch().empty()) // edits re-index the message at once
    request.set_top_via_param("branch", ids_.branch());
  auto key = client_key::of(request);
  if (!key)
    return {};
  if (clients_.contains(*key))
    return {send_outcome::duplicate, 0};
  const tx_id tx = next_id_++;
  auto msg = share(std::move(request));
  stm_variant stm =
      msg->method() == method::invite
          ? stm_variant{std::in_place_type<invite_client_stm>, msg, values_, reliable}
          : stm_variant{std::in_place_type<non_invite_client_stm>, msg, values_, reliable};
  const auto [pos, added] = clients_.emplace(std::move(*key), tx);
  RINGDOWN_ASSERT(added, "client transaction key already in the table");
  txs_.emplace(tx, entry{std::move(stm), &pos->first, nullptr});
  start(tx, now, out);
  return {send_outcome::started, tx};
}

bool transaction_table::send_response(tx_id tx, message response, time_point now,
                                      effects& out) {
  const auto it = txs_.find(tx);
  if (it == txs_.end() || it->second.server == nullptr || !response.is_response())
    return false;
  dispatch(tx, tu_response{share(std::move(response))}, now, out);
  return true;
}

void transaction_table::on_timer(tx_id tx, timer_name t, time_point now, effects& out) {
  if (txs_.contains(tx))
    dispatch(tx, timer_fired{t}, now, out);
}

void transaction_table::on_transport_error(tx_id tx, time_point now, effects& out) {
  if (txs_.contains(tx))
    dispatch(tx, transport_error{}, now, out);
}

std::optional<tx_id> transaction_table::find(const client_key& k) const {
  const auto it = clients_.find(k);
  return it == clients_.end() ? std::nullopt : std::optional<tx_id>{it->second};
}

std::optional<tx_id> transaction_table::find(const server_key& k) const {
  const auto it = servers_.find(k);
  return it == servers_.end() ? std::nullopt : std::optional<tx_id>{it->second};
}

std::optional<std::variant<client_key, server_key>>
transaction_table::key_of(tx_id tx) const {
  const auto it = txs_.find(tx);
  if (it == txs_.end())
    return std::nullopt;
  if (it->second.client)
    return std::variant<client_key, server_key>{*it->second.client};
  return std::variant<client_key, server_key>{*it->second.server};
}

void transaction_table::note_full(const message& m, std::string_view what) {
  // Warn once per episode of overload, then only at debug level.
  const auto level = full_warned_ ? spdlog::level::debug : spdlog::level::warn;
  full_warned_ = true;
  logger()->log(level, "transaction table full ({}): {} {} Call-ID {}", max_, what,
                m.method_text(), m.call_id());
}

template <class Event>
void transaction_table::dispatch(tx_id tx, const Event& ev, time_point now, effects& out) {
  auto& e = txs_.at(tx);
  std::visit(
      [&](auto& s) {
        using S = std::decay_t<decltype(s)>;
        if constexpr (is_client_v<S>) {
          if constexpr (std::is_constructible_v<client_event, Event>)
            s.handle(client_event{ev}, now, scratch_);
        } else {
          if constexpr (std::is_constructible_v<server_event, Event>)
            s.handle(server_event{ev}, now, scratch_);
        }
      },
      e.stm);
  flush(tx, out);
}

void transaction_table::start(tx_id tx, time_point now, effects& out) {
  std::visit([&](auto& s) { s.start(now, scratch_); }, txs_.at(tx).stm);
  flush(tx, out);
}

void transaction_table::flush(tx_id tx, effects& out) {
  bool done = false;
  for (auto& eff : scratch_) {
    if (std::holds_alternative<terminated>(eff))
      done = true;
    else if (std::holds_alternative<tu_timeout>(eff) ||
             std::holds_alternative<tu_transport_error>(eff))
      logger()->debug(
          "transaction {} failed ({}): Call-ID {}", tx,
          std::holds_alternative<tu_timeout>(eff) ? "timeout" : "transport error",
          std::visit([](const auto& s) { return s.request().call_id(); }, txs_.at(tx).stm));
    out.push_back(tagged_effect{tx, std::move(eff)});
  }
  scratch_.clear();
  if (!done)
    return;
  const auto it = txs_.find(tx);
  RINGDOWN_ASSERT(it != txs_.end(), "terminated transaction not in the table");
  // Erase by iterator: the keys the entry points at are the maps' own.
  if (const auto* ck = it->second.client)
    clients_.erase(clients_.find(*ck));
  else
    servers_.erase(servers_.find(*it->second.server));
  txs_.erase(it);
  if (txs_.size() < max_ - max_ / 10) // re-warn once load fell by 10%
    full_warned_ = false;
}

} // namespace ringdown::sip
