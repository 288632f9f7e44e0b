#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include "sim/runner.hpp"
#include "tests/unit/sim/heartbeat.hpp"

using namespace ringdown;
using namespace std::chrono_literals;

namespace {

constexpr auto kill_file = "sim/scenarios/heartbeat_kill.toml";

sim::scenario load(const std::string& path) {
  auto p = sim::load_scenario(path);
  INFO((p.errors.empty() ? std::string{} : p.errors.front()));
  REQUIRE(p.value);
  return *p.value;
}

/// The kill scenario with a zone split at 1 s instead of the kill, and a
/// check that nobody holds a live node dead.
sim::scenario partitioned() {
  sim::scenario s = load(kill_file);
  s.faults.clear();
  s.checks.clear();
  sim::fault_def split;
  split.at = 1s;
  split.kind = sim::fault_kind::partition;
  split.zones = true;
  s.faults.push_back(split);
  sim::check_def c;
  c.at = 1s;
  c.kind = "no_false_deaths";
  c.within = 1500ms;
  c.every = 100ms;
  c.always = true;
  s.checks.push_back(c);
  return s;
}

/// Everything `f` wrote, from its start.
std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[4096];
  while (const auto n = std::fread(buf, 1, sizeof buf, f))
    out.append(buf, n);
  return out;
}

} // namespace

TEST_CASE("runner: a killed node is dead everywhere within a second", "[sim][runner]") {
  const auto s = load(kill_file);
  const auto p = sim::demo::heartbeat_protocol(s);
  for (const std::uint64_t seed : {1, 2, 3}) {
    const auto r = sim::run(s, seed, p);
    INFO("seed " << seed);
    CHECK(r.ok());
    CHECK(r.seed == seed);
    CHECK(r.events > 500);
    CHECK(r.network.delivered > 0);
    CHECK(r.network.dropped[static_cast<std::size_t>(sim::drop_reason::dead_node)] > 0);
  }
}

TEST_CASE("runner: one seed twice gives the same trace hash", "[sim][runner]") {
  const auto s = load(kill_file);
  const auto p = sim::demo::heartbeat_protocol(s);
  const auto first = sim::run(s, 1234, p);
  const auto again = sim::run(s, 1234, p);
  CHECK(again.trace_hash == first.trace_hash);
  CHECK(again.events == first.events);
  CHECK(again.trace_lines == first.trace_lines);
  CHECK(sim::run(s, 1235, p).trace_hash != first.trace_hash);
}

TEST_CASE("runner: a partition fails the check and prints the trace", "[sim][runner]") {
  const auto s = partitioned();
  const auto p = sim::demo::heartbeat_protocol(s);
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  sim::run_options opts;
  opts.out = out;
  opts.scenario_path = "partition.toml";
  const auto r = sim::run(s, 99, p, opts);
  const std::string text = read_all(out);
  std::fclose(out);

  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].check == "no_false_deaths");
  CHECK(r.failures[0].message.find("holds live") != std::string::npos);
  // The zones hold each other dead 500 ms after the split; tries every 100 ms.
  CHECK(r.failures[0].at >= 1400ms);
  CHECK(r.failures[0].at <= 1700ms);
  CHECK(text.rfind("seed=99\n", 0) == 0);
  CHECK(text.find("fault   partition by zone") != std::string::npos);
  CHECK(text.find(" recv ") != std::string::npos);
  CHECK(text.find("FAILED  no_false_deaths: ") != std::string::npos);
  CHECK(text.find("reproduce with: ringdown-sim --scenario partition.toml --seed 99") !=
        std::string::npos);
  // Lost packets across the split are counted as such.
  CHECK(r.network.dropped[static_cast<std::size_t>(sim::drop_reason::partition)] > 0);
}

TEST_CASE("runner: a passing run prints its seed and hash", "[sim][runner]") {
  const auto s = load(kill_file);
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  sim::run_options opts;
  opts.out = out;
  const auto r = sim::run(s, 5, sim::demo::heartbeat_protocol(s), opts);
  const std::string text = read_all(out);
  std::fclose(out);
  REQUIRE(r.ok());
  CHECK(text == fmt::format("seed=5\nseed=5 ok events={} trace_hash={:016x}\n", r.events,
                            r.trace_hash));
}

TEST_CASE("runner: swarm reports exactly the failing seeds", "[sim][runner]") {
  // Heavy loss: a peer misses five pings in a row now and then, so some
  // seeds see a false death and others do not.
  auto s = load(kill_file);
  s.faults.clear();
  s.checks.clear();
  s.length = 2s;
  s.network.loss = 0.45;
  sim::check_def c;
  c.at = 1990ms;
  c.kind = "no_false_deaths";
  s.checks.push_back(c);
  const auto p = sim::demo::heartbeat_protocol(s);

  const auto result = sim::swarm(s, 100, 20, p);
  CHECK(result.runs == 20);
  std::vector<std::uint64_t> expected;
  for (std::uint64_t seed = 100; seed < 120; ++seed)
    if (!sim::run(s, seed, p).ok())
      expected.push_back(seed);
  CHECK(result.failing_seeds == expected);
  CHECK_FALSE(expected.empty());
  CHECK(expected.size() < 20);
}

TEST_CASE("runner: after random faults the views converge", "[sim][runner]") {
  const auto s = load("sim/scenarios/heartbeat_random.toml");
  const auto p = sim::demo::heartbeat_protocol(s);
  const auto result = sim::swarm(s, 1, 30, p);
  CHECK(result.runs == 30);
  CHECK(result.failing_seeds.empty());
  // The faults really happen: the first seed kills, partitions and heals.
  const auto r = sim::run(s, 1, p);
  CHECK(r.network.dropped_total() > 0);
  CHECK(r.trace_hash == sim::run(s, 1, p).trace_hash);
}
