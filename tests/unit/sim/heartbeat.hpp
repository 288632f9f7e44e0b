#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/runner.hpp"
#include "sim/scenario.hpp"
#include "sim/world.hpp"

// A trivial protocol to test the simulator with: every node pings every
// other node every 100 ms (plus up to 10 ms of jitter); a node holds a peer
// dead after 500 ms without a ping from it.

namespace ringdown::sim::demo {

using namespace std::chrono_literals;

/// One node of the heartbeat demo. Owned by the world; the simulator's thread.
class heartbeat final : public process {
public:
  static constexpr duration interval = 100ms;
  static constexpr duration dead_after = 500ms;

  heartbeat(std::vector<std::string> peers, std::string self)
      : peers_{std::move(peers)}, self_{std::move(self)} {}

  void start(context& ctx) override {
    for (const auto& p : peers_)
      if (p != self_)
        last_seen_[p] = ctx.now();
    wakeup(ctx);
  }
  void receive(context& ctx, std::string_view from,
               std::span<const std::uint8_t> bytes) override {
    const std::string_view text{reinterpret_cast<const char*>(bytes.data()), bytes.size()};
    if (text == "ping")
      last_seen_[std::string{from}] = ctx.now();
  }
  void wakeup(context& ctx) override {
    static constexpr std::uint8_t ping[] = {'p', 'i', 'n', 'g'};
    for (const auto& [peer, seen] : last_seen_)
      ctx.send(peer, ping);
    ctx.wake_at(ctx.now() + interval + std::chrono::microseconds{ctx.rng().below(10'000)});
  }

  /// Whether this node holds the peer at `address` dead at `now`.
  [[nodiscard]] bool holds_dead(const std::string& address, time_point now) const {
    const auto it = last_seen_.find(address);
    return it != last_seen_.end() && now - it->second > dead_after;
  }

private:
  std::vector<std::string> peers_;
  std::string self_;
  std::map<std::string, time_point> last_seen_;
};

inline const heartbeat* node_of(const world& w, node_id n) {
  return dynamic_cast<const heartbeat*>(w.get(n));
}

/// The demo's checks:
///   dead_everywhere (node = NAME): every live node holds NAME dead
///   no_false_deaths: no live node holds another live node dead
///   views_converged: every live node holds dead exactly the dead nodes
inline void register_checks(world& w) {
  w.add_check("dead_everywhere", [](const world& x, const param_map& p) {
    const auto target = x.find_node(p.text("node"));
    if (!target)
      return check_result::fail("no node named " + p.text("node"));
    const auto& address = x.info(*target).address;
    for (node_id n = 0; n < x.size(); ++n)
      if (n != *target && x.alive(n) && !node_of(x, n)->holds_dead(address, x.now()))
        return check_result::fail(
            fmt::format("{} still holds {} alive", x.info(n).name, p.text("node")));
    return check_result::pass();
  });
  const auto views = [](bool dead_too) {
    return [dead_too](const world& x, const param_map&) {
      for (node_id n = 0; n < x.size(); ++n)
        for (node_id m = 0; m < x.size(); ++m) {
          if (n == m || !x.alive(n))
            continue;
          const bool dead = node_of(x, n)->holds_dead(x.info(m).address, x.now());
          if (dead && x.alive(m))
            return check_result::fail(
                fmt::format("{} holds live {} dead", x.info(n).name, x.info(m).name));
          if (dead_too && !dead && !x.alive(m))
            return check_result::fail(
                fmt::format("{} holds dead {} alive", x.info(n).name, x.info(m).name));
        }
      return check_result::pass();
    };
  };
  w.add_check("no_false_deaths", views(false));
  w.add_check("views_converged", views(true));
}

/// The demo as a protocol for the runner, for the nodes of `s`.
inline protocol heartbeat_protocol(const scenario& s) {
  std::vector<std::string> addresses;
  for (const auto& n : s.nodes)
    addresses.push_back(n.address);
  return protocol{[addresses](const node_info& info) -> std::unique_ptr<process> {
                    return std::make_unique<heartbeat>(addresses, info.address);
                  },
                  register_checks};
}

} // namespace ringdown::sim::demo
