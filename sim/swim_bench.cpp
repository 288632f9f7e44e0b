#include "sim/swim_bench.hpp"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "sim/world.hpp"

namespace ringdown::sim {

namespace {

using namespace std::chrono_literals;

constexpr duration warm_up = 3s;
constexpr duration wait_max = 20s;

swim_settings settings_of(const swim_bench_options& o) {
  swim_settings s;
  s.config.probe_interval_ms = o.probe_interval_ms;
  s.config.probe_timeout_ms = o.probe_timeout_ms;
  s.config.suspicion_min_mult = o.suspicion_min_mult;
  s.config.suspicion_max_mult = std::max(o.suspicion_min_mult, o.suspicion_max_mult);
  return s;
}

double ms_of(duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

/// Steps `w` until `done` holds (tested after every event) or `limit`;
/// the time it took from `from`, or nullopt.
std::optional<duration> until(world& w, time_point from, time_point limit,
                              const std::function<bool()>& done) {
  while (w.now() < limit) {
    if (done())
      return w.now() - from;
    if (!w.step())
      break;
  }
  return std::nullopt;
}

void print_percentiles(std::FILE* out, std::size_t nodes, std::vector<double> ms,
                       std::uint64_t missed) {
  if (ms.empty()) {
    fmt::print(out, "nodes={} runs=0 missed={}\n", nodes, missed);
    return;
  }
  std::sort(ms.begin(), ms.end());
  const auto at = [&ms](double q) {
    const auto i = static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1) + 0.5);
    return ms[std::min(i, ms.size() - 1)];
  };
  fmt::print(out, "nodes={} runs={} missed={} p50={:.0f}ms p99={:.0f}ms max={:.0f}ms\n",
             nodes, ms.size(), missed, at(0.5), at(0.99), ms.back());
  std::fflush(out);
}

/// True when every running node but `target` holds a record of it that
/// `ok` accepts (a null record: the node holds none).
template <class Pred>
bool every_other_holds(const world& w, node_id target, Pred ok) {
  const auto& name = w.info(target).name;
  for (node_id n = 0; n < w.size(); ++n) {
    const swim_process* p = running_swim(w, n);
    if (n == target || p == nullptr)
      continue;
    if (!ok(p->machine().members().find(name)))
      return false;
  }
  return true;
}

bool none_holds_live(const world& w, node_id target) {
  return every_other_holds(w, target, [](const cluster::member* rec) {
    return rec == nullptr || !cluster::is_live(rec->state);
  });
}

bool all_hold_alive(const world& w, node_id target) {
  return every_other_holds(w, target, [](const cluster::member* rec) {
    return rec != nullptr && rec->state == cluster::member_state::alive;
  });
}

} // namespace

scenario bench_scenario(std::size_t nodes, double loss, duration length) {
  scenario s;
  s.name = fmt::format("bench_{}", nodes);
  s.length = length;
  for (std::size_t i = 0; i < nodes; ++i) {
    const std::size_t zone = i % 2;
    s.nodes.push_back({fmt::format("n{}", i + 1),
                       fmt::format("10.0.{}.{}:7946", zone + 1, i + 1),
                       zone == 0 ? "ldn" : "nyc"});
  }
  s.seeds = {"n1"};
  s.network.latency = latency_model::uniform(200us, 1ms);
  s.network.loss = loss;
  return s;
}

void bench_detect(const swim_bench_options& o) {
  fmt::print(o.out,
             "detect: probe {} ms, timeout {} ms, suspicion mult {}..{}, loss {}, kill "
             "at 3 s, seeds {}..{}\n",
             o.probe_interval_ms, o.probe_timeout_ms, o.suspicion_min_mult,
             o.suspicion_max_mult, o.loss, o.first_seed, o.first_seed + o.seeds - 1);
  for (const std::size_t n : o.nodes) {
    const scenario s = bench_scenario(n, o.loss, warm_up + wait_max);
    auto journal = std::make_shared<swim_journal>();
    const protocol p = swim_protocol(s, settings_of(o), journal);
    std::vector<double> ms, first_ms;
    std::uint64_t missed = 0;
    for (std::uint64_t seed = o.first_seed; seed < o.first_seed + o.seeds; ++seed) {
      world w{seed, p.factory};
      install(s, w);
      p.register_checks(w);
      w.start_all();
      w.run_until(w.start_time() + warm_up);
      const node_id victim = static_cast<node_id>(seed % n);
      w.kill(victim);
      const time_point killed = w.now();
      std::optional<duration> first;
      const auto t = until(w, killed, killed + wait_max, [&] {
        if (!first && journal->total() > 0)
          first = w.now() - killed;
        return none_holds_live(w, victim);
      });
      if (t)
        ms.push_back(ms_of(*t));
      else
        ++missed;
      if (first)
        first_ms.push_back(ms_of(*first));
    }
    print_percentiles(o.out, n, std::move(ms), missed);
    fmt::print(o.out, "  first declaration: ");
    print_percentiles(o.out, n, std::move(first_ms), 0);
  }
}

void bench_false_deaths(const swim_bench_options& o) {
  for (const std::size_t n : o.nodes) {
    const auto length = std::chrono::duration_cast<duration>(
        std::chrono::duration<double, std::ratio<3600>>{o.hours});
    const scenario s = bench_scenario(n, o.loss, length);
    auto journal = std::make_shared<swim_journal>();
    const protocol p = swim_protocol(s, settings_of(o), journal);
    std::uint64_t deaths = 0, suspicions = 0, events = 0;
    for (std::uint64_t seed = o.first_seed; seed < o.first_seed + o.seeds; ++seed) {
      world_limits limits;
      limits.run_events_max = ~std::uint64_t{0};
      limits.trace_lines_max = 1000;
      world w{seed, p.factory, limits};
      install(s, w);
      p.register_checks(w);
      w.start_all();
      w.run_until(w.start_time() + length);
      for (const auto& d : journal->declarations())
        deaths += d.target_running ? 1 : 0;
      for (node_id i = 0; i < w.size(); ++i)
        if (const swim_process* sp = running_swim(w, i))
          suspicions += sp->machine().counters().suspicions;
      events += w.events();
    }
    fmt::print(o.out,
               "false-deaths: nodes={} probe {} ms timeout {} ms suspicion mult {}..{} "
               "loss {} hours {} x {} seeds = {:.0f} node-hours: false deaths {} "
               "(suspicions {}, events {})\n",
               n, o.probe_interval_ms, o.probe_timeout_ms, o.suspicion_min_mult,
               o.suspicion_max_mult, o.loss, o.hours, o.seeds,
               static_cast<double>(n) * o.hours * static_cast<double>(o.seeds), deaths,
               suspicions, events);
    std::fflush(o.out);
  }
}

void bench_converge(const swim_bench_options& o) {
  constexpr duration join_at = 5s;
  fmt::print(o.out, "converge: probe {} ms, loss {}, last node joins at 5 s via n1\n",
             o.probe_interval_ms, o.loss);
  for (const std::size_t n : o.nodes) {
    const scenario s = bench_scenario(n, o.loss, join_at + wait_max);
    swim_settings st = settings_of(o);
    const std::string last = s.nodes.back().name;
    st.late_joins.push_back({last, join_at, {"n1"}});
    const protocol p = swim_protocol(s, st);
    std::vector<double> ms;
    std::uint64_t missed = 0;
    for (std::uint64_t seed = o.first_seed; seed < o.first_seed + o.seeds; ++seed) {
      world w{seed, p.factory};
      install(s, w);
      p.register_checks(w);
      w.start_all();
      const time_point t0 = w.start_time() + join_at;
      w.run_until(t0 - 1ns);
      const node_id joiner = static_cast<node_id>(n - 1);
      const auto t = until(w, t0, t0 + wait_max, [&w, joiner] {
        return running_swim(w, joiner) != nullptr && all_hold_alive(w, joiner);
      });
      if (t)
        ms.push_back(ms_of(*t));
      else
        ++missed;
    }
    print_percentiles(o.out, n, std::move(ms), missed);
  }
}

void bench_bytes(const swim_bench_options& o) {
  constexpr duration measured = 60s;
  const duration warm = 10s;
  fmt::print(o.out, "bytes: probe {} ms, loss {}, {} s measured after {} s, seed {}\n",
             o.probe_interval_ms, o.loss, 60, 10, o.first_seed);
  for (const std::size_t n : o.nodes) {
    const scenario s = bench_scenario(n, o.loss, warm + measured);
    const protocol p = swim_protocol(s, settings_of(o));
    world w{o.first_seed, p.factory};
    install(s, w);
    p.register_checks(w);
    w.start_all();
    const auto sum = [&w] {
      std::uint64_t bytes = 0, packets = 0;
      for (node_id i = 0; i < w.size(); ++i)
        if (const swim_process* sp = running_swim(w, i)) {
          bytes += sp->machine().counters().bytes_out;
          packets += sp->machine().counters().packets_out;
        }
      return std::pair{bytes, packets};
    };
    w.run_until(w.start_time() + warm);
    const auto before = sum();
    w.run_until(w.start_time() + warm + measured);
    const auto after = sum();
    const double per =
        static_cast<double>(n) * std::chrono::duration<double>(measured).count();
    fmt::print(o.out, "nodes={} bytes/member/s={:.0f} packets/member/s={:.1f}\n", n,
               static_cast<double>(after.first - before.first) / per,
               static_cast<double>(after.second - before.second) / per);
    std::fflush(o.out);
  }
}

} // namespace ringdown::sim
