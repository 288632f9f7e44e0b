// ringdown-sim: runs a SWIM scenario of sim/scenarios/ in the deterministic
// simulator, one seed or a swarm of seeds, or a benchmark.
//   ringdown-sim --scenario F --seed N [--trace]
//   ringdown-sim --scenario F --swarm COUNT [--first-seed S]
//   ringdown-sim --bench detect|false-deaths|converge|bytes [--nodes N ...]
// Exit: 0 passed, 1 a check failed, 2 bad arguments or scenario.

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "sim/runner.hpp"
#include "sim/scenario.hpp"
#include "sim/swim_bench.hpp"
#include "sim/swim_protocol.hpp"

namespace {

using namespace ringdown::sim;

int bench(const std::string& which, swim_bench_options o) {
  if (which == "detect") {
    if (o.nodes.empty())
      o.nodes = {5, 20};
    bench_detect(o);
  } else if (which == "false-deaths") {
    if (o.nodes.empty())
      o.nodes = {10};
    bench_false_deaths(o);
  } else if (which == "converge") {
    if (o.nodes.empty())
      o.nodes = {50};
    bench_converge(o);
  } else if (which == "bytes") {
    if (o.nodes.empty())
      o.nodes = {5, 10, 20, 50};
    bench_bytes(o);
  } else {
    fmt::print(stderr, "--bench: unknown benchmark \"{}\"\n", which);
    return 2;
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Ringdown's deterministic simulator: SWIM scenarios and benchmarks"};
  std::string path, which;
  std::uint64_t seed = 1, first_seed = 1, count = 0;
  bool trace = false;
  swim_bench_options o;
  app.add_option("--scenario", path, "scenario file (TOML)");
  app.add_option("--seed", seed, "the run's seed");
  app.add_option("--swarm", count, "run COUNT seeds from --first-seed on");
  app.add_option("--first-seed", first_seed, "first seed of a swarm or benchmark");
  app.add_flag("--trace", trace, "print the whole trace after the run");
  app.add_option("--bench", which, "detect | false-deaths | converge | bytes");
  app.add_option("--nodes", o.nodes, "benchmark cluster sizes");
  app.add_option("--seeds", o.seeds, "benchmark seeds per size");
  app.add_option("--probe-ms", o.probe_interval_ms, "benchmark probe interval");
  app.add_option("--probe-timeout-ms", o.probe_timeout_ms, "benchmark probe timeout");
  app.add_option("--suspicion-min-mult", o.suspicion_min_mult, "benchmark swim_config");
  app.add_option("--suspicion-max-mult", o.suspicion_max_mult, "benchmark swim_config");
  app.add_option("--loss", o.loss, "benchmark packet loss on every link");
  app.add_option("--hours", o.hours, "false-deaths: simulated hours per run");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (!which.empty()) {
    o.first_seed = first_seed;
    return bench(which, o);
  }
  if (path.empty()) {
    fmt::print(stderr, "--scenario is required (or --bench)\n");
    return 2;
  }
  std::string error;
  const auto text = read_scenario_text(path, error);
  if (!text) {
    fmt::print(stderr, "{}\n", error);
    return 2;
  }
  scenario_parse parsed = parse_scenario(*text, path, {"swim"});
  swim_settings_parse settings;
  if (parsed.value)
    settings = parse_swim_settings(*text, path, *parsed.value);
  if (!parsed.value || !settings.value) {
    for (const auto& e : parsed.errors)
      fmt::print(stderr, "{}\n", e);
    for (const auto& e : settings.errors)
      fmt::print(stderr, "{}\n", e);
    return 2;
  }
  const scenario& s = *parsed.value;
  const protocol p = swim_protocol(s, *settings.value);
  run_options opts;
  opts.out = stdout;
  opts.scenario_path = path;
  opts.trace_lines_shown = trace ? 0 : 200;
  if (count > 0) {
    const swarm_result r = swarm(s, first_seed, count, p, opts);
    return r.failing_seeds.empty() ? 0 : 1;
  }
  if (trace) {
    opts.print_trace = true;
    opts.limits.trace_lines_max = 10'000'000;
  }
  return run(s, seed, p, opts).ok() ? 0 : 1;
}
