// swim_stm: applying membership updates (Das et al. 2002 §4.2, §4.4;
// Lifeguard, Dadgar et al. 2018 §IV-B) and forgetting tombstones.
#include <algorithm>
#include <cmath>

#include "cluster/swim_stm.hpp"

namespace ringdown::cluster {

void swim_stm::apply(const swim_update& u, time_point now, swim_output& out) {
  switch (u.subject.state) {
  case member_state::alive:
    on_alive(u, out);
    break;
  case member_state::suspect:
    on_suspect(u, now, out);
    break;
  case member_state::dead:
  case member_state::left:
    on_gone(u, now, out);
    break;
  }
}

void swim_stm::merge_remote(const member& m, std::string_view from, time_point now,
                            swim_output& out) {
  // A pushed list may be stale: as memberlist does, its dead members are
  // only suspected here (they get the chance to refute), and a suspect we
  // did not know joins first so that the suspicion has a subject.
  swim_update u{m, std::string(from)};
  if (m.state == member_state::left) {
    on_gone(u, now, out);
    return;
  }
  if (m.state != member_state::alive && m.id != self_id_ && table_.find(m.id) == nullptr) {
    if (m.state == member_state::dead)
      return;
    u.subject.state = member_state::alive;
    on_alive(u, out);
  }
  u.subject.state =
      m.state == member_state::alive ? member_state::alive : member_state::suspect;
  apply(u, now, out);
}

void swim_stm::on_alive(const swim_update& u, swim_output& out) {
  const member& in = u.subject;
  if (in.id == self_id_) {
    // Someone holds a newer incarnation of us (we restarted): outbid it.
    if (in.incarnation > me().incarnation)
      refute(in.incarnation, {}, out);
    return;
  }
  member* cur = table_.find(in.id);
  if (cur == nullptr) {
    if (!table_.upsert(in))
      return;
    add_to_probe_order(in.id);
    out.events.push_back({swim_event::joined, in.id});
    gossip(in, {});
    return;
  }
  // alive(i) overrides suspect(j), dead(j) and left(j) only when i > j.
  if (in.incarnation <= cur->incarnation)
    return;
  const member_state was = cur->state;
  const bool changed = cur->zone != in.zone || cur->addresses != in.addresses;
  *cur = in;
  suspicions_.erase(in.id);
  gone_since_.erase(in.id);
  if (was == member_state::dead || was == member_state::left) {
    add_to_probe_order(in.id);
    out.events.push_back({swim_event::joined, in.id});
  } else if (was == member_state::suspect) {
    out.events.push_back({swim_event::refuted, in.id});
  } else if (changed) {
    out.events.push_back({swim_event::updated, in.id});
  }
  gossip(*cur, {});
}

void swim_stm::on_suspect(const swim_update& u, time_point now, swim_output& out) {
  const member& in = u.subject;
  if (in.id == self_id_) {
    if (in.incarnation >= me().incarnation) {
      refute(in.incarnation, u.from, out);
    } else {
      gossip(me(), self_id_); // its sender missed our refutation: repeat it
      urge_refutation(u.from);
    }
    return;
  }
  member* cur = table_.find(in.id);
  // suspect(i) overrides alive(j) when i >= j; stale news is dropped.
  if (cur == nullptr || !is_live(cur->state) || in.incarnation < cur->incarnation)
    return;
  cur->incarnation = in.incarnation;
  suspect(*cur, u.from, now, out);
}

void swim_stm::suspect(member& m, std::string_view from, time_point now, swim_output& out) {
  if (m.state == member_state::suspect) {
    // Lifeguard §IV-B: an independent confirmation shortens the timer and
    // is passed on so that others shorten theirs.
    const auto it = suspicions_.find(m.id);
    if (it != suspicions_.end() && it->second.confirm(from)) {
      gossip(m, from);
      urge_gossip();
    }
    return;
  }
  m.state = member_state::suspect;
  // Confirmations to expect: up to k members besides the suspect and us.
  const std::size_t n = table_.live_count();
  const std::size_t k = std::min<std::size_t>(config_.indirect_checks, n > 2 ? n - 2 : 0);
  // Timeouts grow with log10(n) (memberlist) and, a Ringdown addition to
  // Lifeguard's local health, with our own multiplier: a node that misses
  // acks is slow to declare others dead, giving them time to refute.
  const double scale =
      std::max(1.0, std::log10(static_cast<double>(std::max<std::size_t>(n, 1)))) *
      (awareness_ + 1);
  const auto interval =
      std::chrono::duration<double, std::milli>(config_.probe_interval_ms);
  const auto min =
      std::chrono::duration_cast<duration>(interval * config_.suspicion_min_mult * scale);
  const auto max =
      std::chrono::duration_cast<duration>(interval * config_.suspicion_max_mult * scale);
  suspicions_.insert_or_assign(m.id, suspicion(from, k, min, max, now));
  // Heard from another member: probe it at once rather than in turn. A
  // crashed member gets its confirmations within a probe timeout or two
  // (so the timeout shrinks to min), and a live one hears the suspicion
  // first thing in our ping (buddy system) and refutes in its ack.
  if (from != self_id_)
    probe_next_ = m.id;
  ++counters_.suspicions;
  out.events.push_back({swim_event::suspected, m.id});
  gossip(m, from);
  urge_gossip();
}

void swim_stm::on_gone(const swim_update& u, time_point now, swim_output& out) {
  const member& in = u.subject;
  if (in.id == self_id_) {
    if (in.incarnation >= me().incarnation) {
      refute(in.incarnation, u.from, out);
    } else {
      gossip(me(), self_id_); // its sender missed our refutation: repeat it
      urge_refutation(u.from);
    }
    return;
  }
  member* cur = table_.find(in.id);
  if (cur == nullptr || !is_live(cur->state) || in.incarnation < cur->incarnation)
    return;
  cur->state = in.state;
  cur->incarnation = in.incarnation;
  suspicions_.erase(in.id);
  gone_since_[in.id] = now;
  if (probe_ && probe_->target_id == in.id)
    probe_.reset();
  if (in.state == member_state::dead) {
    ++counters_.deaths;
    out.events.push_back({swim_event::failed, in.id});
  } else {
    out.events.push_back({swim_event::left, in.id});
  }
  gossip(*cur, u.from);
}

void swim_stm::refute(std::uint64_t heard, std::string_view accuser, swim_output& out) {
  // SWIM §4.2: only a member raises its own incarnation. Lifeguard §IV-A:
  // being suspected hints that we are the slow one.
  member& m = me();
  m.incarnation = std::max(m.incarnation, heard) + 1;
  m.state = member_state::alive;
  ++counters_.refutations;
  adjust_awareness(1);
  out.events.push_back({swim_event::refuted, self_id_});
  gossip(m, self_id_);
  urge_refutation(accuser);
}

void swim_stm::urge_refutation(std::string_view accuser) {
  // Sent at the end of the current receive() or tick() (gossip_now), not
  // at the next gossip tick: the refutation races the suspicion timeout.
  urge_gossip();
  if (accuser != self_id_ && !accuser.empty())
    refute_to_.assign(accuser);
}

void swim_stm::gossip(const member& m, std::string_view from) {
  broadcasts_.push(swim_update{m, std::string(from)});
}

void swim_stm::collect_garbage(time_point now) {
  const auto retention = std::chrono::milliseconds(config_.dead_retention_ms);
  for (auto it = gone_since_.begin(); it != gone_since_.end();) {
    if (now - it->second < retention) {
      ++it;
      continue;
    }
    const member* m = table_.find(it->first);
    if (m != nullptr && !is_live(m->state)) {
      broadcasts_.erase(it->first);
      table_.erase(it->first);
    }
    it = gone_since_.erase(it);
  }
}

} // namespace ringdown::cluster
