#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "sim/scenario.hpp"

using namespace ringdown;
using namespace std::chrono_literals;

namespace {

constexpr auto kill_file = "sim/scenarios/heartbeat_kill.toml";

const char* const minimal = R"(
[topology]
seeds = ["a"]
[[topology.node]]
name = "a"
address = "10.0.0.1:7946"
[[topology.node]]
name = "b"
zone = "nyc"
address = "10.0.0.2:7946"
)";

/// The single error of parsing `minimal` plus `extra`; fails unless
/// exactly one error is reported.
std::string one_error(const std::string& extra) {
  const auto p = sim::parse_scenario(std::string{minimal} + extra, "t.toml");
  INFO(extra);
  REQUIRE_FALSE(p.value);
  REQUIRE(p.errors.size() == 1);
  return p.errors.front();
}

} // namespace

TEST_CASE("scenario: the example file parses", "[sim][scenario]") {
  const auto p = sim::load_scenario(kill_file);
  INFO((p.errors.empty() ? std::string{} : p.errors.front()));
  REQUIRE(p.value);
  const sim::scenario& s = *p.value;
  CHECK(s.name == "heartbeat_kill");
  CHECK(s.length == 3s);
  REQUIRE(s.nodes.size() == 5);
  CHECK(s.nodes[3].name == "n4");
  CHECK(s.nodes[3].zone == "nyc");
  CHECK(s.nodes[3].address == "10.0.2.1:7946");
  CHECK(s.seeds == std::vector<std::string>{"n1"});
  CHECK(s.network.latency.type == sim::latency_model::kind::uniform);
  CHECK(s.network.latency.a == 200us);
  CHECK(s.network.latency.b == 3ms);
  CHECK(s.network.loss == Approx(0.01));
  CHECK(s.network.reorder_delay_max == 10ms);
  REQUIRE(s.links.size() == 1);
  CHECK(s.links[0].both);
  CHECK(s.links[0].model.latency.type == sim::latency_model::kind::normal);
  CHECK(s.links[0].model.loss == Approx(0.01)); // inherited from [network]
  REQUIRE(s.faults.size() == 1);
  CHECK(s.faults[0].kind == sim::fault_kind::kill);
  CHECK(s.faults[0].at == 1s);
  CHECK(s.faults[0].node == "n3");
  REQUIRE(s.checks.size() == 2);
  CHECK(s.checks[0].kind == "dead_everywhere");
  CHECK(s.checks[0].within == 1s);
  CHECK(s.checks[0].every == 20ms);
  CHECK(s.checks[0].params.text("node") == "n3");
  CHECK(s.checks[1].within == duration{0});
}

TEST_CASE("scenario: every fault kind parses", "[sim][scenario]") {
  const auto p = sim::parse_scenario(std::string{minimal} + R"(
[[fault]]
at_ms = 10
kind = "partition"
a = ["a"]
b = ["b"]
oneway = true
[[fault]]
at_ms = 20
kind = "partition"
zones = true
[[fault]]
at_ms = 30
kind = "clog"
node = "b"
direction = "in"
for_ms = 5.5
[[fault]]
at_ms = 40
kind = "loss"
probability = 0.25
from = "a"
to = "b"
[[fault]]
at_ms = 50
kind = "heal"
[[check]]
at_ms = 60
kind = "custom"
nodes = ["a", "b"]
count = 3
)",
                                     "t.toml");
  INFO((p.errors.empty() ? std::string{} : p.errors.front()));
  REQUIRE(p.value);
  const auto& f = p.value->faults;
  REQUIRE(f.size() == 5);
  CHECK(f[0].oneway);
  CHECK(f[0].a == std::vector<std::string>{"a"});
  CHECK(f[1].zones);
  CHECK(f[2].clog_in);
  CHECK_FALSE(f[2].clog_out);
  CHECK(f[2].length == std::chrono::microseconds{5500});
  CHECK(f[3].probability == Approx(0.25));
  CHECK(f[4].kind == sim::fault_kind::heal);
  const auto& c = p.value->checks.at(0);
  CHECK(c.params.list("nodes") == std::vector<std::string>{"a", "b"});
  CHECK(c.params.integer("count") == 3);
  CHECK_FALSE(c.params.has("at_ms"));
}

TEST_CASE("scenario: errors name the key and the problem", "[sim][scenario]") {
  CHECK(one_error("[network]\nlose = 0.1\n") == "t.toml:12: network.lose: unknown key");
  CHECK(one_error("[network]\nloss = 1.5\n") ==
        "t.toml:12: network.loss: must lie in [0, 1]");
  CHECK(one_error("[network]\nloss = \"x\"\n") ==
        "t.toml:12: network.loss: expected a number");
  CHECK(one_error("[[fault]]\nat_ms = 1\nkind = \"explode\"\n") ==
        "t.toml:13: fault[0].kind: unknown fault kind \"explode\" (kill, restart, "
        "partition, heal, isolate, clog, unclog, loss, leave)");
  CHECK(one_error("[[fault]]\nat_ms = 1\nkind = \"kill\"\nnode = \"zz\"\n") ==
        "t.toml:14: fault[0].node: no node named \"zz\" in [topology]");
  CHECK(one_error("[[fault]]\nkind = \"heal\"\n").find("fault[0].at_ms: missing") !=
        std::string::npos);
  CHECK(one_error("[[fault]]\nat_ms = 1\nkind = \"kill\"\nnode = \"a\"\nwhen = 3\n") ==
        "t.toml:15: fault[0].when: unknown key");
  CHECK(one_error("[network]\nlatency = { kind = \"uniform\", min_ms = 5, max_ms = 1 }\n")
            .find("network.latency.max_ms: less than min_ms") != std::string::npos);
  CHECK(one_error("[[check]]\nat_ms = 1\nkind = \"x\"\nevery_ms = 0\n") ==
        "t.toml:14: check[0].every_ms: must be positive");
  CHECK(one_error("[run]\nduration_ms = 5\nduration = 5\n") ==
        "t.toml:13: run.duration: unknown key");
}

TEST_CASE("scenario: syntax errors and missing files are reported", "[sim][scenario]") {
  const auto bad = sim::parse_scenario("[topology\n", "bad.toml");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].rfind("bad.toml:1: syntax error:", 0) == 0);
  const auto none = sim::parse_scenario("", "empty.toml");
  REQUIRE(none.errors.size() == 1);
  CHECK(none.errors[0] == "empty.toml:1: topology: missing");
  const auto missing = sim::load_scenario("sim/scenarios/no_such_file.toml");
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0] == "sim/scenarios/no_such_file.toml: cannot read the file");
}

TEST_CASE("scenario: random faults are drawn from the seed", "[sim][scenario]") {
  const auto p = sim::load_scenario("sim/scenarios/heartbeat_random.toml");
  INFO((p.errors.empty() ? std::string{} : p.errors.front()));
  REQUIRE(p.value);
  const sim::scenario& s = *p.value;
  REQUIRE(s.random_faults);
  CHECK(s.random_faults->until == 3s);
  CHECK(s.random_faults->dead_max == 2);
  CHECK(s.checks[1].always);

  const auto draw = [&](std::uint64_t seed) {
    rng r{seed};
    return sim::draw_faults(s, r);
  };
  const auto first = draw(11);
  const auto again = draw(11);
  const auto other = draw(12);
  REQUIRE(first.size() == again.size());
  CHECK(first.size() > 5);
  bool differs = first.size() != other.size();
  for (std::size_t i = 0; i < first.size(); ++i) {
    CHECK(first[i].at == again[i].at);
    CHECK(first[i].kind == again[i].kind);
    CHECK(first[i].node == again[i].node);
    if (!differs && (first[i].at != other[i].at || first[i].kind != other[i].kind))
      differs = true;
  }
  CHECK(differs);

  for (const std::uint64_t seed : {1, 2, 3, 4, 5, 6, 7, 8}) {
    const auto faults = draw(seed);
    std::set<std::string> dead;
    bool healed = false;
    for (const auto& f : faults) {
      CHECK(f.at >= 300ms);
      CHECK(f.at <= 3s);
      if (f.kind == sim::fault_kind::kill)
        dead.insert(f.node);
      if (f.kind == sim::fault_kind::restart)
        dead.erase(f.node);
      CHECK(dead.size() <= 2);
      if (f.at == 3s && f.kind == sim::fault_kind::heal)
        healed = true;
    }
    CHECK(healed);
    CHECK(dead.empty()); // every killed node restarts at `until`
  }
}

TEST_CASE("scenario: random faults name known kinds", "[sim][scenario]") {
  CHECK(one_error("[random_faults]\nuntil_ms = 10\nkinds = [\"kill\", \"nuke\"]\n") ==
        "t.toml:13: random_faults.kinds: unknown fault kind \"nuke\" (kill, restart, "
        "partition, heal, isolate, clog, loss, leave)");
  CHECK(one_error("[random_faults]\nkinds = [\"kill\"]\n") ==
        "t.toml:11: random_faults.until_ms: missing");
}

TEST_CASE("scenario: nothing may happen after the end of the run", "[sim][scenario]") {
  CHECK(one_error("[run]\nduration_ms = 100\n[[fault]]\nat_ms = 101\nkind = \"heal\"\n") ==
        "t.toml:14: fault[0].at_ms: after the end of the run (100 ms)");
  CHECK(one_error("[run]\nduration_ms = 100\n[[check]]\nat_ms = 200\nkind = \"x\"\n") ==
        "t.toml:14: check[0].at_ms: after the end of the run (100 ms)");
  // Without [run] a run lasts 10 s.
  CHECK(one_error("[[check]]\nat_ms = 10001\nkind = \"x\"\n") ==
        "t.toml:12: check[0].at_ms: after the end of the run (10000 ms)");
}
