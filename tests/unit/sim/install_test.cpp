#include <catch2/catch.hpp>

#include "sim/scenario.hpp"
#include "tests/unit/sim/scripted.hpp"

using namespace ringdown;
using namespace std::chrono_literals;
namespace scripted = ringdown::sim::scripted;

namespace {

// a and b send each other one packet a millisecond for 100 ms; c and d
// (zone nyc) do the same. The faults below cut, clog and heal links.
const char* const faults_file = R"(
[run]
duration_ms = 200
[topology]
seeds = ["a"]
[[topology.node]]
name = "a"
address = "10.0.0.1:1"
[[topology.node]]
name = "b"
address = "10.0.0.2:1"
[[topology.node]]
name = "c"
zone = "nyc"
address = "10.0.1.1:1"
[[topology.node]]
name = "d"
zone = "nyc"
address = "10.0.1.2:1"
[network]
latency = { kind = "fixed", ms = 0.5 }
[[fault]]
at_ms = 10
kind = "partition"
a = ["a"]
b = ["b"]
oneway = true
[[fault]]
at_ms = 20
kind = "heal"
[[fault]]
at_ms = 30
kind = "clog"
node = "d"
direction = "in"
for_ms = 10
[[fault]]
at_ms = 50
kind = "loss"
probability = 1.0
from = "c"
to = "d"
[[fault]]
at_ms = 60
kind = "loss"
probability = 0.0
from = "c"
to = "d"
[[fault]]
at_ms = 70
kind = "isolate"
node = "b"
[[fault]]
at_ms = 80
kind = "heal"
)";

struct installed {
  installed() {
    auto p = sim::parse_scenario(faults_file, "faults.toml");
    INFO((p.errors.empty() ? std::string{} : p.errors.front()));
    REQUIRE(p.value);
    s = *p.value;
    sim::install(s, w);
    j->origin = w.start_time();
    w.start_all();
    w.run_until(w.start_time() + s.length);
  }
  std::shared_ptr<scripted::journal> j = std::make_shared<scripted::journal>();
  sim::world w{5, scripted::factory(j, {{"a", {"10.0.0.2:1", 100, 1ms}},
                                        {"b", {"10.0.0.1:1", 100, 1ms}},
                                        {"c", {"10.0.1.2:1", 100, 1ms}},
                                        {"d", {"10.0.1.1:1", 100, 1ms}}})};
  sim::scenario s;
};

std::vector<int> numbers_at(const scripted::journal& j, const std::string& node) {
  std::vector<int> out;
  for (const auto& p : j.payloads_at(node))
    out.push_back(std::stoi(p));
  return out;
}

std::vector<int> range(std::initializer_list<std::pair<int, int>> spans) {
  std::vector<int> out;
  for (const auto& [from, to] : spans)
    for (int i = from; i < to; ++i)
      out.push_back(i);
  return out;
}

} // namespace

TEST_CASE("install: the scenario's faults act on the network", "[sim][install]") {
  installed t;
  CHECK(t.w.size() == 4);
  CHECK(t.w.info(0).seeds == std::vector<std::string>{"10.0.0.1:1"});
  // a -> b blocked from 10 to 20 ms (b misses 10..19), b -> a never; b
  // isolated from 70 to 80 ms.
  CHECK(numbers_at(*t.j, "b") == range({{0, 10}, {20, 70}, {80, 100}}));
  CHECK(numbers_at(*t.j, "a") == range({{0, 70}, {80, 100}}));
  // d's incoming clogged 30..40 ms: what c sent meanwhile arrives at 40 ms;
  // c -> d loses everything from 50 to 60 ms.
  CHECK(numbers_at(*t.j, "d") == range({{0, 50}, {60, 100}}));
  for (const auto& x : t.j->arrivals)
    if (x.node == "d" && x.payload >= "30" && x.payload < "40" && x.payload.size() == 2)
      CHECK(x.at == 40ms);
  CHECK(numbers_at(*t.j, "c") == range({{0, 100}}));
  CHECK(t.w.network().counters().held == 10);
  CHECK(t.w.network().counters().dropped[0] == 10);
}

TEST_CASE("install: an unknown check is reported as a failure", "[sim][install]") {
  auto p = sim::parse_scenario(
      std::string{faults_file} + "[[check]]\nat_ms = 5\nkind = \"nope\"\n", "faults.toml");
  REQUIRE(p.value);
  auto j = std::make_shared<scripted::journal>();
  sim::world w{1, scripted::factory(j, {})};
  sim::install(*p.value, w);
  w.start_all();
  w.run_until(w.start_time() + 100ms);
  REQUIRE(w.failures().size() == 1);
  CHECK(w.failures()[0].check == "nope");
  CHECK(w.failures()[0].message == "no check of that name is registered");
}
