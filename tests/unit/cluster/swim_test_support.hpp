#pragma once

// Helpers of the SWIM state machine tests: member records, packets, one
// node driven by hand against scripted peers, and a tiny network of real
// nodes on a manual time loop (no threads, no sockets).

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "cluster/swim_codec.hpp"
#include "cluster/swim_stm.hpp"

namespace swim_test {

using namespace ringdown;
using namespace ringdown::cluster;
using ms = std::chrono::milliseconds;

inline const std::vector<std::uint8_t> cluster_key{'s', 'e', 'c', 'r', 'e', 't', '-', 'k'};
inline const time_point t0{std::chrono::seconds{1000}};

inline std::string node_id(int i) {
  return "node" + std::to_string(i);
}
inline std::string cluster_address(int i) {
  return "10.0.0." + std::to_string(i) + ":7946";
}

inline member record(int i, std::uint64_t incarnation = 0) {
  const std::string host = "10.0.0." + std::to_string(i);
  return member{node_id(i),
                "london",
                {host + ":5060", host + ":7946", host + ":8080", host + ":20000"},
                member_state::alive,
                incarnation};
}

inline swim_config fast_config() {
  swim_config c;
  c.probe_interval_ms = 100;
  c.probe_timeout_ms = 50;
  c.push_pull_interval_ms = 0;
  c.suspicion_min_mult = 4; // the tests' timings, whatever the defaults
  c.suspicion_max_mult = 24;
  return c;
}

inline std::vector<std::uint8_t> packet(const swim_message& m) {
  std::vector<std::uint8_t> bytes;
  encode(m, cluster_key, bytes);
  return bytes;
}

inline swim_message message(message_kind kind, int from, std::uint32_t seq = 0) {
  swim_message m;
  m.kind = kind;
  m.from_id = node_id(from);
  m.seq = seq;
  return m;
}

inline swim_update update(member_state s, int subject, std::uint64_t inc, int from) {
  member m = s == member_state::alive ? record(subject, inc) : member{};
  m.id = node_id(subject);
  m.state = s;
  m.incarnation = inc;
  return swim_update{m, node_id(from)};
}

inline swim_message opened(const swim_send& s) {
  auto m = decode(s.bytes, cluster_key);
  REQUIRE(m.has_value());
  return *m;
}

inline int count_events(const std::vector<swim_event>& events, swim_event::kind k,
                        const std::string& id) {
  int n = 0;
  for (const auto& e : events)
    if (e.what == k && e.member_id == id)
      ++n;
  return n;
}

/// node1 driven by hand; peers node2..node(n+1) are scripted: those in
/// `responsive` answer pings and ping-reqs at once (ack, or nack when the
/// target is not responsive).
struct solo {
  rng gen{7};
  swim_stm stm;
  swim_output out;
  time_point now = t0;
  std::set<std::string> responsive;

  explicit solo(int peers, swim_config cfg = fast_config())
      : stm(record(1), cfg, cluster_key, gen) {
    stm.join({}, now, out);
    auto m = message(message_kind::push_pull, 2);
    for (int i = 2; i <= peers + 1; ++i)
      m.members.push_back(record(i));
    deliver(2, m);
    clear();
  }

  void clear() {
    out.sends.clear();
    out.events.clear();
  }

  void deliver(int from, const swim_message& m) {
    const auto bytes = packet(m);
    const std::size_t first = out.sends.size();
    stm.receive(cluster_address(from), bytes, now, out);
    respond(first);
  }

  /// Runs the timers up to `t`, sends and events accumulating in `out`.
  void advance(time_point t) {
    for (int guard = 0; out.next_wakeup && *out.next_wakeup <= t; ++guard) {
      REQUIRE(guard < 100'000);
      now = std::max(now, *out.next_wakeup);
      const std::size_t first = out.sends.size();
      stm.tick(now, out);
      respond(first);
    }
    now = t;
    const std::size_t first = out.sends.size();
    stm.tick(now, out);
    respond(first);
  }

  std::vector<swim_message> sent(message_kind k) const {
    std::vector<swim_message> r;
    for (const auto& s : out.sends)
      if (auto m = decode(s.bytes, cluster_key); m && m->kind == k)
        r.push_back(*m);
    return r;
  }

  member_state state_of(int i) const {
    const member* m = stm.members().find(node_id(i));
    REQUIRE(m != nullptr);
    return m->state;
  }

private:
  void respond(std::size_t first) {
    for (std::size_t i = first; i < out.sends.size(); ++i) {
      const std::string to = out.sends[i].to_address;
      const auto m = decode(out.sends[i].bytes, cluster_key);
      REQUIRE(m.has_value());
      const int peer = std::stoi(to.substr(7, to.find(':') - 7));
      if (!responsive.count(node_id(peer)))
        continue;
      if (m->kind == message_kind::ping) {
        stm.receive(to, packet(message(message_kind::ack, peer, m->seq)), now, out);
      } else if (m->kind == message_kind::ping_req) {
        const auto k =
            responsive.count(m->target_id) ? message_kind::ack : message_kind::nack;
        stm.receive(to, packet(message(k, peer, m->seq)), now, out);
      }
    }
  }
};

/// Real nodes node1..nodeN exchanging packets with a fixed latency; a
/// `drop` filter decides at send time.
struct network {
  struct node {
    std::unique_ptr<rng> gen;
    std::unique_ptr<swim_stm> stm;
    std::optional<time_point> wake;
    std::vector<std::pair<time_point, swim_event>> events;
  };
  struct in_flight {
    time_point at;
    std::string from, to;
    std::vector<std::uint8_t> bytes;
  };

  std::vector<node> nodes;
  std::deque<in_flight> flight;
  std::map<std::string, std::size_t> by_address;
  time_point now = t0;
  duration latency = ms{1};
  std::function<bool(const std::string& from, const std::string& to)> drop;
  swim_output out;

  network(int n, swim_config cfg, std::uint64_t seed) {
    for (int i = 1; i <= n; ++i) {
      auto gen = std::make_unique<rng>(seed * 1000 + static_cast<std::uint64_t>(i));
      auto stm = std::make_unique<swim_stm>(record(i), cfg, cluster_key, *gen);
      nodes.push_back(node{std::move(gen), std::move(stm), std::nullopt, {}});
      by_address[cluster_address(i)] = nodes.size() - 1;
    }
  }

  swim_stm& at(int i) { return *nodes[static_cast<std::size_t>(i - 1)].stm; }

  void join(int i, std::vector<std::string> seeds) {
    at(i).join(std::move(seeds), now, out);
    collect(static_cast<std::size_t>(i - 1));
  }
  void leave(int i) {
    at(i).leave(now, out);
    collect(static_cast<std::size_t>(i - 1));
  }

  void run_until(time_point end) {
    for (;;) {
      auto t = time_point::max();
      for (const auto& n : nodes)
        if (n.wake && *n.wake < t)
          t = *n.wake;
      if (!flight.empty() && flight.front().at < t)
        t = flight.front().at;
      if (t > end) {
        now = end;
        return;
      }
      now = std::max(now, t);
      while (!flight.empty() && flight.front().at <= now) {
        in_flight p = std::move(flight.front());
        flight.pop_front();
        const auto it = by_address.find(p.to);
        if (it == by_address.end())
          continue;
        nodes[it->second].stm->receive(p.from, p.bytes, now, out);
        collect(it->second);
      }
      for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].wake && *nodes[i].wake <= now) {
          nodes[i].stm->tick(now, out);
          collect(i);
        }
    }
  }

  /// node i's view of node j.
  std::optional<member_state> view(int i, int j) {
    const member* m = at(i).members().find(node_id(j));
    return m ? std::optional<member_state>(m->state) : std::nullopt;
  }

  /// First time node i reported event k about node j.
  std::optional<time_point> first_event(int i, swim_event::kind k, int j) {
    for (const auto& [t, e] : nodes[static_cast<std::size_t>(i - 1)].events)
      if (e.what == k && e.member_id == node_id(j))
        return t;
    return std::nullopt;
  }

  int events_of(swim_event::kind k) {
    int c = 0;
    for (const auto& n : nodes)
      for (const auto& [t, e] : n.events)
        c += e.what == k ? 1 : 0;
    return c;
  }

private:
  void collect(std::size_t i) {
    const std::string from = cluster_address(static_cast<int>(i) + 1);
    for (auto& s : out.sends)
      if (!drop || !drop(from, s.to_address))
        flight.push_back({now + latency, from, s.to_address, std::move(s.bytes)});
    for (auto& e : out.events)
      nodes[i].events.emplace_back(now, std::move(e));
    nodes[i].wake = out.next_wakeup;
    out.sends.clear();
    out.events.clear();
    out.next_wakeup.reset();
  }
};

} // namespace swim_test
