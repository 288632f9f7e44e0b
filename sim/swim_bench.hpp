#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "sim/scenario.hpp"
#include "sim/swim_protocol.hpp"

// Benchmark figures of SWIM in the simulator (not tests): crash detection
// time, false deaths under loss, convergence after a join, gossip bytes.
// Each prints its configuration and figures to `out`.

namespace ringdown::sim {

/// What a benchmark runs: cluster sizes, seeds, probe interval and timeout,
/// default link loss, and for false-deaths the simulated hours per node.
/// Plain data.
struct swim_bench_options {
  std::vector<std::size_t> nodes;
  std::uint64_t seeds = 200;
  std::uint64_t first_seed = 1;
  std::uint32_t probe_interval_ms = 100;
  std::uint32_t probe_timeout_ms = 20;
  std::uint32_t suspicion_min_mult = cluster::swim_config{}.suspicion_min_mult;
  std::uint32_t suspicion_max_mult = cluster::swim_config{}.suspicion_max_mult;
  double loss = 0.0;
  double hours = 100.0;
  std::FILE* out = stdout;
};

/// A cluster of `nodes` nodes "n1".."nN" in two zones, seed n1, LAN
/// latency (uniform 0.2..1 ms), `loss` on every link, lasting `length`.
[[nodiscard]] scenario bench_scenario(std::size_t nodes, double loss, duration length);

/// Kill one node (chosen by the seed) after 3 s; time until every other
/// node holds it dead. p50/p99/max per cluster size.
void bench_detect(const swim_bench_options& o);
/// Every node up for the whole run at `loss`: `failed` events that named a
/// running node, over nodes × hours.
void bench_false_deaths(const swim_bench_options& o);
/// The last node joins at 5 s through n1; time until every node holds it
/// alive. p50/p99/max per cluster size.
void bench_converge(const swim_bench_options& o);
/// Steady-state bytes sent per member per second, from the swim counters.
void bench_bytes(const swim_bench_options& o);

} // namespace ringdown::sim
