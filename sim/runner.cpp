#include "sim/runner.hpp"

#include <fmt/format.h>

#include "sim/virtual_time.hpp"

namespace ringdown::sim {

namespace {

void print_failures(std::FILE* out, const run_result& r) {
  for (const auto& f : r.failures)
    fmt::print(out, "check {} FAILED at {}: {}\n", f.check, format_virtual_time(f.at),
               f.message);
}

} // namespace

run_result run(const scenario& s, std::uint64_t seed, const protocol& p,
               const run_options& opts) {
  if (opts.out != nullptr) {
    fmt::print(opts.out, "seed={}\n", seed);
    std::fflush(opts.out);
  }
  world w{seed, p.factory, opts.limits};
  w.set_stop_on_failure(opts.stop_on_failure);
  install(s, w);
  if (p.register_checks)
    p.register_checks(w);
  w.start_all();
  w.run_until(w.start_time() + s.length);

  run_result r;
  r.seed = seed;
  r.trace_hash = w.trace_hash();
  r.failures = w.failures();
  r.events = w.events();
  r.trace_lines = w.trace().lines();
  r.network = w.network().counters();
  if (opts.out == nullptr)
    return r;
  if (r.ok() && opts.print_trace) {
    fmt::print(opts.out, "trace ({} of {} lines):\n", w.trace().kept(), r.trace_lines);
    w.trace().print(opts.out, 0);
  }
  if (r.ok()) {
    fmt::print(opts.out, "seed={} ok events={} trace_hash={:016x}\n", seed, r.events,
               r.trace_hash);
    return r;
  }
  if (opts.print_trace_on_failure || opts.print_trace) {
    const std::size_t kept = w.trace().kept();
    const std::size_t shown = opts.trace_lines_shown == 0 || opts.print_trace
                                  ? kept
                                  : std::min(kept, opts.trace_lines_shown);
    fmt::print(opts.out, "trace ({} of {} lines):\n", shown, r.trace_lines);
    w.trace().print(opts.out, shown);
  }
  print_failures(opts.out, r);
  fmt::print(opts.out, "seed={} FAILED events={} trace_hash={:016x}\n", seed, r.events,
             r.trace_hash);
  fmt::print(opts.out, "reproduce with: ringdown-sim --scenario {} --seed {}\n",
             opts.scenario_path.empty() ? s.name : opts.scenario_path, seed);
  std::fflush(opts.out);
  return r;
}

swarm_result swarm(const scenario& s, std::uint64_t first_seed, std::uint64_t count,
                   const protocol& p, const run_options& opts) {
  swarm_result out;
  run_options quiet = opts;
  quiet.out = nullptr;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t seed = first_seed + i;
    const run_result r = run(s, seed, p, quiet);
    ++out.runs;
    if (r.ok()) {
      if (opts.out != nullptr)
        fmt::print(opts.out, "seed={} ok\n", seed);
      continue;
    }
    out.failing_seeds.push_back(seed);
    if (opts.out != nullptr) {
      const auto& f = r.failures.front();
      fmt::print(opts.out, "seed={} FAILED {} at {}: {}\n", seed, f.check,
                 format_virtual_time(f.at), f.message);
    }
  }
  if (opts.out != nullptr) {
    fmt::print(opts.out, "swarm: {} of {} seeds failed", out.failing_seeds.size(),
               out.runs);
    for (const auto seed : out.failing_seeds)
      fmt::print(opts.out, " {}", seed);
    fmt::print(opts.out, "\n");
    std::fflush(opts.out);
  }
  return out;
}

} // namespace ringdown::sim
