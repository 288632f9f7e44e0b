// swim_stm: failure detection (Das et al. 2002 §3.1, §4.3) and local
// health (Lifeguard, Dadgar et al. 2018 §IV-A).
#include <algorithm>
#include <utility>

#include "cluster/swim_stm.hpp"

namespace ringdown::cluster {

duration swim_stm::scaled(std::uint32_t ms) const noexcept {
  return std::chrono::milliseconds(ms) * (awareness_ + 1);
}

void swim_stm::adjust_awareness(int delta) {
  const int top = static_cast<int>(std::max<std::uint32_t>(config_.awareness_max, 1)) - 1;
  awareness_ =
      static_cast<std::uint32_t>(std::clamp(static_cast<int>(awareness_) + delta, 0, top));
}

void swim_stm::random_live(std::size_t k, std::string_view exclude, bool alive_only,
                           std::vector<const member*>& out) {
  // Reservoir sampling: a uniform k-subset in one pass, drawn from gen_.
  out.clear();
  std::uint64_t seen = 0;
  for (const auto& [id, m] : table_) {
    if (id == self_id_ || id == exclude || !is_live(m.state) ||
        (alive_only && m.state != member_state::alive))
      continue;
    ++seen;
    if (out.size() < k) {
      out.push_back(&m);
      continue;
    }
    const std::uint64_t j = gen_.below(seen);
    if (j < k)
      out[j] = &m;
  }
}

void swim_stm::add_to_probe_order(const std::string& id) {
  // SWIM §4.3: a new member goes to a uniformly random place of the list.
  const auto pos = static_cast<std::size_t>(gen_.below(probe_order_.size() + 1));
  probe_order_.insert(probe_order_.begin() + static_cast<std::ptrdiff_t>(pos), id);
  if (pos < probe_index_)
    ++probe_index_;
}

void swim_stm::start_probe(time_point now, swim_output& out) {
  probe_.reset();
  const member* target = nullptr;
  if (!probe_next_.empty()) {
    const member* m = table_.find(probe_next_);
    if (m != nullptr && m->state == member_state::suspect)
      target = m;
    probe_next_.clear();
  }
  bool rebuilt = false;
  while (target == nullptr) {
    if (probe_index_ >= probe_order_.size()) {
      if (rebuilt)
        return;
      // A new round: every live member once, in a fresh random order.
      rebuilt = true;
      probe_order_.clear();
      probe_index_ = 0;
      for (const auto& [id, m] : table_)
        if (id != self_id_ && is_live(m.state))
          probe_order_.push_back(id);
      for (std::size_t i = probe_order_.size(); i > 1; --i)
        std::swap(probe_order_[i - 1], probe_order_[gen_.below(i)]);
      continue;
    }
    const member* m = table_.find(probe_order_[probe_index_++]);
    if (m != nullptr && m->id != self_id_ && is_live(m->state))
      target = m;
  }
  probe_state p;
  p.target_id = target->id;
  p.target_address = target->addresses.cluster;
  p.seq = ++seq_;
  p.indirect_at = now + scaled(config_.probe_timeout_ms);
  p.deadline = now + scaled(config_.probe_interval_ms);
  ++counters_.probes;
  swim_message ping;
  ping.kind = message_kind::ping;
  ping.seq = p.seq;
  ping.target_id = p.target_id;
  // Lifeguard §IV-C (buddy system): a suspect hears of it in our ping.
  const bool buddy = target->state == member_state::suspect;
  const swim_update lead{buddy ? *target : member{}, self_id_};
  send(ping, {}, p.target_address, p.target_id, out, buddy ? &lead : nullptr);
  probe_ = std::move(p);
}

void swim_stm::probe_suspect_now(time_point now, swim_output& out) {
  if (probe_next_.empty() || left_)
    return;
  if (probe_) {
    if (probe_->target_id == probe_next_)
      probe_next_.clear();
    return;
  }
  start_probe(now, out);
  next_probe_at_ = now + scaled(config_.probe_interval_ms);
}

void swim_stm::probe_timers(time_point now, swim_output& out) {
  if (probe_) {
    const member* t = table_.find(probe_->target_id);
    if (t == nullptr || !is_live(t->state)) {
      probe_.reset();
    } else {
      probe_state& p = *probe_;
      if (!p.indirect_sent && now >= p.indirect_at) {
        p.indirect_sent = true;
        random_live(config_.indirect_checks, p.target_id, true, picked_);
        swim_message req;
        req.kind = message_kind::ping_req;
        req.seq = p.seq;
        req.target_id = p.target_id;
        req.target_address = p.target_address;
        for (const member* via : picked_) {
          send(req, {}, via->addresses.cluster, via->id, out);
          ++counters_.ping_reqs;
        }
        p.nacks_expected = static_cast<std::uint32_t>(picked_.size());
      }
      if (now >= p.deadline)
        fail_probe(now, out);
    }
  }
  for (auto it = relays_.begin(); it != relays_.end();) {
    if (now < it->nack_at) {
      ++it;
      continue;
    }
    swim_message nack;
    nack.kind = message_kind::nack;
    nack.seq = it->requester_seq;
    const std::string to = std::move(it->requester_address);
    const std::string to_id = std::move(it->requester_id);
    it = relays_.erase(it);
    send(nack, {}, to, to_id, out);
    ++counters_.nacks;
  }
}

void swim_stm::on_ack(std::uint32_t seq, swim_output& out) {
  if (probe_ && probe_->seq == seq) {
    probe_.reset();
    adjust_awareness(-1);
    return;
  }
  const auto it = std::find_if(relays_.begin(), relays_.end(),
                               [seq](const relay& r) { return r.seq == seq; });
  if (it == relays_.end())
    return;
  swim_message ack;
  ack.kind = message_kind::ack;
  ack.seq = it->requester_seq;
  const std::string to = std::move(it->requester_address);
  const std::string to_id = std::move(it->requester_id);
  relays_.erase(it);
  send(ack, {}, to, to_id, out);
}

void swim_stm::fail_probe(time_point now, swim_output& out) {
  // Lifeguard §IV-A: missing nacks mean our own links or load are at
  // fault; with nobody to ask, any failed probe counts.
  probe_state& p = *probe_;
  const int missed =
      p.nacks_expected > 0 ? static_cast<int>(p.nacks_expected - p.nacks_received) : 1;
  adjust_awareness(missed);
  const std::string target_id = std::move(p.target_id);
  probe_.reset();
  if (member* m = table_.find(target_id))
    suspect(*m, self_id_, now, out);
}

void swim_stm::on_nack(std::uint32_t seq, time_point now, swim_output& out) {
  if (!probe_ || probe_->seq != seq || probe_->nacks_received >= probe_->nacks_expected)
    return;
  // Every relay tried the target and heard nothing back: the probe has
  // failed, no need to wait for the end of the interval (a relay sends its
  // nack at 80% of the probe timeout, so this is ~1.8 timeouts in).
  if (++probe_->nacks_received == probe_->nacks_expected)
    fail_probe(now, out);
}

void swim_stm::on_ping_req(std::string_view from_address, const swim_message& m,
                           time_point now, swim_output& out) {
  if (m.target_id == self_id_) {
    swim_message ack;
    ack.kind = message_kind::ack;
    ack.seq = m.seq;
    send(ack, {}, from_address, m.from_id, out);
    return;
  }
  if (relays_.size() >= relays_max || m.target_address.empty())
    return;
  relay r;
  r.seq = ++seq_;
  r.requester_seq = m.seq;
  r.requester_address.assign(from_address);
  r.requester_id = m.from_id;
  // Lifeguard §IV-A: the nack leaves at 80% of the probe timeout, before
  // the requester gives up on the probe.
  r.nack_at = now + std::chrono::milliseconds(config_.probe_timeout_ms) * 4 / 5;
  swim_message ping;
  ping.kind = message_kind::ping;
  ping.seq = r.seq;
  ping.target_id = m.target_id;
  const std::string target_address = m.target_address;
  relays_.push_back(std::move(r));
  send(ping, {}, target_address, m.target_id, out);
}

} // namespace ringdown::cluster
