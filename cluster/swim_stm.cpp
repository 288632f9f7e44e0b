#include "cluster/swim_stm.hpp"

#include <algorithm>
#include <utility>

#include "base/assert.hpp"

namespace ringdown::cluster {

swim_stm::swim_stm(member self, swim_config config, std::vector<std::uint8_t> cluster_key,
                   rng& gen)
    : config_(config), key_(std::move(cluster_key)), gen_(gen), self_id_(self.id) {
  RINGDOWN_ASSERT(well_formed(self), "own member record past its limits");
  RINGDOWN_ASSERT(config_.probe_interval_ms > 0 && config_.probe_timeout_ms > 0,
                  "probe interval and timeout must be positive");
  self.state = member_state::alive;
  table_.upsert(self);
}

const member& swim_stm::self() const {
  const member* m = table_.find(self_id_);
  RINGDOWN_ASSERT(m != nullptr, "own record missing from the members table");
  return *m;
}

member& swim_stm::me() {
  member* m = table_.find(self_id_);
  RINGDOWN_ASSERT(m != nullptr, "own record missing from the members table");
  return *m;
}

const suspicion* swim_stm::suspicion_of(std::string_view id) const noexcept {
  const auto it = suspicions_.find(id);
  return it == suspicions_.end() ? nullptr : &it->second;
}

void swim_stm::join(std::vector<std::string> seed_addresses, time_point now,
                    swim_output& out) {
  if (left_)
    return;
  std::erase(seed_addresses, me().addresses.cluster);
  if (seed_addresses.size() > seeds_max)
    seed_addresses.resize(seeds_max);
  seeds_ = std::move(seed_addresses);
  gossip(me(), self_id_); // SWIM §4.4: a joiner announces itself
  for (const auto& seed : seeds_)
    send_push_pull(seed, true, true, out);
  next_join_at_.reset();
  if (!seeds_.empty())
    next_join_at_ = now + std::chrono::milliseconds(config_.join_retry_ms);
  start_timers(now);
  set_wakeup(out);
}

void swim_stm::start_timers(time_point now) {
  if (!next_probe_at_)
    next_probe_at_ = now + scaled(config_.probe_interval_ms);
  if (!next_gossip_at_)
    next_gossip_at_ = now + gossip_interval();
  if (!next_push_pull_at_ && config_.push_pull_interval_ms > 0)
    next_push_pull_at_ = now + std::chrono::milliseconds(config_.push_pull_interval_ms);
}

void swim_stm::receive(std::string_view from_address, std::span<const std::uint8_t> bytes,
                       time_point now, swim_output& out) {
  ++counters_.packets_in;
  counters_.bytes_in += bytes.size();
  if (left_)
    return;
  start_timers(now);
  decode_error error{};
  if (!decode_into(bytes, key_, rx_, &error)) {
    switch (error) {
    case decode_error::too_big:
      ++counters_.dropped_too_big;
      break;
    case decode_error::bad_mac:
      ++counters_.dropped_bad_mac;
      break;
    case decode_error::malformed:
      ++counters_.dropped_malformed;
      break;
    }
    set_wakeup(out);
    return;
  }
  if (rx_.from_id == self_id_) {
    set_wakeup(out);
    return;
  }
  for (const auto& u : rx_.updates)
    apply(u, now, out);
  // A member we never heard of, or hold dead (its news missed us, or it
  // missed ours): sync with it, at most once per probe interval. A member
  // that left is silent on purpose; its last packets are no news.
  const member* sender = table_.find(rx_.from_id);
  if (rx_.kind != message_kind::push_pull && rx_.kind != message_kind::leave &&
      (sender == nullptr || sender->state == member_state::dead) &&
      (!last_stranger_sync_ || now - *last_stranger_sync_ >=
                                   std::chrono::milliseconds(config_.probe_interval_ms))) {
    last_stranger_sync_ = now;
    send_push_pull(from_address, true, false, out);
  }
  switch (rx_.kind) {
  case message_kind::ping:
    if (rx_.target_id.empty() || rx_.target_id == self_id_) {
      // A member we hold dead or left is told so at once, so it can refute.
      sender = table_.find(rx_.from_id);
      const bool gone = sender != nullptr && !is_live(sender->state);
      const swim_update lead{gone ? *sender : member{}, self_id_};
      swim_message ack;
      ack.kind = message_kind::ack;
      ack.seq = rx_.seq;
      send(ack, {}, from_address, rx_.from_id, out, gone ? &lead : nullptr);
    }
    break;
  case message_kind::ack:
    on_ack(rx_.seq, out);
    break;
  case message_kind::nack:
    on_nack(rx_.seq, now, out);
    break;
  case message_kind::ping_req:
    on_ping_req(from_address, rx_, now, out);
    break;
  case message_kind::push_pull:
    for (const auto& m : rx_.members)
      merge_remote(m, rx_.from_id, now, out);
    if (rx_.request)
      send_push_pull(from_address, false, false, out);
    break;
  case message_kind::leave:
  case message_kind::gossip:
    break;
  }
  probe_suspect_now(now, out);
  flush_urgent(now, out);
  set_wakeup(out);
}

void swim_stm::tick(time_point now, swim_output& out) {
  if (left_) {
    out.next_wakeup.reset();
    return;
  }
  start_timers(now);
  probe_timers(now, out);
  if (now >= *next_probe_at_) {
    start_probe(now, out);
    next_probe_at_ = now + scaled(config_.probe_interval_ms);
  }
  probe_suspect_now(now, out);
  for (auto it = suspicions_.begin(); it != suspicions_.end();) {
    if (now < it->second.deadline()) {
      ++it;
      continue;
    }
    member* m = table_.find(it->first);
    it = suspicions_.erase(it);
    if (m == nullptr || m->state != member_state::suspect)
      continue;
    m->state = member_state::dead;
    gone_since_[m->id] = now;
    if (probe_ && probe_->target_id == m->id)
      probe_.reset();
    ++counters_.deaths;
    out.events.push_back({swim_event::failed, m->id});
    gossip(*m, self_id_);
  }
  if (next_push_pull_at_ && now >= *next_push_pull_at_) {
    push_pull_target(picked_);
    if (!picked_.empty())
      send_push_pull(picked_.front()->addresses.cluster, true, false, out);
    next_push_pull_at_ = now + std::chrono::milliseconds(config_.push_pull_interval_ms);
  }
  // Alone (first start, or everyone else died or left from where we
  // stand): keep asking the seeds.
  if (seeds_.empty() || table_.live_count() > 1) {
    next_join_at_.reset();
  } else if (!next_join_at_ || now >= *next_join_at_) {
    if (next_join_at_)
      for (const auto& seed : seeds_)
        send_push_pull(seed, true, true, out);
    next_join_at_ = now + std::chrono::milliseconds(config_.join_retry_ms);
  }
  gossip_timer(now, out);
  flush_urgent(now, out);
  collect_garbage(now);
  set_wakeup(out);
}

void swim_stm::leave(time_point /*now*/, swim_output& out) {
  if (left_)
    return;
  member& m = me();
  m.state = member_state::left;
  const swim_update farewell{m, self_id_};
  swim_message bye;
  bye.kind = message_kind::leave;
  for (const auto& [id, other] : table_)
    if (id != self_id_ && is_live(other.state))
      send(bye, {}, other.addresses.cluster, id, out, &farewell);
  out.events.push_back({swim_event::left, self_id_});
  left_ = true;
  probe_.reset();
  relays_.clear();
  suspicions_.clear();
  out.next_wakeup.reset();
}

encode_result swim_stm::send(swim_message& m, std::span<const member> members,
                             std::string_view to, std::string_view to_id, swim_output& out,
                             const swim_update* lead) {
  m.from_id = self_id_;
  piggyback_.clear();
  if (lead != nullptr)
    piggyback_.push_back(*lead);
  const std::size_t queued_from = piggyback_.size();
  if (m.kind != message_kind::push_pull)
    broadcasts_.candidates(updates_per_packet_max - queued_from, to_id, piggyback_);
  auto& s = out.sends.emplace_back();
  s.to_address.assign(to);
  const encode_result fit = encode(m, members, piggyback_, key_, s.bytes);
  if (fit.updates > queued_from)
    broadcasts_.sent(fit.updates - queued_from, retransmit_limit());
  ++counters_.packets_out;
  counters_.bytes_out += s.bytes.size();
  return fit;
}

void swim_stm::send_push_pull(std::string_view to, bool request, bool join,
                              swim_output& out) {
  members_scratch_.clear();
  for (const auto& [id, m] : table_)
    members_scratch_.push_back(m);
  std::span<const member> rest(members_scratch_);
  swim_message msg;
  msg.kind = message_kind::push_pull;
  msg.request = request;
  msg.join = join;
  do {
    const encode_result fit = send(msg, rest, to, {}, out);
    RINGDOWN_ASSERT(fit.members > 0, "a member record must fit a packet");
    rest = rest.subspan(fit.members);
    msg.request = msg.join = false; // the first chunk alone asks for an answer
  } while (!rest.empty());
}

void swim_stm::push_pull_target(std::vector<const member*>& out) {
  // One member drawn among the alive and, as Serf reconnects to failed
  // members, the dead and left tombstones: after a partition heals the two
  // sides find each other again, a member declared dead by mistake learns
  // it and refutes, and members that left and came back through each other
  // (two seeds restarted together, or a joiner whose datagram to the
  // cluster was lost) are not left on an island of their own.
  out.clear();
  std::uint64_t seen = 0;
  for (const auto& [id, m] : table_) {
    if (id == self_id_ || m.state == member_state::suspect)
      continue;
    if (gen_.below(++seen) == 0) {
      out.clear();
      out.push_back(&m);
    }
  }
}

std::uint32_t swim_stm::retransmit_limit() const noexcept {
  // retransmit_mult × ceil(log10(n + 1)), at least one send.
  std::uint64_t n = table_.live_count() + 1;
  std::uint32_t digits = 0;
  for (std::uint64_t p = 1; p < n; p *= 10)
    ++digits;
  return std::max<std::uint32_t>(1, config_.retransmit_mult *
                                        std::max<std::uint32_t>(1, digits));
}

void swim_stm::set_wakeup(swim_output& out) const {
  std::optional<time_point> t;
  const auto consider = [&t](time_point c) {
    if (!t || c < *t)
      t = c;
  };
  if (left_) {
    out.next_wakeup.reset();
    return;
  }
  if (next_probe_at_)
    consider(*next_probe_at_);
  if (probe_) {
    consider(probe_->indirect_sent ? probe_->deadline : probe_->indirect_at);
  }
  for (const auto& r : relays_)
    consider(r.nack_at);
  for (const auto& [id, s] : suspicions_)
    consider(s.deadline());
  if (next_gossip_at_ && config_.gossip_nodes > 0 && !broadcasts_.empty())
    consider(*next_gossip_at_);
  if (next_push_pull_at_)
    consider(*next_push_pull_at_);
  if (next_join_at_)
    consider(*next_join_at_);
  for (const auto& [id, since] : gone_since_)
    consider(since + std::chrono::milliseconds(config_.dead_retention_ms));
  out.next_wakeup = t;
}

} // namespace ringdown::cluster
