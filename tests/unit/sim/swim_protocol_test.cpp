#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "sim/swim_bench.hpp"
#include "sim/swim_protocol.hpp"
#include "sim/world.hpp"

using namespace ringdown;
using namespace std::chrono_literals;

namespace {

/// A world running `nodes` SWIM nodes (bench_scenario: two zones, seed n1,
/// LAN latency), checks registered, started.
struct swim_world {
  explicit swim_world(std::size_t nodes, std::uint64_t seed = 7, sim::swim_settings st = {})
      : s{sim::bench_scenario(nodes, 0.0, 60s)},
        journal{std::make_shared<sim::swim_journal>()},
        p{sim::swim_protocol(s, st, journal)}, w{seed, p.factory} {
    sim::install(s, w);
    p.register_checks(w);
    w.start_all();
  }
  void run_for(ringdown::duration d) { w.run_until(w.now() + d); }
  sim::node_id id(const std::string& name) const { return *w.find_node(name); }

  sim::scenario s;
  std::shared_ptr<sim::swim_journal> journal;
  sim::protocol p;
  sim::world w;
};

sim::param_map node_param(const std::string& name) {
  sim::param_map m;
  m.set("node", name);
  return m;
}

} // namespace

TEST_CASE("swim checks: a converged 3-node cluster", "[sim][swim]") {
  swim_world x{3};
  x.run_for(2s);
  CHECK(sim::views_converged(x.w).ok);
  CHECK(sim::owners_agree(x.w, {}).ok);
  CHECK(sim::no_false_deaths(x.w, *x.journal, {}).ok);
  const auto alive = sim::dead_everywhere(x.w, node_param("n2"));
  CHECK_FALSE(alive.ok);
  CHECK(alive.message.find("holds n2 alive") != std::string::npos);
  CHECK_FALSE(sim::dead_everywhere(x.w, node_param("nope")).ok);
  for (sim::node_id n = 0; n < x.w.size(); ++n)
    CHECK(sim::running_swim(x.w, n)->machine().members().live_count() == 3);
}

TEST_CASE("swim checks: a killed node is dead everywhere, then views converge",
          "[sim][swim]") {
  swim_world x{5};
  x.run_for(2s);
  x.w.kill(x.id("n3"));
  CHECK_FALSE(sim::views_converged(x.w).ok); // the others still list n3
  CHECK_FALSE(sim::dead_everywhere(x.w, node_param("n3")).ok);
  x.run_for(5s);
  CHECK(sim::dead_everywhere(x.w, node_param("n3")).ok);
  CHECK(sim::views_converged(x.w).ok);
  CHECK(sim::owners_agree(x.w, {}).ok);
  // n3 was not running when declared dead: not a false death.
  CHECK(x.journal->total() >= 4);
  CHECK(sim::no_false_deaths(x.w, *x.journal, {}).ok);
}

TEST_CASE("swim checks: an isolated node is dead to the others, views disagree",
          "[sim][swim]") {
  sim::swim_settings st;
  st.config.push_pull_interval_ms = 1000;
  swim_world x{5, 11, st};
  x.run_for(2s);
  REQUIRE(sim::views_converged(x.w).ok);
  x.w.network().isolate(x.id("n3"));
  x.run_for(5s);
  CHECK(sim::dead_everywhere(x.w, node_param("n3")).ok);
  const auto during = sim::views_converged(x.w);
  CHECK_FALSE(during.ok);
  // n3 runs throughout: every declaration against it counts.
  CHECK_FALSE(sim::no_false_deaths(x.w, *x.journal, {}).ok);
  x.w.network().heal();
  x.run_for(8s);
  CHECK(sim::views_converged(x.w).ok);
  CHECK(sim::owners_agree(x.w, {}).ok);
  CHECK_FALSE(sim::dead_everywhere(x.w, node_param("n3")).ok);
  sim::param_map late;
  late.set("since_ms", "14000");
  CHECK(sim::no_false_deaths(x.w, *x.journal, late).ok);
}

TEST_CASE("swim checks: owners_agree refuses an owner that is stopped", "[sim][swim]") {
  swim_world x{6};
  x.run_for(2s);
  REQUIRE(sim::owners_agree(x.w, {}).ok);
  // Kill n2 and look at once, before anyone noticed: every view still
  // places some keys on it.
  x.w.kill(x.id("n2"));
  const auto stale = sim::owners_agree(x.w, {});
  CHECK_FALSE(stale.ok); // views agree but name a stopped owner
  CHECK(stale.message.find("stopped") != std::string::npos);
}

TEST_CASE("swim: a late joiner is silent until its time, then in every view",
          "[sim][swim]") {
  sim::swim_settings st;
  st.late_joins.push_back({"n5", 3s, {"n2"}});
  swim_world x{5, 3, st};
  x.run_for(2s);
  CHECK(sim::running_swim(x.w, x.id("n5")) == nullptr);
  CHECK(sim::views_converged(x.w).ok); // n5 not running: not expected
  CHECK(sim::running_swim(x.w, x.id("n1"))->machine().members().find("n5") == nullptr);
  x.run_for(3s);
  REQUIRE(sim::running_swim(x.w, x.id("n5")) != nullptr);
  CHECK(sim::views_converged(x.w).ok);
  CHECK(sim::owners_agree(x.w, {}).ok);
}

TEST_CASE("swim: one seed gives one trace, another seed another", "[sim][swim]") {
  const auto hash = [](std::uint64_t seed) {
    swim_world x{5, seed};
    x.run_for(3s);
    return x.w.trace_hash();
  };
  CHECK(hash(5) == hash(5));
  CHECK(hash(5) != hash(6));
}

TEST_CASE("swim settings: [swim] is read, errors name the key", "[sim][swim]") {
  const std::string base = R"(
[topology]
seeds = ["a"]
[[topology.node]]
name = "a"
address = "10.0.0.1:1"
zone = "z"
[[topology.node]]
name = "b"
address = "10.0.0.2:1"
zone = "z"
)";
  const auto parse = [&base](const std::string& swim) {
    const std::string text = base + swim;
    auto sc = sim::parse_scenario(text, "t.toml", {"swim"});
    REQUIRE(sc.value);
    return sim::parse_swim_settings(text, "t.toml", *sc.value);
  };
  SECTION("without [swim] the simulator's defaults") {
    const auto p = parse("");
    REQUIRE(p.value);
    CHECK(p.value->config.probe_interval_ms == 100);
    CHECK(p.value->config.probe_timeout_ms == 50);
  }
  SECTION("values and late joins") {
    const auto p = parse("[swim]\nprobe_interval_ms = 200\nsuspicion_min_mult = 3\n"
                         "[[swim.join]]\nnode = \"b\"\nat_ms = 1500\nseeds = [\"a\"]\n");
    REQUIRE(p.value);
    CHECK(p.value->config.probe_interval_ms == 200);
    CHECK(p.value->config.suspicion_min_mult == 3);
    CHECK(p.value->config.suspicion_max_mult >= 3); // raised along when not given
    REQUIRE(p.value->late_joins.size() == 1);
    CHECK(p.value->late_joins[0].at == 1500ms);
  }
  SECTION("errors") {
    const auto wrong = [&parse](const std::string& swim, const std::string& key) {
      const auto p = parse(swim);
      CHECK_FALSE(p.value);
      REQUIRE(p.errors.size() == 1);
      CHECK(p.errors[0].find(key) != std::string::npos);
    };
    wrong("[swim]\nprobe_interval_ms = \"fast\"\n", "swim.probe_interval_ms");
    wrong("[swim]\nprobe_interval_ms = 1.5\n", "swim.probe_interval_ms");
    wrong("[swim]\nprobe_timeout_ms = 5000\n", "swim.probe_timeout_ms");
    wrong("[swim]\nwarp = 9\n", "swim.warp");
    wrong("[swim]\nsuspicion_min_mult = 3\nsuspicion_max_mult = 2\n",
          "swim.suspicion_max_mult");
    wrong("[swim]\ngossip_nodes = 65\n", "swim.gossip_nodes");
    wrong("[swim]\n[[swim.join]]\nnode = \"zz\"\nat_ms = 1\n", "swim.join[0].node");
  }
  SECTION("the simulator refuses [swim] unless a protocol reads it") {
    const auto sc = sim::parse_scenario(base + "[swim]\n", "t.toml");
    CHECK_FALSE(sc.value);
    REQUIRE(sc.errors.size() == 1);
    CHECK(sc.errors[0].find("swim: unknown key") != std::string::npos);
  }
}
