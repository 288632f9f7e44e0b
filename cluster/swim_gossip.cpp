// swim_stm: the gossip timer (HashiCorp memberlist's gossip; Das et al.
// 2002 §4.1 infection-style dissemination) and urgent news: refutations
// (Lifeguard, Dadgar et al. 2018 §IV-B: a refutation races the suspicion
// timeout), new suspicions and confirmations (they shorten it).
#include <algorithm>

#include "cluster/swim_stm.hpp"

namespace ringdown::cluster {

duration swim_stm::gossip_interval() const noexcept {
  const std::uint32_t ms = config_.gossip_interval_ms > 0
                               ? config_.gossip_interval_ms
                               : std::max<std::uint32_t>(1, config_.probe_interval_ms / 5);
  return std::chrono::milliseconds(ms);
}

void swim_stm::gossip_timer(time_point now, swim_output& out) {
  if (config_.gossip_nodes == 0)
    return;
  if (next_gossip_at_ && now < *next_gossip_at_)
    return;
  // The timer only wakes us while updates are queued (set_wakeup); idle,
  // it lapses and the next update goes out at the next tick.
  if (!broadcasts_.empty())
    gossip_now(now, {}, out);
  next_gossip_at_ = now + gossip_interval();
}

void swim_stm::gossip_now(time_point now, std::string_view also_id, swim_output& out) {
  // A uniform sample (reservoir) of the live members and of the recently
  // dead (memberlist's GossipToTheDeadTime: a member declared dead by
  // mistake learns it and refutes).
  gossip_to_.clear();
  const std::size_t k = config_.gossip_nodes;
  const auto to_dead = std::chrono::milliseconds(config_.gossip_to_dead_ms);
  std::uint64_t seen = 0;
  for (const auto& [id, m] : table_) {
    if (id == self_id_ || id == also_id || m.state == member_state::left)
      continue;
    if (m.state == member_state::dead) {
      const auto it = gone_since_.find(id);
      if (it == gone_since_.end() || now - it->second >= to_dead)
        continue;
    }
    ++seen;
    if (gossip_to_.size() < k) {
      gossip_to_.push_back(&m);
      continue;
    }
    const std::uint64_t j = gen_.below(seen);
    if (j < k)
      gossip_to_[j] = &m;
  }
  if (!also_id.empty())
    if (const member* m = table_.find(also_id); m != nullptr && m->id != self_id_)
      gossip_to_.insert(gossip_to_.begin(), m);
  swim_message g;
  g.kind = message_kind::gossip;
  for (const member* to : gossip_to_) {
    if (broadcasts_.empty())
      break;
    if (!broadcasts_.has_news_for(to->id))
      continue;
    send(g, {}, to->addresses.cluster, to->id, out);
  }
}

void swim_stm::flush_urgent(time_point now, swim_output& out) {
  if (!urgent_pending_ || left_)
    return;
  urgent_pending_ = false;
  const std::string accuser = std::move(refute_to_);
  refute_to_.clear();
  if (config_.gossip_nodes > 0)
    gossip_now(now, accuser, out);
}

} // namespace ringdown::cluster
