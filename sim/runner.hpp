#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "sim/network.hpp"
#include "sim/process.hpp"
#include "sim/scenario.hpp"
#include "sim/world.hpp"

namespace ringdown::sim {

/// What a protocol brings to a run: the factory of its nodes' processes
/// and a function registering its named checks (`views_converged`...)
/// with the world. Any per-node protocol plugs in through these two.
struct protocol {
  process_factory factory;
  std::function<void(world&)> register_checks;
};

/// How a run reports. `out` nullptr: silent. On a failure the last
/// `trace_lines_shown` trace lines are printed (0: every line kept).
struct run_options {
  std::FILE* out = nullptr;
  std::size_t trace_lines_shown = 0;
  bool print_trace_on_failure = true;
  bool print_trace = false; ///< print the kept trace after every run, passed or not
  bool stop_on_failure = true;
  std::string scenario_path; ///< named in the "reproduce with" line
  world_limits limits;
};

/// The outcome of one run: its seed, the hash of its trace (equal hashes
/// for equal seeds), the checks that failed and what the network did.
struct run_result {
  std::uint64_t seed = 0;
  std::uint64_t trace_hash = 0;
  std::vector<check_failure> failures;
  std::uint64_t events = 0;
  std::uint64_t trace_lines = 0;
  network_counters network;
  [[nodiscard]] bool ok() const noexcept { return failures.empty(); }
};

/// The outcome of a swarm: how many seeds ran, which failed.
struct swarm_result {
  std::uint64_t runs = 0;
  std::vector<std::uint64_t> failing_seeds;
};

/// Runs `s` once with `seed`: prints "seed=N" first, builds a world,
/// installs the scenario, registers the protocol's checks, starts every
/// node and runs for the scenario's length. On a failure prints each
/// failed check, the trace and how to reproduce the run. Single-threaded;
/// one seed and one scenario give the same result every time.
run_result run(const scenario& s, std::uint64_t seed, const protocol& p,
               const run_options& opts = {});

/// Runs `count` seeds from `first_seed` on, one line each ("seed=N ok" or
/// "seed=N FAILED ..."), without traces, and returns the failing seeds.
swarm_result swarm(const scenario& s, std::uint64_t first_seed, std::uint64_t count,
                   const protocol& p, const run_options& opts = {});

} // namespace ringdown::sim
