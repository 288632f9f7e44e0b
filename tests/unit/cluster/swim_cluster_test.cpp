// Several real swim_stm nodes on a simulated network and a manual clock.
#include "tests/unit/cluster/swim_test_support.hpp"

using namespace swim_test;

namespace {

constexpr int nodes_n = 5;

bool all_alive(network& net, int n) {
  for (int i = 1; i <= n; ++i)
    for (int j = 1; j <= n; ++j)
      if (net.view(i, j) != member_state::alive)
        return false;
  return true;
}

// node1 starts alone; the others join through one seed each (node1, or
// the node before them): gossip must tell everyone about everyone.
network formed(swim_config cfg, std::uint64_t seed) {
  network net(nodes_n, cfg, seed);
  net.join(1, {});
  for (int i = 2; i <= nodes_n; ++i)
    net.join(i, {cluster_address(i % 2 == 0 ? 1 : i - 1)});
  net.run_until(t0 + ms{3'000});
  return net;
}

} // namespace

TEST_CASE("nodes joining through any seed converge to all alive", "[cluster][swim][net]") {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    INFO("seed " << seed);
    auto net = formed(fast_config(), seed);
    CHECK(all_alive(net, nodes_n));
    CHECK(net.events_of(swim_event::suspected) == 0);
    for (int i = 1; i <= nodes_n; ++i) {
      CHECK(net.at(i).members().size() == nodes_n);
      const auto zone = net.at(i).members().alive_in_zone("london");
      CHECK(zone.size() == nodes_n);
    }
  }
}

TEST_CASE("a joiner keeps asking its seed until the seed is up", "[cluster][swim][net]") {
  network net(2, fast_config(), 9);
  bool seed_down = true;
  net.drop = [&](const std::string&, const std::string& to) {
    return seed_down && to == cluster_address(1);
  };
  net.join(2, {cluster_address(1)});
  net.run_until(t0 + ms{2'500});
  CHECK(net.at(2).members().size() == 1);
  seed_down = false;
  net.join(1, {});
  net.run_until(t0 + ms{4'000});
  CHECK(all_alive(net, 2));
}

TEST_CASE("a node nobody can reach is declared dead by everyone in bounded time",
          "[cluster][swim][net]") {
  for (const std::uint64_t seed : {11u, 12u, 13u}) {
    INFO("seed " << seed);
    const auto cfg = fast_config();
    auto net = formed(cfg, seed);
    REQUIRE(all_alive(net, nodes_n));
    const time_point fault = net.now;
    const std::string victim = cluster_address(nodes_n);
    net.drop = [&](const std::string&, const std::string& to) { return to == victim; };
    // Bound: a few probe intervals to be probed and suspected, then at
    // most the longest suspicion timeout (24 intervals at n = 5).
    const auto bound = ms{10 * cfg.probe_interval_ms} +
                       ms{std::uint64_t{cfg.suspicion_max_mult} * cfg.probe_interval_ms};
    net.run_until(fault + bound);
    for (int i = 1; i < nodes_n; ++i) {
      INFO("view of node" << i);
      CHECK(net.view(i, nodes_n) == member_state::dead);
      const auto when = net.first_event(i, swim_event::failed, nodes_n);
      REQUIRE(when.has_value());
      CHECK(*when - fault <= bound);
      for (int j = 1; j < nodes_n; ++j)
        CHECK(net.view(i, j) == member_state::alive);
    }

    // Healed, the victim learns it was declared dead, refutes, and is back.
    net.drop = nullptr;
    net.run_until(net.now + ms{5'000});
    for (int i = 1; i < nodes_n; ++i)
      CHECK(net.view(i, nodes_n) == member_state::alive);
    CHECK(net.at(nodes_n).self().incarnation > 0);
  }
}

TEST_CASE("no false deaths in 1,000 fault-free probe rounds", "[cluster][swim][net]") {
  auto cfg = fast_config();
  cfg.push_pull_interval_ms = 1'000;
  auto net = formed(cfg, 21);
  REQUIRE(all_alive(net, nodes_n));
  net.run_until(net.now + ms{1'000 * cfg.probe_interval_ms});
  CHECK(all_alive(net, nodes_n));
  CHECK(net.events_of(swim_event::suspected) == 0);
  CHECK(net.events_of(swim_event::failed) == 0);
  for (int i = 1; i <= nodes_n; ++i) {
    const auto& c = net.at(i).counters();
    CHECK(c.probes >= 990);
    CHECK(c.suspicions == 0);
    CHECK(c.dropped_bad_mac + c.dropped_malformed + c.dropped_too_big == 0);
    CHECK(net.at(i).awareness() == 0);
    for (const auto& send : net.out.sends)
      CHECK(send.bytes.size() <= packet_bytes_max);
  }
}

TEST_CASE("a graceful leave is seen as left everywhere, not as a failure",
          "[cluster][swim][net]") {
  auto net = formed(fast_config(), 31);
  REQUIRE(all_alive(net, nodes_n));
  net.leave(3);
  net.run_until(net.now + ms{2'000});
  for (int i = 1; i <= nodes_n; ++i) {
    if (i == 3)
      continue;
    CHECK(net.view(i, 3) == member_state::left);
    CHECK(net.first_event(i, swim_event::left, 3).has_value());
    CHECK_FALSE(net.first_event(i, swim_event::failed, 3).has_value());
    CHECK(net.at(i).members().alive_in_zone("london").size() == nodes_n - 1);
  }
  CHECK(net.events_of(swim_event::failed) == 0);
}

TEST_CASE("a rejoining member with a higher incarnation comes back",
          "[cluster][swim][net]") {
  auto net = formed(fast_config(), 41);
  REQUIRE(all_alive(net, nodes_n));
  net.leave(2);
  net.run_until(net.now + ms{1'000});
  CHECK(net.view(1, 2) == member_state::left);
  // The node restarts with incarnation 0 and joins again through node1;
  // the cluster's tombstone (left, 0) makes it refute to incarnation 1.
  net.nodes[1].stm =
      std::make_unique<swim_stm>(record(2), fast_config(), cluster_key, *net.nodes[1].gen);
  net.join(2, {cluster_address(1)});
  net.run_until(net.now + ms{3'000});
  CHECK(all_alive(net, nodes_n));
  CHECK(net.at(2).self().incarnation >= 1);
  CHECK(net.first_event(3, swim_event::joined, 2).has_value());
}

TEST_CASE("packets under another cluster key are dropped and counted",
          "[cluster][swim][net]") {
  network net(2, fast_config(), 51);
  rng gen(5);
  swim_stm stranger(record(3), fast_config(), {'o', 't', 'h', 'e', 'r'}, gen);
  swim_output out;
  stranger.join({cluster_address(1)}, t0, out);
  REQUIRE(out.sends.size() == 1);
  net.join(1, {});
  swim_output sink;
  net.at(1).receive(cluster_address(3), out.sends[0].bytes, t0, sink);
  CHECK(net.at(1).counters().dropped_bad_mac == 1);
  CHECK(net.at(1).members().size() == 1);
  CHECK(sink.sends.empty());
}
